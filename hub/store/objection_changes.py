"""Cypher of the objection steps beyond filing against a listing: objections to administrative
actions (file, resolve), the VERIFYING step of any objection, and the open objections of a
deciding department (docs/lifecycle.md).

As in hub/store/listing_changes.py, each unit locks the nodes it changes, hands the current
facts to a ``check`` callback (the pure rule, raising a HubError to refuse) and only then
writes; every step is a dated ``ListingEvent`` on the record objected to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.adapter import Runner, rows
from hub.store.events import record_event, subject_event
from hub.store.listing_changes import RESOLVE_OBJECTION, Change
from hub.store.listing_reads import ObjectionRow, objection_row
from hub.store.values import native

_EVENT = """
CREATE (t)-[:HAS_EVENT {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->
       (:ListingEvent {id: $batch + ':' + %s, type: %s, on: $on, by: $by, department: $dept,
                       reason: $note, at: $now, batch: $batch, recordedAt: $now,
                       sourceDepartment: $dept})
"""

LOCK_ACTION: LiteralString = """
MATCH (t:Action {id: $id})
SET t._lock = true
REMOVE t._lock
RETURN t {.*} AS t
"""

FILE_ACTION_OBJECTION: LiteralString = (
    """
MATCH (t:Action {id: $id})
CREATE (o:Objection {id: $objection, filedOn: $on, status: 'FILED', reason: $note,
                     filedBy: $by, department: $dept, actionId: t.id, decider: t.department,
                     batch: $batch, recordedAt: $now, sourceDepartment: $dept})
CREATE (o)-[:OBJECTS_TO {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->(t)
WITH t
"""
    + _EVENT % ("'OBJECTION_FILED'", "'OBJECTION_FILED'")
    + record_event("'OBJECTION_FILED'", "t", "on: $on, reason: $note, recordId: $objection")
)

# Any objection with what it objects to (a listing or an action), both locked.
LOCK_OBJECTION: LiteralString = """
MATCH (o:Objection {id: $id})-[:OBJECTS_TO]->(t)
WHERE t:Listing OR t:Action
SET o._lock = true, t._lock = true
REMOVE o._lock, t._lock
RETURN o {.*} AS o, t {.*, label: CASE WHEN t:Listing THEN 'Listing' ELSE 'Action' END} AS t
"""

START_VERIFICATION: LiteralString = (
    """
MATCH (o:Objection {id: $id})-[:OBJECTS_TO]->(t)
WHERE t:Listing OR t:Action
SET o.status = 'VERIFYING', o.verifyingOn = $on, o.verifiedBy = $by
WITH t
"""
    + _EVENT % ("'OBJECTION_VERIFYING'", "'OBJECTION_VERIFYING'")
    + record_event("'OBJECTION_VERIFYING'", "t", "on: $on, reason: $note, recordId: $id")
)

# An upheld objection to an action revokes it from $on (it leaves the public record that day);
# a later ending recorded meanwhile is replaced, as for listings, and kept as supersededEnding.
RESOLVE_ACTION_OBJECTION: LiteralString = (
    """
MATCH (o:Objection {id: $id})-[:OBJECTS_TO]->(t:Action)
SET o.status = $status, o.resolvedOn = $on, o.resolution = $note, o.resolvedBy = $by,
    o.upheld = $upheld
WITH o, t
"""
    + _EVENT % ("$event", "$event")
    + """
WITH o, t
CALL (t) {
  WITH t WHERE $upheld AND (t.endedOn IS NULL OR t.endedOn > $on)
  SET t.supersededEnding = CASE WHEN t.endedOn IS NULL THEN null
                           ELSE t.endReason + ' ' + toString(t.endedOn) END,
      t.endedOn = $on, t.endReason = 'REVOKED'
"""
    + _EVENT % ("'REVOKED'", "'REVOKED'")
    + """
}
WITH o, t
CALL (o, t) {
  MATCH (t)-[:ABOUT]->(s)
"""
    + subject_event(
        "$event",
        "s",
        "on: $on, reason: $note, actionId: t.id, department: t.department, recordId: o.id",
        "false",
    )
    + """
}
RETURN o.id AS id
"""
)

# Unresolved objections to the records a department decided (the rule orders them).
OPEN_OBJECTIONS: LiteralString = """
MATCH (o:Objection)-[:OBJECTS_TO]->(t)
WHERE o.status IN ['FILED', 'VERIFYING', 'OPEN'] AND (t:Listing OR t:Action)
  AND t.department = $department
RETURN o {.*, listingId: CASE WHEN t:Listing THEN t.id END,
          actionId: CASE WHEN t:Action THEN t.id END} AS o
"""

OBJECTIONS_OF_ACTIONS: LiteralString = """
UNWIND $keys AS k
MATCH (o:Objection)-[:OBJECTS_TO]->(:Action {id: k})
RETURN k AS key, o {.*, actionId: k} AS o
"""


async def _locked(
    tx: AsyncManagedTransaction, query: LiteralString, key: str, what: str
) -> dict[str, Any]:
    result = await tx.run(query, {"id": key})
    record = await result.single()
    if record is None:
        raise NotFound(f"{what} {key} does not exist", field="id")
    return native(record.data())  # type: ignore[no-any-return]


async def file_action_objection(
    tx: AsyncManagedTransaction,
    action_id: str,
    objection_id: str,
    change: Change,
    check: Callable[[dict[str, Any]], None],
) -> None:
    found = await _locked(tx, LOCK_ACTION, action_id, "action")
    check(found["t"])
    await tx.run(
        FILE_ACTION_OBJECTION, {"id": action_id, "objection": objection_id, **change.params()}
    )


async def locked_objection(tx: AsyncManagedTransaction, objection_id: str) -> dict[str, Any]:
    """The objection ``o`` and what it objects to ``t`` (with ``label``), both locked."""
    return await _locked(tx, LOCK_OBJECTION, objection_id, "objection")


async def start_verification(
    tx: AsyncManagedTransaction,
    objection_id: str,
    change: Change,
    check: Callable[[dict[str, Any], dict[str, Any]], None],
) -> None:
    found = await locked_objection(tx, objection_id)
    check(found["o"], found["t"])
    await tx.run(START_VERIFICATION, {"id": objection_id, **change.params()})


async def resolve_objection(
    tx: AsyncManagedTransaction,
    objection_id: str,
    upheld: bool,
    change: Change,
    check: Callable[[dict[str, Any], dict[str, Any]], None],
) -> None:
    """Uphold (the listing or action is revoked on ``change.on``) or reject (the suspension is
    lifted) an objection to a listing or an action."""
    found = await locked_objection(tx, objection_id)
    check(found["o"], found["t"])
    status = "UPHELD" if upheld else "REJECTED"
    query = RESOLVE_OBJECTION if found["t"]["label"] == "Listing" else RESOLVE_ACTION_OBJECTION
    await tx.run(
        query,
        {
            "id": objection_id,
            "upheld": upheld,
            "status": status,
            "event": f"OBJECTION_{status}",
            **change.params(),
        },
    )


async def open_objections(tx: Runner, department: str) -> list[ObjectionRow]:
    found = await rows(tx, OPEN_OBJECTIONS, {"department": department})
    return [objection_row(r["o"]) for r in found]


async def objections_of_actions(tx: Runner, keys: list[str]) -> list[tuple[str, ObjectionRow]]:
    """(action id, objection)."""
    found = await rows(tx, OBJECTIONS_OF_ACTIONS, {"keys": keys})
    return [(r["key"], objection_row(r["o"])) for r in found]
