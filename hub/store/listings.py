"""Cypher of the listing kinds: upserts with events, ownership and department-kind checks.

A listing's state-changing properties (``status``, ``endedOn``, ``endReason``) are never part
of an upsert's content: they change only through a dated ``ListingEvent`` (here for a removal
recorded in an upload; hub/store/listing_changes.py for the mutations). A loan default is a
``LoanReport`` node that gets the ``Listing`` label only when the regulator's confirmation is
recorded, so an unconfirmed report is invisible to everything that reads listings.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.rules.propagation import ROLE_TOKENS
from hub.store.events import (
    derived_ended,
    derived_ended_maps,
    listing_event,
    listing_event_map,
    note,
    rows_events,
)
from hub.store.imports import (
    _FIRST_SET,
    _NEW_LINK,
    _PROVENANCE_SET,
    _REVISION,
    Provenance,
    node_values,
    revision_link,
    trusted,
)
from hub.store.imports import upsert as imports_upsert
from hub.store.listing_reads import ListingRow, listing_row, projection
from hub.store.propagation import DERIVED_BODY, TIES
from hub.store.values import native

_EVENT = (
    "CREATE (n)-[:HAS_EVENT " + _NEW_LINK.replace("{", "{{").replace("}", "}}") + "]->"
    "(:ListingEvent {{id: {id}, type: {type}, "
    "on: {on}, by: b.keyId, department: $dept, reason: {reason}, at: $now, batch: $batch, "
    "recordedAt: $now, sourceDepartment: $dept}})"
)


def _trail(id: str, type: str, on: str, reason: str) -> str:
    """The listing's trail entry."""
    return _EVENT.format(id=id, type=type, on=on, reason=reason)


def _event(id: str, type: str, on: str, reason: str) -> str:
    """The listing's trail entry and its event in the event log, a pending node
    (hub/store/events.py)."""
    return _trail(id, type, on, reason) + listing_event("n", type, on, reason)


_LINKS = f"""
WITH n, row, oldFp, b
CALL (n) {{
  OPTIONAL MATCH (n)-[old:ON|REPORTED_BY]->()
  DELETE old
}}
CALL (n, row) {{
  // A row without a deciding department (a bank's report) keeps the regulator's link.
  WITH n, row WHERE row.department IS NOT NULL
  OPTIONAL MATCH (n)-[old:ISSUED_BY]->()
  DELETE old
}}
CALL (n) {{
  OPTIONAL MATCH (:Person)-[old:LIABLE]->(n)
  DELETE old
}}
CALL (n, row) {{
  WITH n, row WHERE row.department IS NOT NULL
  MATCH (d:Department {{code: row.department}})
  CREATE (n)-[:ISSUED_BY {_NEW_LINK}]->(d)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Enterprise'
  MATCH (s:Enterprise {{uscc: row.subject}})
  CREATE (n)-[:ON {_NEW_LINK}]->(s)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Person'
  MATCH (s:Person {{idNumber: row.subject}})
  CREATE (n)-[:ON {_NEW_LINK}]->(s)
}}
CALL (n, row) {{
  UNWIND row.liable AS liable
  MATCH (p:Person {{idNumber: liable}})
  CREATE (p)-[:LIABLE {_NEW_LINK}]->(n)
}}
"""

_END_BODY = """
  WITH n, row, b WHERE row.end IS NOT NULL AND n.endedOn IS NULL AND n:Listing
  SET n.endedOn = row.end.on, n.endReason = row.end.reason, n.status = 'ENDED'
"""
_END_TRAIL = {
    "id": "n.id + ':' + row.end.reason + ':' + $batch",
    "type": "row.end.reason",
    "on": "row.end.on",
    "reason": "row.end.note",
}
# The end recorded by a loan upload: its events written as pending nodes.
_END = f"""
CALL (n, row, b) {{{{
{_END_BODY}
  {{event}}
  {{derived}}
}}}}
""".format(event=_event(**_END_TRAIL), derived=derived_ended("n", "row.end.on"))
# The end recorded by a listing upload: its events returned (``ended``: [] or one list).
_END_RETURNED = f"""
CALL (n, row, b) {{
{_END_BODY}
  {_trail(**_END_TRAIL)}
  WITH n, row, [{listing_event_map("n", "row.end.reason", "row.end.on", "row.end.note")}]
       + {derived_ended_maps("n", "row.end.on")} AS ended
  RETURN collect(ended) AS ended
}}
"""


# One upload may change a listing more than once (the same id on two lines): one event each.
_UPDATED_ID = "n.id + ':UPDATED:' + $batch + ':' + toString(row.line)"


