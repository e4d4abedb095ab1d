"""Execution feedback (执行反馈), pure: may this record of an applied measure be stored?"""

from __future__ import annotations

import datetime as dt
from typing import Any

MAX_TEXT = 500


def execution_refusal(
    found: dict[str, Any], subject: str, listing: str | None, on: dt.date, today: dt.date
) -> tuple[str, str] | None:
    """(field, reason) when the record is refused, else None. ``found``: whether the subject,
    measure and listing exist and whom the listing is on (hub/store/supervision.missing)."""
    if on > today:
        return "executedOn", f"is after today ({today.isoformat()})"
    if not found["subjectFound"]:
        return "subject", "no such subject in the graph"
    if not found["measureFound"]:
        return "measure", "no such measure in the catalogue"
    if listing is not None:
        if not found["listingFound"]:
            return "listingId", f"listing {listing} does not exist"
        if found["listedSubject"] != subject:
            return "listingId", f"listing {listing} is not on this subject"
    return None


def text_refusal(value: str | None, field: str, required: bool) -> tuple[str, str] | None:
    if value is None or not value.strip():
        return (field, "is required") if required else None
    if len(value) > MAX_TEXT:
        return field, f"at most {MAX_TEXT} characters"
    return None
