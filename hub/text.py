"""Text hygiene for names and free text that the hub stores and shows again.

Two kinds of invisible characters can make a stored name display as something else
(Trojan-Source-style spoofing on the public site, in check reasons and in exports):

* **Bidirectional controls** (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates,
  U+200E/U+200F/U+061C marks) reorder what follows them: ``"隆林\u202e司公"`` shows as
  "隆林公司". They have no place in a Chinese name or record, so a text holding one is
  **rejected** with the character's code point.
* **Zero-width characters** (U+200B space, U+200C non-joiner, U+200D joiner, U+2060 word
  joiner) are invisible and make two identical-looking names different. They are **stripped**:
  they are common in text pasted from web pages and office documents, and removing them
  changes nothing a reader can see.

And one spelling for one text: names and free text are stored in Unicode **NFC**, with
**full-width letters and digits made half-width** (the provincial norms: Chinese in Chinese
characters, letters and digits half-width), so 隆林ＡＢＣ商贸 and 隆林ABC商贸 from two files are
one name (``normal_text``). Punctuation is left as written (（有限公司） keeps its brackets).

Identifiers (USCC, ID numbers) allow neither: their alphabets are closed, so any such character
is refused by the identifier rules (hub/identifiers.py) with a reason naming it.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060]")


class UnsafeText(ValueError):
    """A text holding a character that would change how it displays."""

    def __init__(self, character: str) -> None:
        self.code_point = f"U+{ord(character):04X}"
        super().__init__(
            f"contains the bidirectional control character {self.code_point}, "
            "which changes how the text displays"
        )


def clean_text(value: str) -> str:
    """``value`` without zero-width characters; UnsafeText when it holds a bidi control."""
    found = BIDI_CONTROLS.search(value)
    if found is not None:
        raise UnsafeText(found.group())
    return ZERO_WIDTH.sub("", value)


def invisible_character(value: str) -> str | None:
    """The code point (``U+202E``) of the first bidi control or zero-width character, if any."""
    found = BIDI_CONTROLS.search(value) or ZERO_WIDTH.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


# Full-width letters and digits (U+FF10-FF19, FF21-FF3A, FF41-FF5A) -> their half-width forms.
_HALF_WIDTH = {
    code: code - 0xFEE0
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def normal_text(value: str) -> str:
    """NFC, full-width letters and digits half-width (every import path: JSON Lines, 双公示)."""
    if not value.isascii():
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if _FULL_WIDTH.search(value):
            value = value.translate(_HALF_WIDTH)
    return value
