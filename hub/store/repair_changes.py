"""Cypher of repair applications (信用修复): record one against a listing or a penalty, decide
it, and end the record on approval (docs/lifecycle.md).

Each unit locks the application and the record it repairs, hands their current facts to a
``check`` callback (the pure rule; it raises a HubError to refuse, or returns what to write)
and then writes. An approval ends the record as REPAIRED on the decision date: a listing's
derived entries and measures end with it (they read its state), an action leaves the public
record that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.adapter import Runner
from hub.store.events import record_event
from hub.store.imports import trusted
from hub.store.listing_changes import END_LISTING, Change
from hub.store.values import native

_TARGETS: dict[str, LiteralString] = {
    "Listing": """
MATCH (t:Listing {id: $id})
SET t._lock = true
REMOVE t._lock
RETURN t {.*, label: 'Listing'} AS t,
       [(r:Repair)-[:REPAIRS]->(t) WHERE r.status = 'PENDING' | r.id] AS pending
""",
    "Action": """
MATCH (t:Action {id: $id})
SET t._lock = true
REMOVE t._lock
RETURN t {.*, label: 'Action'} AS t,
       [(r:Repair)-[:REPAIRS]->(t) WHERE r.status = 'PENDING' | r.id] AS pending
""",
}


def _apply(label: str) -> LiteralString:
    return trusted(
        f"""
MATCH (t:{label} {{id: $target}})
CREATE (r:Repair {{id: $repair, requestedOn: $on, status: $status, reason: $note,
                  targetLabel: '{label}', targetId: t.id, decider: t.department,
                  conductCorrected: $evidence.conductCorrected,
                  publicCommitment: $evidence.publicCommitment,
                  repairTraining: $evidence.repairTraining,
                  creditReport: $evidence.creditReport,
                  refusal: $refusal, earliest: $earliest, decidedOn: $decidedOn,
                  appliedBy: $by, department: $dept, batch: $batch, recordedAt: $now,
                  sourceDepartment: $dept}})
CREATE (r)-[:REPAIRS {{batch: $batch, recordedAt: $now, sourceDepartment: $dept}}]->(t)
CREATE (t)-[:HAS_EVENT {{batch: $batch, recordedAt: $now, sourceDepartment: $dept}}]->
       (:ListingEvent {{id: $batch + ':' + $event, type: $event, on: $on, by: $by,
                       department: $dept, reason: coalesce($refusal, $note), at: $now,
                       batch: $batch, recordedAt: $now, sourceDepartment: $dept}})
