"""Supervision: publication compliance of a department, execution feedback (docs/feeds.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from hub.errors import Forbidden, InvalidInput
from hub.identifiers import mask_id_number
from hub.policy import acts_for_every_department
from hub.rules.compliance import Finding, publication
from hub.rules.execution import execution_refusal, text_refusal
from hub.rules.statistics import grouped, month_of
from hub.store import supervision
from resolvers import subjects
from resolvers.context import HubContext

MAX_RANGE_DAYS = 366


def own_department(ctx: HubContext, asked: str | None) -> str:
    """The department a DEPARTMENT key acts for (its own only); ADMIN names any (by default
    its key's own)."""
    if acts_for_every_department(ctx.actor):
        code = asked or ctx.actor.department
        if not code:
            raise InvalidInput("department is required", field="department")
        return code
    if ctx.actor.department is None or asked not in (None, ctx.actor.department):
        raise Forbidden(f"this key acts for {ctx.actor.department} only")
    return ctx.actor.department


def date_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput("to is before from", field="to")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput(f"at most {MAX_RANGE_DAYS} days at a time", field="to")


@dataclass(frozen=True)
class Compliance:
    department: str
    decided: int
    on_time: int
    not_yet_due: int
    findings: list[dict[str, Any]]  # LATE and MISSING, by decision date


async def publication_compliance(
    ctx: HubContext, department: str | None, start: dt.date, end: dt.date
) -> Compliance:
    code = own_department(ctx, department)
    date_range(start, end)
    today, calendar = ctx.today(), ctx.calendar
    rows = await ctx.store.read(supervision.decided, code, start, end)
    counts = dict.fromkeys(Finding, 0)
    findings = []
    for row in rows:
        judged = publication(row["decisionDate"], row.get("publishedOn"), today, calendar)
        counts[judged.finding] += 1
        if judged.finding in (Finding.LATE, Finding.MISSING):
            key = str(row.get("subjectKey") or "")
            if row["subjectLabel"] == "Person" and not ctx.actor.sees_personal_data:
                key = mask_id_number(key)
            findings.append(
                row
                | {
                    "subjectKey": key,
                    "finding": judged.finding,
                    "deadline": judged.deadline,
                    "deadlineApproximate": judged.approximate,
                    "daysLate": judged.days_late,
                    "workingDaysLate": judged.working_days_late,
                }
            )
    return Compliance(
        code, len(rows), counts[Finding.ON_TIME], counts[Finding.NOT_YET_DUE], findings
    )


async def record_execution(ctx: HubContext, record: dict[str, Any]) -> dict[str, Any]:
    """Store that a department applied a measure; the record as stored (with its event)."""
    department = own_department(ctx, record.get("department"))
    label, key = subjects.subject_key(record["uscc"], record["idNumber"], "subject", ctx.today())
    for field, required in (("measure", True), ("reference", True), ("result", True)):
        refused = text_refusal(record.get(field), field, required)
        if refused:
            raise InvalidInput(f"{refused[0]}: {refused[1]}", field=refused[0])
    refused = text_refusal(record.get("note"), "note", required=False)
    if refused:
        raise InvalidInput(f"{refused[0]}: {refused[1]}", field=refused[0])
    listing = (record.get("listingId") or "").strip() or None
    on, today = record["executedOn"], ctx.today()

    def check(found: dict[str, Any]) -> None:
        refusal = execution_refusal(found, key, listing, on, today)
        if refusal is not None:
            raise InvalidInput(f"{refusal[0]}: {refusal[1]}", field=refusal[0])

    params = {
        "id": "exe-" + uuid.uuid4().hex[:16],
        "subject": key,
        "measure": str(record["measure"]).strip(),
        "department": department,
        "reference": str(record["reference"]).strip(),
        "on": on,
        "result": str(record["result"]).strip(),
        "note": (record.get("note") or "").strip() or None,
        "listing": listing,
        "by": ctx.actor.key_id,
        "now": dt.datetime.now(dt.UTC),
    }
    stored: dict[str, Any] = await ctx.store.write(
        supervision.record_execution, label, params, check
    )
    if label == "Person" and not ctx.actor.sees_personal_data:
        stored["subjectKey"] = mask_id_number(key)
    return stored


async def punishment_statistics(
    ctx: HubContext, start: dt.date, end: dt.date, by: list[str], department: str | None = None
) -> list[dict[str, Any]]:
    """Counts of listings, derived entries, checks (by decision) and executions from ``start``
    to ``end`` (at most 366 days), grouped by the dimensions in ``by``; those of one
    ``department`` only when given (every role that reads the statistics reads the county's)."""
    date_range(start, end)
    code = (department or "").strip() or None
    counts = await ctx.store.read(supervision.punishment_counts, start, end, code)
    for row in counts:
        row["month"] = month_of(row.get("month"))
    return grouped(counts, by)
