"""An EARLY_WARNING event's reasons as its reader may see them (docs/feeds.md).

The event stores its reasons as JSON (``detail``, written by hub/store/warnings.py): per reason
its kind and facts, and for a related party's listing the paths in the investigation's shape.
Here they become plain values again (dates), with the listed party's ID number and any ID
number inside a listing id masked unless the role sees personal data (an unmasked person is
audited as every read of one is). The paths keep their rows: the schema draws them with the
investigation's own code (schema/links.py ``paths_of``), which masks and audits their persons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from hub.identifiers import mask_id_number, mask_id_numbers_in
from resolvers.context import HubContext

_DATES = ("on", "since", "asOf")


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _rels(rels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r | {"from": _day(r.get("from")), "to": _day(r.get("to"))} for r in rels]


def warning_of(ctx: HubContext, raw: dict[str, Any]) -> dict[str, Any] | None:
    """{departments, reasons} of an EARLY_WARNING event as this caller sees it; None for any
    other event."""
    if raw.get("type") != "EARLY_WARNING" or not raw.get("detail"):
        return None
    full = ctx.actor.sees_personal_data
    reasons = []
    for stored in orjson.loads(str(raw["detail"]))["reasons"]:
        reason = dict(stored)
        for name in _DATES:
            if name in reason:
                reason[name] = _day(reason[name])
        listed = reason.get("listed")
        if listed is not None and listed.get("label") == "Person":
            if full:
                ctx.audited.append(("Person", str(listed["key"])))
            else:
                reason["listed"] = listed | {"key": mask_id_number(str(listed["key"]))}
        if reason.get("listingId") and not full:
            reason["listingId"] = mask_id_numbers_in(str(reason["listingId"]))
        reason["paths"] = [
            {"nodes": p["nodes"], "rels": _rels(p["rels"])} for p in reason.get("paths") or []
        ]
        reasons.append(reason)
    return {
        "departments": list(raw.get("departments") or []),
        "reasons": reasons,
        "asOf": raw.get("on"),
    }
