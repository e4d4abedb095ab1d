"""Cypher of the listing workflows: end a listing, file and resolve an objection.

Each unit of work locks the nodes it changes (for an objection's resolution: the objection and
its listing), hands the current facts to a ``check`` callback (the pure rule, raising a HubError
to refuse) and only then writes: the check and the write see the same state. Every change is a
dated ``ListingEvent``; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.events import derived_ended, listing_event
from hub.store.values import native


@dataclass(frozen=True)
class Change:
    """Who changes what, when: the event's date, reason, caller and provenance."""

    on: dt.date
    note: str
    by: str | None  # API key id
    department: str | None
    now: dt.datetime
    batch: str  # an id of this change, as an import batch id would be

    def params(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "note": self.note,
            "by": self.by,
            "dept": self.department,
            "now": self.now,
            "batch": self.batch,
        }


_EVENT = """
CREATE (l)-[:HAS_EVENT {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->
       (:ListingEvent {id: $batch + ':' + %s, type: %s, on: $on, by: $by, department: $dept,
                       reason: %s, at: $now, batch: $batch, recordedAt: $now,
                       sourceDepartment: $dept})
"""


def _event(kind: str, reason: str) -> str:
    """The listing's trail entry and its event in the event log (hub/store/events.py)."""
    return _EVENT % (kind, kind, reason) + listing_event("l", kind, "$on", reason)


LOCK_LISTING: LiteralString = """
MATCH (l:Listing {id: $id})
SET l._lock = true
REMOVE l._lock
RETURN l {.*} AS l
"""

END_LISTING: LiteralString = (
    """
MATCH (l:Listing {id: $id})
SET l.endedOn = $on, l.endReason = $reason, l.status = 'ENDED'
"""
    + _event("$reason", "$note")
    + derived_ended("l", "$on")
)

FILE_OBJECTION: LiteralString = """
MATCH (l:Listing {id: $id})
CREATE (o:Objection {id: $objection, filedOn: $on, status: 'OPEN', reason: $note,
                     filedBy: $by, department: $dept, listingId: l.id, batch: $batch,
                     recordedAt: $now, sourceDepartment: $dept})
CREATE (o)-[:OBJECTS_TO {batch: $batch, recordedAt: $now, sourceDepartment: $dept}]->(l)
WITH l
""" + _event("'OBJECTION_FILED'", "$note")

# The objection and its listing: an upheld resolution revokes the listing, so a concurrent
# endListing (which locks the listing) and this resolution must see each other's write.
LOCK_OBJECTION: LiteralString = """
MATCH (o:Objection {id: $id})-[:OBJECTS_TO]->(l:Listing)
SET o._lock = true, l._lock = true
REMOVE o._lock, l._lock
RETURN o {.*} AS o, l {.*} AS l
"""

RESOLVE_OBJECTION: LiteralString = (
    """
MATCH (o:Objection {id: $id})-[:OBJECTS_TO]->(l:Listing)
SET o.status = $status, o.resolvedOn = $on, o.resolution = $note, o.resolvedBy = $by,
    o.upheld = $upheld
WITH o, l
"""
    + _event("$event", "$note")
    + """
WITH o, l
CALL (l) {
  // Upheld: revoked from $on, also when an ending recorded meanwhile falls later (the listing
  // must not come back to life between the two); that ending is kept as supersededEnding.
  WITH l WHERE $upheld AND (l.endedOn IS NULL OR l.endedOn > $on)
  SET l.supersededEnding = CASE WHEN l.endedOn IS NULL THEN null
                           ELSE l.endReason + ' ' + toString(l.endedOn) END,
      l.endedOn = $on, l.endReason = 'REVOKED', l.status = 'ENDED'
"""
    + _event("'REVOKED'", "$note")
    + derived_ended("l", "$on")
    + """
}
RETURN o.id AS id
"""
)


async def _locked(
    tx: AsyncManagedTransaction, query: LiteralString, key: str, what: str
) -> dict[str, Any]:
    result = await tx.run(query, {"id": key})
    record = await result.single()
    if record is None:
        raise NotFound(f"{what} {key} does not exist", field="id")
    return native(record.data())  # type: ignore[no-any-return]


Check = Callable[[dict[str, Any]], None]


async def end_listing(
    tx: AsyncManagedTransaction, listing_id: str, reason: str, change: Change, check: Check
) -> None:
    """End a listing for ``reason`` (ENDED, REMOVED, REVOKED, REPAIRED) after ``check``."""
    found = await _locked(tx, LOCK_LISTING, listing_id, "listing")
    check(found["l"])
    await tx.run(END_LISTING, {"id": listing_id, "reason": reason, **change.params()})


async def file_objection(
    tx: AsyncManagedTransaction,
    listing_id: str,
    objection_id: str,
    change: Change,
    check: Check,
) -> None:
    found = await _locked(tx, LOCK_LISTING, listing_id, "listing")
    check(found["l"])
    await tx.run(FILE_OBJECTION, {"id": listing_id, "objection": objection_id, **change.params()})


async def resolve_objection(
    tx: AsyncManagedTransaction,
    objection_id: str,
    upheld: bool,
    change: Change,
    check: Callable[[dict[str, Any], dict[str, Any]], None],
) -> str:
    """Uphold (the listing is revoked on ``change.on``) or reject (the suspension is lifted)."""
    found = await _locked(tx, LOCK_OBJECTION, objection_id, "objection")
    check(found["o"], found["l"])
    status = "UPHELD" if upheld else "REJECTED"
    await tx.run(
        RESOLVE_OBJECTION,
        {
            "id": objection_id,
            "upheld": upheld,
            "status": status,
            "event": f"OBJECTION_{status}",
            **change.params(),
        },
    )
    return str(found["l"]["id"])
