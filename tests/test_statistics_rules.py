"""Punishment statistics, pure: counts summed over the dimensions not asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.rules.statistics import grouped, month_of

COUNTS = [
    {
        "kind": "LISTING",
        "department": "ECOENV",
        "measure": None,
        "domain": "ENVIRONMENT",
        "month": "2024-03",
        "count": 2,
    },
    {
        "kind": "LISTING",
        "department": "TAX",
        "measure": None,
        "domain": "TAX",
        "month": "2024-03",
        "count": 1,
    },
    {
        "kind": "LISTING",
        "department": "ECOENV",
        "measure": None,
        "domain": "ENVIRONMENT",
        "month": "2024-04",
        "count": 1,
    },
    {
        "kind": "CHECK",
        "decision": "CLEAR",
        "department": "AMR",
        "measure": None,
        "domain": None,
        "month": "2024-03",
        "count": 5,
    },
    {
        "kind": "CHECK",
        "decision": "RESTRICTED",
        "department": "AMR",
        "measure": None,
        "domain": None,
        "month": "2024-03",
        "count": 1,
    },
]


def test_no_dimension_gives_one_total_per_kind_and_decision() -> None:
    assert [(r["kind"], r["decision"], r["count"]) for r in grouped(COUNTS, [])] == [
        ("LISTING", None, 4),
        ("CHECK", "CLEAR", 5),
        ("CHECK", "RESTRICTED", 1),
    ]


def test_by_department_and_month_keeps_those_apart() -> None:
    rows = grouped(COUNTS, ["department", "month"])
    listings = [(r["department"], r["month"], r["count"]) for r in rows if r["kind"] == "LISTING"]
    assert listings == [("ECOENV", "2024-03", 2), ("ECOENV", "2024-04", 1), ("TAX", "2024-03", 1)]
    assert all(r["domain"] is None for r in rows)


def test_months_and_unknown_dimensions() -> None:
    assert month_of(dt.date(2024, 3, 9)) == "2024-03"
    assert month_of(None) is None
    with pytest.raises(ValueError, match="unknown"):
        grouped(COUNTS, ["colour"])
