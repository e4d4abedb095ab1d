"""Objections (异议) as pure rules: the VERIFYING step, objections to administrative actions, the
deadline of 10 working days and the order of the overdue list (docs/lifecycle.md).

FILED → VERIFYING → UPHELD | REJECTED; a FILED objection may also be resolved at once (the
verification then began and ended the same day). The suspension of a listing's measures is
``ListingFacts``' rule (filed on or before the day, not resolved by it) and does not read the
status, so the VERIFYING step changes nothing there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hub.rules.listings import (
    UNRESOLVED_OBJECTION,
    Decider,
    ObjectionStatus,
    Refusal,
    RefusalKind,
    date_refusal,
    objection_status,
)
from hub.rules.workdays import Calendar

T = TypeVar("T")

OBJECTION_WORKING_DAYS = 10  # DESIGN "Lifecycle workflows": decided within 10 working days


def objection_deadline(filed_on: dt.date, calendar: Calendar) -> tuple[dt.date, bool]:
    """The last day the objection is decided on time, and whether the fallback calendar counted."""
    return calendar.add_working_days(filed_on, OBJECTION_WORKING_DAYS)


def _other(record: Mapping[str, Any], who: Decider) -> bool:
    return not who.admin and record.get("department") != who.department


def verification_refusal(
    objection: Mapping[str, Any],
    record: Mapping[str, Any],
    on: dt.date,
    who: Decider,
    today: dt.date,
) -> Refusal | None:
    """Why ``who`` may not start verifying ``objection`` (to ``record``) on ``on``, or None.

    Only the deciding department (or ADMIN; for a court listing only the court) verifies, only
    a FILED objection, dated between its filing and today."""
    if record.get("source") == "COURT" and (who.admin or who.department != record["department"]):
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"objection {objection['id']} is to a court listing: only the court that decided it "
            f"({record.get('department')}) verifies it",
        )
    if _other(record, who):
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"objection {objection['id']} is verified by {record.get('department')}, the "
            "department that decided the record",
        )
    status = objection_status(objection)
    if status != ObjectionStatus.FILED:
        return Refusal(
            RefusalKind.CONFLICT,
            f"objection {objection['id']} is {status.value}: only a FILED objection starts "
            "verification",
        )
    filed: dt.date = objection["filedOn"]
    if on < filed:
        return Refusal(
            RefusalKind.INVALID,
            f"on {on.isoformat()} is before the filing date {filed.isoformat()}",
        )
    if on > today:
        return Refusal(
            RefusalKind.INVALID,
            f"on {on.isoformat()} is in the future (today is {today.isoformat()})",
        )
    return None


def action_objection_refusal(
    action: Mapping[str, Any], on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why an objection to an administrative action (a penalty, a licence) may not be recorded
    on ``on`` by ``who``: another department's action, one already revoked or repaired by
    then, or a date outside decision..today."""
    if _other(action, who):
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"objections to action {action['id']} are recorded and verified by "
            f"{action.get('department')} (谁认定、谁负责)",
        )
    ended: dt.date | None = action.get("endedOn")
    if ended is not None and ended <= on:
        return Refusal(
            RefusalKind.CONFLICT,
            f"action {action['id']} was {str(action.get('endReason')).lower()} on "
            f"{ended.isoformat()}",
        )
    return date_refusal(action, on, today)


@dataclass(frozen=True, slots=True)
class OpenObjection(Generic[T]):
    row: T
    deadline: dt.date
    approximate: bool
    overdue: bool


def open_objections(
    rows: Iterable[Mapping[str, Any]], today: dt.date, calendar: Calendar
) -> list[OpenObjection[Mapping[str, Any]]]:
    """``open_in_order`` over stored maps (``status``, ``filedOn``, ``id``)."""
    return open_in_order(
        ((row, str(row.get("status")), row["filedOn"], str(row["id"])) for row in rows),
        today,
        calendar,
    )


def open_in_order(
    objections: Iterable[tuple[T, str, dt.date, str]], today: dt.date, calendar: Calendar
) -> list[OpenObjection[T]]:
    """(objection, status, filed on, id): the unresolved ones with their deadlines, overdue
    ones first (the longest overdue first), then by deadline, then by id."""
    found = []
    for row, status, filed_on, key in objections:
        if status not in UNRESOLVED_OBJECTION:
            continue
        deadline, approximate = objection_deadline(filed_on, calendar)
        found.append((key, OpenObjection(row, deadline, approximate, deadline < today)))
    found.sort(key=lambda item: (not item[1].overdue, item[1].deadline, item[0]))
    return [o for _, o in found]
