"""Punishment statistics (pure): counts regrouped by the dimensions asked for.

The store counts each kind of record (listings, derived entries, checks by decision,
executions) by every dimension at once (department, measure, domain, month); this sums those
counts over the dimensions not asked for. A dimension a kind does not have (a listing has no
measure; a check has no domain) is null in its rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

DIMENSIONS = ("department", "measure", "domain", "month")
KINDS = ("LISTING", "DERIVED_ENTRY", "CHECK", "EXECUTION")


def month_of(day: dt.date | dt.datetime | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def grouped(counts: list[dict[str, Any]], by: list[str]) -> list[dict[str, Any]]:
    """``counts``: rows of kind, decision (checks), the DIMENSIONS and count; the same summed
    per kind, decision and the dimensions in ``by``, in a stable order."""
    unknown = set(by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    totals: Counter[tuple[Any, ...]] = Counter()
    for row in counts:
        key = (
            row["kind"],
            row.get("decision"),
            *(row.get(d) if d in by else None for d in DIMENSIONS),
        )
        totals[key] += int(row["count"])
    rows = [
        {
            "kind": key[0],
            "decision": key[1],
            **dict(zip(DIMENSIONS, key[2:], strict=True)),
            "count": total,
        }
        for key, total in totals.items()
    ]
    rank = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(
        rows,
        key=lambda r: (rank[r["kind"]], r["decision"] or "", *(r[d] or "" for d in DIMENSIONS)),
    )
