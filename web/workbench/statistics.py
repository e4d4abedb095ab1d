"""Punishment statistics (统计图表) for DEPARTMENT (its own department's figures) and ADMIN (the
county's, or one department's): the API's ``punishmentStatistics`` by month, by department and
by domain, as tables that need no JavaScript and as bar charts drawn from the same figures with
Chart.js (npm ``chart.js``, served by the hub: web/assets.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from hub.app_state import hub_of
from hub.auth import Role
from web.client import document
from web.workbench.access import STATISTICS_READERS, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused

STATISTICS = document("workbench", "statistics")

# Table columns: (key, kind, decision); a CHECK column without a decision is every check.
COLUMNS = (
    ("LISTING", "LISTING", None),
    ("DERIVED_ENTRY", "DERIVED_ENTRY", None),
    ("CHECK", "CHECK", None),
    ("RESTRICTED", "CHECK", "RESTRICTED"),
    ("CAUTION", "CHECK", "CAUTION"),
    ("CLEAR", "CHECK", "CLEAR"),
    ("EXECUTION", "EXECUTION", None),
)
# What the charts draw: the kinds, checks as one series.
SERIES = ("LISTING", "DERIVED_ENTRY", "CHECK", "EXECUTION")
# (name in the page, field of the document, the dimension it groups by)
TABLES = (
    ("month", "byMonth", "month"),
    ("department", "byDepartment", "department"),
    ("domain", "byDomain", "domain"),
)


def pivot(rows: list[dict[str, Any]], dimension: str) -> list[dict[str, Any]]:
    """The API's rows (kind, decision, the dimension, count) as one table row per value of the
    dimension (null last), a count per column."""
    table: dict[str | None, dict[str, int]] = {}
    for row in rows:
        cells = table.setdefault(row.get(dimension), {key: 0 for key, _, _ in COLUMNS})
        for key, kind, decision in COLUMNS:
            if row["kind"] == kind and decision in (None, row.get("decision")):
                cells[key] += int(row["count"])
    ordered = sorted(table, key=lambda value: (value is None, value or ""))
    return [{"key": value, **table[value]} for value in ordered]


def _period(request: Request) -> tuple[str, str]:
    """The period asked (yyyy-mm-dd, as given: the API judges it), by default the eleven whole
    months before this one and this month to today (the hub's today)."""
    today = hub_of(request.scope).settings.today()
    first = (today.replace(day=1) - dt.timedelta(days=320)).replace(day=1)
    start = request.query_params.get("from", "")[:10] or first.isoformat()
    end = request.query_params.get("to", "")[:10] or today.isoformat()
    return start, end


async def statistics(request: Request, desk: Desk) -> Response:
    start, end = _period(request)
    if desk.actor.role == Role.ADMIN:
        department = request.query_params.get("department", "")[:40] or None
    else:
        department = desk.actor.department
    variables = {"from": start, "to": end, "department": department}
    answer = await desk.run(STATISTICS, variables)
    shown: dict[str, Any] = {
        "form": {"from": start, "to": end, "department": department or ""},
        "columns": [key for key, _, _ in COLUMNS],
        "series": SERIES,
    }
    if answer.code() in INPUT_CODES:
        return desk.page(
            "statistics.html", 400, error=answer.code(), tables=[], departments=[], **shown
        )
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    names = {
        "department": {d["code"]: d["name"] for d in answer.data["departments"]},
        "domain": {d["code"]: d["name"] for d in answer.data["listingDomains"]},
        "month": {},
    }
    tables = [
        {
            "name": name,
            "dimension": dimension,
            "rows": [
                row | {"label": names[name].get(row["key"]) or row["key"]}
                for row in pivot(answer.data[field], dimension)
            ],
        }
        for name, field, dimension in TABLES
    ]
    return desk.page(
        "statistics.html",
        error=None,
        tables=tables,
        departments=answer.data["departments"],
        **shown,
    )


def statistics_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [workbench_route("/workbench/statistics", statistics, STATISTICS_READERS, schema)]