def _listing_upsert(batch: str = "MATCH (b:ImportBatch {id: $batch})") -> LiteralString:
    """Listings of an upload, with their trail entries; their events returned (``events``:
    per row a list, hub/store/events.py ``note``), not written as pending nodes."""
    listed = listing_event_map("n", "'LISTED'", "row.props.decisionDate")
    changed = listing_event_map("n", "'UPDATED'", "$today")
    return trusted(
        f"""
{batch}
UNWIND $rows AS row
MERGE (n:Listing {{id: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}, n.status = 'IN_FORCE', n.derived = false,
              n.source = row.props.source, n.department = row.props.department
WITH n, row, b, n.fp AS oldFp
// The owner was checked before (hub/importer/listing_writers.py), but another department's
// upload may have created the same id since: its listing is not touched (TAKEN finds it).
WHERE (oldFp IS NULL OR oldFp <> row.fp) AND NOT n.derived
  AND n.source = row.props.source AND n.department = row.props.department
{_REVISION.format(v="n", entity="Listing", link=revision_link("n"))}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
{_LINKS}
CALL (n, row, b, oldFp) {{
  WITH n, row, b WHERE oldFp IS NULL
  {_trail(id="n.id + ':LISTED'", type="'LISTED'", on="row.props.decisionDate", reason="null")}
  RETURN collect({listed}) AS listed
}}
CALL (n, row, b, oldFp) {{
  WITH n, row, b WHERE oldFp IS NOT NULL
  {_trail(id=_UPDATED_ID, type="'UPDATED'", on="$today", reason="null")}
  RETURN collect({changed}) AS changed
}}
{_END_RETURNED}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created,
       collect(listed + changed + coalesce(ended[0], [])) AS events
"""
    )


def _loan_upsert() -> LiteralString:
    reported = _event(
        id="n.id + ':REPORTED'", type="'REPORTED'", on="row.props.reportedOn", reason="null"
    )
    updated = _event(id=_UPDATED_ID, type="'UPDATED'", on="$today", reason="null")
    confirmed = _event(
        id="n.id + ':CONFIRMED'",
        type="'CONFIRMED'",
        on="row.props.confirmedOn",
        reason="'confirmed by ' + row.props.confirmedBy",
    )
    return trusted(
        f"""
MATCH (b:ImportBatch {{id: $batch}})
UNWIND $rows AS row
MERGE (n:LoanReport {{id: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}, n.status = 'PENDING_CONFIRMATION', n.derived = false
WITH n, row, b, n.fp AS oldFp
// Once confirmed, the listing is the regulator's: a bank's re-report (checked to carry the
// same facts, hub/importer/listing_writers.py) changes nothing.
WHERE (oldFp IS NULL OR oldFp <> row.fp) AND (row.confirmed OR NOT n:Listing)
{_REVISION.format(v="n", entity="LoanReport", link=revision_link("n"))}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
{_LINKS}
CALL (n, row) {{
  MATCH (bank:Department {{code: row.bank}})
  CREATE (n)-[:REPORTED_BY {_NEW_LINK}]->(bank)
}}
CALL (n, row, b, oldFp) {{
  WITH n, row, b WHERE oldFp IS NULL
  {reported}
}}
CALL (n, row, b, oldFp) {{
  WITH n, row, b WHERE oldFp IS NOT NULL
  {updated}
}}
CALL (n, row, b) {{
  WITH n, row, b WHERE row.confirmed AND NOT n:Listing
  SET n:Listing, n.status = 'IN_FORCE'
  {confirmed}
}}
{_END}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created
"""
    )


UPSERT_LISTINGS = _listing_upsert()

# Listing ids of ``rows`` that belong to another owner after the upsert: created by another
# department's upload between this unit's owner check and its write.
TAKEN: LiteralString = """
UNWIND $rows AS row
MATCH (n:Listing {id: row.key})
WHERE n.derived OR n.source <> row.props.source OR n.department <> row.props.department
RETURN collect(row.key) AS taken
"""


