"""Credit reports (信用报告): numbering, content as the public API gives it, the PDF with an
embedded CJK font subset, storage and verification. docs/site.md#credit-reports."""
