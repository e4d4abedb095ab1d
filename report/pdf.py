"""The report PDF: report/templates/report.html (the copy) rendered to simple HTML and laid out
by fpdf2 with the CJK font of report/font.py, embedded as a subset. CPU work: call it in a
worker thread."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from report.font import font_files

FAMILY = "NotoSansSC"


def _day(value: Any) -> str:
    """A GraphQL Date (ISO text) as yyyy-mm-dd; empty for null (the template says "— —")."""
    return "" if value is None else str(value)[:10]


@cache
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    return env


def report_html(content: dict[str, Any], code: str) -> str:
    return _templates().get_template("report.html").render(code=code, **content)


def render_pdf(content: dict[str, Any], code: str) -> bytes:
    """The PDF of ``content``; its metadata names the number (report/numbering.py number_in)."""
    facts = content["report"]
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime.fromisoformat(facts["issuedAt"]))
    pdf.set_title(f"信用报告 {facts['number']}")
    pdf.set_keywords(f"CreditHubReport:{facts['number']}")
    pdf.set_creator("CreditHub")
    for style, path in font_files().items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_font(FAMILY, size=10)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.write_html(
        report_html(content, code),
        font_family=FAMILY,
        tag_styles={
            "h1": FontFace(family=FAMILY, emphasis="BOLD", size_pt=18),
            "h2": FontFace(family=FAMILY, emphasis="BOLD", size_pt=13),
            "h3": FontFace(family=FAMILY, emphasis="BOLD", size_pt=11),
        },
    )
    return bytes(pdf.output())
