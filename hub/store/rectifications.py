"""Cypher of rectification orders and warning interviews (限期整改, 约谈): order, record the
rectification or the interview, read a subject's orders and a department's (docs/lifecycle.md).

Each change locks the order, hands it to a ``check`` callback (the pure rule, raising a
HubError to refuse) and writes one dated ``ListingEvent`` on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.adapter import Runner
from hub.store.events import note, rows_events, subject_event, subject_event_map
from hub.store.imports import trusted
from hub.store.listing_changes import Change
from hub.store.values import native

# The step on the order's trail and in the event log (hub/store/events.py; $event is also
# the event's type). Orders are part of a subject's credit record for keyed callers only, so
# their events are not public.
_TRAIL = """
CREATE (r)-[:HAS_EVENT {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->
       (:ListingEvent {id: $batch + ':' + r.id + ':' + $event, type: $event, on: $on, by: $by,
                       department: $dept, reason: $note, at: $now, batch: $batch,
                       recordedAt: $now, sourceDepartment: $dept})
"""
_FIELDS = "on: $on, reason: $note, department: r.department, recordId: r.id"
_EVENT = (
    _TRAIL
    + """
WITH r
CALL (r) {
  MATCH (r)-[:ABOUT]->(s)
  WHERE s:Enterprise OR s:Person
  WITH r, s LIMIT 1
"""
    + subject_event("$event", "s", _FIELDS, "false")
    + """
}
"""
)

SUBJECT_KEYS = {"Enterprise": "uscc", "Person": "idNumber"}


def _order(label: str) -> LiteralString:
    return trusted(
        f"""
MATCH (s:{label} {{{SUBJECT_KEYS[label]}: $subject}})
MATCH (d:Department {{code: $department}})
CREATE (r:Rectification {{id: $id, orderedOn: $on, deadline: $deadline, status: 'ORDERED',
                         content: $content, basis: $basis, department: $department,
                         subjectLabel: '{label}', subjectKey: $subject, reason: $note,
                         orderedBy: $by, evaluationId: $evaluationId, batch: $batch,
                         recordedAt: $now,
                         sourceDepartment: $dept}})
CREATE (r)-[:ABOUT {{batch: $batch, recordedAt: $now, sourceDepartment: $dept}}]->(s)
CREATE (r)-[:ISSUED_BY {{batch: $batch, recordedAt: $now, sourceDepartment: $dept}}]->(d)
"""
        + _TRAIL
        + f"""
RETURN r.id AS id, {subject_event_map("$event", "s", _FIELDS, "false")} AS event
"""
    )


ORDER = {label: _order(label) for label in SUBJECT_KEYS}

LOCK: LiteralString = """
MATCH (r:Rectification {id: $id})
SET r._lock = true
REMOVE r._lock
RETURN r {.*} AS r
"""

RECTIFIED: LiteralString = (
    """
MATCH (r:Rectification {id: $id})
SET r.status = 'RECTIFIED', r.rectifiedOn = $on, r.rectification = $note
"""
    + _EVENT
)

INTERVIEWED: LiteralString = (
    """
MATCH (r:Rectification {id: $id})
SET r.status = 'INTERVIEWED', r.interviewedOn = $on, r.interview = $note
"""
    + _EVENT
)


@dataclass(frozen=True, slots=True)
class RectificationRow:
    """A rectification order as the store reads it (``r {.*}``), with what followed it."""

    id: str
    subject_label: str
    status: str
    department: str
    content: str
    ordered_on: dt.date
    deadline: dt.date
    basis: str | None = None
    rectified_on: dt.date | None = None
    interviewed_on: dt.date | None = None
    interview: str | None = None


def rectification_row(row: Mapping[str, Any]) -> RectificationRow:
    """The store's map of a rectification order as a ``RectificationRow``."""
    get = row.get
    return RectificationRow(
        id=str(row["id"]),
        subject_label=str(row["subjectLabel"]),
        status=str(row["status"]),
        department=str(row["department"]),
        content=str(row["content"]),
        ordered_on=row["orderedOn"],
        deadline=row["deadline"],
        basis=get("basis"),
        rectified_on=get("rectifiedOn"),
        interviewed_on=get("interviewedOn"),
        interview=get("interview"),
    )


BY_ID: LiteralString = """
UNWIND $keys AS k
MATCH (r:Rectification {id: k})
RETURN k AS key, r {.*} AS r
"""

OF_SUBJECT: dict[str, LiteralString] = {
    label: trusted(
        f"""
MATCH (:{label} {{{key}: $subject}})<-[:ABOUT]-(r:Rectification)
RETURN r {{.*}} AS r
ORDER BY r.orderedOn DESC, r.id DESC
"""
    )
    for label, key in SUBJECT_KEYS.items()
}

OF_DEPARTMENT: LiteralString = """
MATCH (r:Rectification)
WHERE r.status = 'ORDERED' AND r.department = $department AND r.deadline < $today
RETURN r {.*} AS r
"""


async def order(
    tx: AsyncManagedTransaction,
    label: str,
    subject: str,
    params: dict[str, Any],
    change: Change,
) -> str:
    """Record an order about ``subject``; NotFound when the subject or department is unknown.
    ``params``: id, deadline, content, basis, department, and for the interview order of a
    subject that became grade D its ``evaluationId`` (hub/importer/grade_orders.py)."""
    values = {"evaluationId": None, **params}
    result = await tx.run(
        ORDER[label],
        {"subject": subject, "event": "RECTIFICATION_ORDERED", **values, **change.params()},
    )
    record = await result.single()
    if record is None:
        raise NotFound(
            f"{label.lower()} {subject} or department {params['department']} does not exist",
            field="subject",
        )
    # its event, returned (hub/store/events.py)
    await note(tx, rows_events([record["event"]]), change.now)
    return str(record["id"])


async def record_step(
    tx: AsyncManagedTransaction,
    order_id: str,
    interview: bool,
    change: Change,
    check: Callable[[dict[str, Any]], None],
) -> None:
    """Record the rectification (``interview`` False) or a warning interview."""
    result = await tx.run(LOCK, {"id": order_id})
    record = await result.single()
    if record is None:
        raise NotFound(f"rectification order {order_id} does not exist", field="id")
    check(native(record["r"]))
    event = "INTERVIEW_RECORDED" if interview else "RECTIFIED"
    await tx.run(
        INTERVIEWED if interview else RECTIFIED,
        {"id": order_id, "event": event, **change.params()},
    )


async def by_id(tx: Runner, keys: list[str]) -> list[tuple[str, RectificationRow]]:
    """(key, order) for each of ``keys`` that names one."""
    result = await tx.run(BY_ID, {"keys": keys})
    return [(r["key"], rectification_row(native(r["r"]))) async for r in result]


async def of_subject(tx: Runner, label: str, subject: str) -> list[RectificationRow]:
    """The orders about a subject, newest first."""
    result = await tx.run(OF_SUBJECT[label], {"subject": subject})
    return [rectification_row(native(r["r"])) async for r in result]


async def overdue_of(tx: Runner, department: str, today: dt.date) -> list[RectificationRow]:
    """``department``'s orders still ORDERED after their deadline."""
    result = await tx.run(OF_DEPARTMENT, {"department": department, "today": today})
    return [rectification_row(native(r["r"])) async for r in result]