async def taken_ids(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> list[str]:
    record = await (await tx.run(TAKEN, {"rows": rows})).single()
    return list(record["taken"]) if record else []


UPSERT_LOAN_REPORTS = _loan_upsert()


upsert = imports_upsert  # the same counting upsert as every MERGE-based write


EXISTING_OWNERS: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (l:Listing {id: id})
OPTIONAL MATCH (r:LoanReport {id: id})
WITH id, coalesce(l, r) AS n
WHERE n IS NOT NULL
RETURN id, n.source AS source, n.department AS department, n.bank AS bank,
       coalesce(n.derived, false) AS derived, n:Listing AS listed,
       n.confirmedBy AS confirmedBy, n.confirmedOn AS confirmedOn,
       n.subjectKey AS subjectKey, n.principalOverdueSince AS principalOverdueSince,
       n.reportedOn AS reportedOn, n.basis AS basis, n.fp AS fp,
       n.endedOn AS endedOn, n.endReason AS endReason
"""


async def existing_owners(tx: AsyncManagedTransaction, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Listing (or loan report) id -> who owns it (source, department, bank, derived) and, for
    a loan report, whether it is confirmed (``listed``) and the facts the bank reported."""
    result = await tx.run(EXISTING_OWNERS, {"ids": ids})
    return {r["id"]: native(r.data()) for r in await result.fetch(1_000_000)}


async def department_kinds(tx: AsyncManagedTransaction, codes: list[str]) -> dict[str, str]:
    return await node_values(tx, "Department", "kind", codes)


# --- one listing in one statement (the listSubject mutation) ------------------------------------

PLAN_ONE: dict[str, LiteralString] = {
    label: trusted(
        f"""
OPTIONAL MATCH (s:{label} {{{key}: $subject}})
CALL (s) {{
  // Lock the subject before reading its ties: a concurrent role or shareholding upload
  // either commits before (its ties are read here) or waits and then re-derives this listing.
  WITH s WHERE s IS NOT NULL
  SET s._lock = true
  REMOVE s._lock
}}
OPTIONAL MATCH (d:Department {{code: $department}})
OPTIONAL MATCH (l:Listing {{id: $id}})
OPTIONAL MATCH (r:LoanReport {{id: $id}})
WITH s, d, coalesce(l, r) AS existing
CALL (s) {{
  WITH s, $liable AS liable WHERE s IS NOT NULL AND $ties
{TIES}
}}
CALL () {{
  UNWIND $liable AS pid
  MATCH (p:Person {{idNumber: pid}})
  RETURN collect(pid) AS liableFound
}}
RETURN s IS NOT NULL AS subjectFound, d IS NOT NULL AS departmentFound, d.kind AS departmentKind,
       existing {{.source, .department, .bank, derived: coalesce(existing.derived, false)}} AS existing,
       ties, liableFound
"""
    )
    for label, key in (("Enterprise", "uscc"), ("Person", "idNumber"))
}


async def plan_one(
    tx: AsyncManagedTransaction,
    label: str,
    subject: str,
    department: str,
    listing_id: str,
    liable: list[str],
    ties: bool,
) -> dict[str, Any]:
    """What one listing needs before it is written: references, the department's kind,
    ownership, ties (hub/store/propagation.TIES) — read after locking the subject (see PLAN_ONE)."""
    result = await tx.run(
        PLAN_ONE[label],
        {
            "subject": subject,
            "department": department,
            "id": listing_id,
            "liable": liable,
            "ties": ties,
            "reaching": list(ROLE_TOKENS),
        },
    )
    record = await result.single()
    assert record is not None  # noqa: S101 - OPTIONAL MATCH always yields one row
    return native(record.data())  # type: ignore[no-any-return]


def _write_one() -> LiteralString:
    upsert = _listing_upsert(batch="WITH b")
    return trusted(
        f"""
CREATE (b:ImportBatch {{id: $batch, department: $dept, keyId: $keyId, source: $source,
                       startedAt: $now, recordedAt: $now, sourceDepartment: $dept}})
WITH b
CALL (b) {{
{upsert}
}}
CALL () {{
{DERIVED_BODY}
}}
SET b.finishedAt = datetime(), b.lines = 1, b.accepted = 1, b.rejected = 0,
    b.created = created, b.updated = updated, b.unchanged = 1 - created - updated,
    b.complete = true
WITH created, updated, written, events + derivedEvents AS events
MATCH (l:Listing {{id: $id}})
RETURN created, updated, written, {projection("l")} AS l, events
"""
    )


WRITE_ONE = _write_one()


async def write_one(
    tx: AsyncManagedTransaction,
    row: dict[str, Any],
    derived: dict[str, Any],
    prov: Provenance,
    key_id: str | None,
    source: str,
) -> ListingRow:
    """Batch, listing, events and derived entries in one statement; the listing as read."""
    result = await tx.run(
        WRITE_ONE,
        {
            "rows": [row],
            "sources": [derived],
            "id": row["key"],
            "keyId": key_id,
            "source": source,
            **prov.params(),
        },
    )
    record = await result.single()
    assert record is not None  # noqa: S101 - the listing was just written
    await note(tx, rows_events(record["events"]), prov.now)
    return listing_row(native(record["l"]))