"""
        + record_event(
            "$event", "t", "on: $on, reason: coalesce($refusal, $note), recordId: $repair"
        )
    )


APPLY = {label: _apply(label) for label in ("Listing", "Action")}

LOCK_REPAIR: LiteralString = """
MATCH (r:Repair {id: $id})-[:REPAIRS]->(t)
WHERE t:Listing OR t:Action
SET r._lock = true, t._lock = true
REMOVE r._lock, t._lock
RETURN r {.*} AS r, t {.*, label: CASE WHEN t:Listing THEN 'Listing' ELSE 'Action' END} AS t
"""

DECIDE: LiteralString = """
MATCH (r:Repair {id: $id})-[:REPAIRS]->(t)
WHERE t:Listing OR t:Action
SET r.status = $status, r.decidedOn = $on, r.decision = $note, r.decidedBy = $by
WITH r, t
CREATE (t)-[:HAS_EVENT {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->
       (:ListingEvent {id: $batch + ':' + $event, type: $event, on: $on, by: $by,
                       department: $dept, reason: $note, at: $now, batch: $batch,
                       recordedAt: $now, sourceDepartment: $dept})
""" + record_event("$event", "t", "on: $on, reason: $note, recordId: $id")

END_ACTION: LiteralString = """
MATCH (t:Action {id: $id})
SET t.endedOn = $on, t.endReason = 'REPAIRED'
CREATE (t)-[:HAS_EVENT {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->
       (:ListingEvent {id: $batch + ':REPAIRED', type: 'REPAIRED', on: $on, by: $by,
                       department: $dept, reason: $note, at: $now, batch: $batch,
                       recordedAt: $now, sourceDepartment: $dept})
"""


@dataclass(frozen=True, slots=True)
class RepairRow:
    """A repair application (``Repair``) as the store reads it, the evidence it gave included."""

    id: str
    status: str
    requested_on: dt.date
    target_label: str | None = None
    target_id: str | None = None
    decider: str | None = None
    refusal: str | None = None
    earliest: dt.date | None = None
    decided_on: dt.date | None = None
    decision: str | None = None
    reason: str | None = None
    conduct_corrected: bool | None = None
    public_commitment: str | None = None
    repair_training: str | None = None
    credit_report: str | None = None


def repair_row(row: Mapping[str, Any]) -> RepairRow:
    """The store's map of a repair application (``r {.*}``) as a ``RepairRow``."""
    get = row.get
    return RepairRow(
        id=str(row["id"]),
        status=str(row["status"]),
        requested_on=row["requestedOn"],
        target_label=get("targetLabel"),
        target_id=get("targetId"),
        decider=get("decider"),
        refusal=get("refusal"),
        earliest=get("earliest"),
        decided_on=get("decidedOn"),
        decision=get("decision"),
        reason=get("reason"),
        conduct_corrected=get("conductCorrected"),
        public_commitment=get("publicCommitment"),
        repair_training=get("repairTraining"),
        credit_report=get("creditReport"),
    )


REPAIRS_BY_ID: LiteralString = """
UNWIND $keys AS k
MATCH (r:Repair {id: k})
RETURN k AS key, r {.*} AS r
"""

OPEN_REPAIRS: LiteralString = """
MATCH (r:Repair)
WHERE r.status = 'PENDING' AND r.decider = $department
RETURN r {.*} AS r
"""

# What apply_repair's check returns: the application's status, the refusal (None: PENDING),
# the earliest day an application can succeed.
Outcome = tuple[str, str | None, Any]


async def _one(tx: AsyncManagedTransaction, query: LiteralString, params: dict[str, Any]) -> Any:
    result = await tx.run(query, params)
    record = await result.single()
    return None if record is None else native(record.data())


async def apply_repair(
    tx: AsyncManagedTransaction,
    label: str,
    target_id: str,
    repair_id: str,
    evidence: dict[str, Any],
    change: Change,
    check: Callable[[dict[str, Any], list[str]], Outcome],
) -> None:
    """Record an application against the ``label`` (Listing or Action) ``target_id``: ``check``
    sees the record and its pending applications and gives the outcome to write."""
    found = await _one(tx, _TARGETS[label], {"id": target_id})
    if found is None:
        raise NotFound(f"{label.lower()} {target_id} does not exist", field="id")
    status, refusal, earliest = check(found["t"], found["pending"])
    await tx.run(
        APPLY[label],
        {
            "target": target_id,
            "repair": repair_id,
            "status": status,
            "refusal": refusal,
            "earliest": earliest,
            "decidedOn": change.on if refusal is not None else None,
            "evidence": evidence,
            "event": "REPAIR_APPLIED" if refusal is None else "REPAIR_REFUSED",
            **change.params(),
        },
    )


async def decide_repair(
    tx: AsyncManagedTransaction,
    repair_id: str | None,
    listing_id: str | None,
    approved: bool,
    change: Change,
    check: Callable[[dict[str, Any] | None, dict[str, Any]], None],
) -> str:
    """Approve (the record ends as REPAIRED on ``change.on``) or refuse an application: the one
    given, or the pending one of ``listing_id`` (``endListing(kind: REPAIRED)``); ``check``
    gets None when that listing has no pending application. Returns the application's id."""
    if repair_id is None:
        found = await _one(tx, _TARGETS["Listing"], {"id": listing_id})
        if found is None:
            raise NotFound(f"listing {listing_id} does not exist", field="id")
        if not found["pending"]:
            check(None, found["t"])
            raise NotFound(f"listing {listing_id} has no pending repair application")
        repair_id = str(found["pending"][0])
    locked = await _one(tx, LOCK_REPAIR, {"id": repair_id})
    if locked is None:
        raise NotFound(f"repair application {repair_id} does not exist", field="id")
    check(locked["r"], locked["t"])
    status = "APPROVED" if approved else "REFUSED"
    await tx.run(
        DECIDE,
        {"id": repair_id, "status": status, "event": f"REPAIR_{status}", **change.params()},
    )
    if approved:
        target = locked["t"]
        if target["label"] == "Listing":
            await tx.run(END_LISTING, {"id": target["id"], "reason": "REPAIRED", **change.params()})
        else:
            await tx.run(END_ACTION, {"id": target["id"], **change.params()})
    return repair_id


async def repairs_by_id(tx: Runner, keys: list[str]) -> list[tuple[str, RepairRow]]:
    """(key, application) for each of ``keys`` that names one."""
    result = await tx.run(REPAIRS_BY_ID, {"keys": keys})
    return [(r["key"], repair_row(native(r["r"]))) async for r in result]


async def open_repairs(tx: Runner, department: str) -> list[RepairRow]:
    """The PENDING applications ``department`` decides."""
    result = await tx.run(OPEN_REPAIRS, {"department": department})
    return [repair_row(native(r["r"])) async for r in result]
