"""A report's content: the subject as the public API gives it on asOf, read in-process through
the schema with the PUBLIC role (so a report never holds more than the public site shows), and
its canonical hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import orjson

from report.numbering import ZONE

CONTENT_DOCUMENT = (Path(__file__).parent / "documents" / "content.graphql").read_text(
    encoding="utf-8"
)

# 报告用途 (DESIGN "Credit report"): code -> stored value
PURPOSES = ("SELF_CHECK", "SPECIAL_FUNDS", "BIDDING", "HONORS", "OTHER")


def canonical(content: dict[str, Any]) -> bytes:
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def assemble(
    data: dict[str, Any],
    number: str,
    as_of: dt.date,
    purpose: str,
    issued_at: dt.datetime,
) -> dict[str, Any]:
    """The stored, hashed content: the report's facts and the API's answer as it came."""
    return {
        "report": {
            "number": number,
            "asOf": as_of.isoformat(),
            "purpose": purpose,
            "issuedAt": issued_at.astimezone(ZONE).isoformat(),  # printed as county time
        },
        "subject": data["enterprise"],
        "domains": {d["code"]: d["name"] for d in data["listingDomains"]},
    }
