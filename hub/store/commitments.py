"""Cypher of commitments (信用承诺) and voluntary information (自愿注册).

A commitment's code takes the next number of its division and day from a
``CommitmentSequence`` node, read under that node's write lock, in the transaction that
creates the commitment: concurrent writers queue on the lock, and a transaction that fails
rolls its number back with it, so the numbers of a day are gapless. A fulfilment and a
verification lock their node, hand its facts to a ``check`` callback (the pure rule, raising a
HubError to refuse) and only then write, so the check and the write see the same state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import Conflict, NotFound
from hub.store.adapter import Runner
from hub.store.events import subject_event
from hub.store.imports import _FIRST_SET, _NEW_LINK, _REVISION, revision_link, trusted
from hub.store.subjects import EnterpriseRow, PersonRow, enterprise_row, person_row
from hub.store.values import native

_STAMP = "{v}.fp = $fp, {v}.batch = $batch, {v}.recordedAt = $now, {v}.sourceDepartment = $dept"

COMMITMENT_BY_ID: LiteralString = """
MATCH (c:Commitment {id: $id})
RETURN c {.*, subjectLabel: [(c)-[:MADE_BY]->(s) | labels(s)[0]][0]} AS c
"""

COMMITMENTS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (c:Commitment {id: id})
RETURN collect(c {.*}) AS found
"""

COMMITMENTS_BY_CODES: LiteralString = """
UNWIND $codes AS code
MATCH (c:Commitment {code: code})
RETURN collect(c {.*}) AS found
"""

SUBJECT_EXISTS: LiteralString = """
OPTIONAL MATCH (e:Enterprise {uscc: $subject})
OPTIONAL MATCH (p:Person {idNumber: $subject})
OPTIONAL MATCH (d:Department {code: $department})
RETURN (CASE $subjectLabel WHEN 'Enterprise' THEN e ELSE p END) IS NOT NULL AS subject,
       d IS NOT NULL AS department
"""

# The lock is taken by a write (``_lock``) before ``last`` is read: the read then sees the
# value the previous holder committed.
NEXT_SEQUENCE: LiteralString = """
MERGE (s:CommitmentSequence {key: $key})
ON CREATE SET s.last = 0, s.division = $division, s.day = $day, s.batch = $batch,
              s.recordedAt = $now, s.sourceDepartment = $dept
SET s._lock = true
REMOVE s._lock
WITH s
SET s.last = s.last + 1
RETURN s.last AS sequence
"""

CREATE_COMMITMENT: LiteralString = trusted(
    f"""
MATCH (d:Department {{code: $department}})
OPTIONAL MATCH (e:Enterprise {{uscc: $subject}})
OPTIONAL MATCH (p:Person {{idNumber: $subject}})
WITH d, CASE $subjectLabel WHEN 'Enterprise' THEN e ELSE p END AS s
WHERE s IS NOT NULL
CREATE (c:Commitment {{id: $id}})
SET c += $props, c.code = $code, c.sequence = $sequence, {_STAMP.format(v="c")},
    {_FIRST_SET.format(v="c")}
CREATE (c)-[:MADE_BY {_NEW_LINK}]->(s)
CREATE (c)-[:ISSUED_BY {_NEW_LINK}]->(d)
RETURN c {{.*}} AS c
"""
)

# An upload changing a commitment's content (never its code, date, subject or department: the
# importer's check refuses that): the old content is kept as a Revision.
UPDATE_COMMITMENT: LiteralString = trusted(
    f"""
MATCH (c:Commitment {{id: $id}})
SET c.fp = c.fp
WITH c, {{key: $id, line: $line}} AS row, c.fp AS oldFp
WHERE oldFp <> $fp
{_REVISION.format(v="c", entity="Commitment", link=revision_link("c"))}
SET c += $props, {_STAMP.format(v="c")}
RETURN c {{.*}} AS c
"""
)

LOCK_COMMITMENT: LiteralString = """
MATCH (c:Commitment {code: $code})
SET c._lock = true
REMOVE c._lock
RETURN c {.*} AS n
"""

# A BROKEN fulfilment is an event (docs/feeds.md), public when the commitment is; a commitment
# disclosed to no one (NONE) writes none: the log is read by every keyed caller.
RECORD_FULFILMENT: LiteralString = trusted(
    f"""
MATCH (c:Commitment {{code: $code}})
SET c.fulfilment = $status, c.undone = $undone, c.confirmedBy = $confirmedBy,
    c.confirmedOn = $confirmedOn, c.fulfilmentDepartment = $dept, c.fulfilmentBy = $by,
    c.fulfilmentAt = $now, c.fulfilmentBatch = $batch
WITH c
CALL (c) {{
  MATCH (c)-[:MADE_BY]->(s)
  WITH c, s WHERE $status = 'BROKEN' AND coalesce(c.disclosure, 'PUBLIC') <> 'NONE'
  {
        subject_event(
            "'COMMITMENT_BROKEN'",
            "s",
            "on: c.confirmedOn, reason: null, commitmentCode: c.code, scenario: c.scenario, "
            "department: c.department",
            "coalesce(c.disclosure, 'PUBLIC') = 'PUBLIC'",
        )
    }
}}
RETURN c {{.*}} AS n
"""
)


@dataclass(frozen=True, slots=True)
class FulfilmentRow:
    """How a commitment was kept, once its department recorded it."""

    status: str
    confirmed_on: dt.date
    undone: str | None = None
    confirmed_by: str | None = None


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """A commitment as the store reads it (``_COMMITMENT_ROW``: with its department's name and
    its subject, a few properties of it), with its fulfilment once recorded."""

    code: str
    type: str
    content: str
    liability: str
    made_on: dt.date
    disclosure: str | None
    department: str | None
    department_name: str | None = None
    scenario: str | None = None
    case_number: str | None = None
    subject: PersonRow | EnterpriseRow | None = None
    fulfilment: FulfilmentRow | None = None

    @property
    def broken_on(self) -> dt.date | None:
        """The day a BROKEN fulfilment was confirmed (the breach), else None."""
        kept = self.fulfilment
        return kept.confirmed_on if kept is not None and kept.status == "BROKEN" else None


def commitment_row(row: Mapping[str, Any]) -> CommitmentRow:
    """The store's map of a commitment (``_COMMITMENT_ROW`` or ``c {.*}``) as a
    ``CommitmentRow``."""
    get = row.get
    subject = get("subject")
    status = get("fulfilment")
    return CommitmentRow(
        code=str(row["code"]),
        type=str(row["type"]),
        content=str(row["content"]),
        liability=str(row["liability"]),
        made_on=row["madeOn"],
        disclosure=get("disclosure"),
        department=get("department"),
        department_name=get("departmentName"),
        scenario=get("scenario"),
        case_number=get("caseNumber"),
        subject=(
            None
            if not subject
            else enterprise_row(subject)
            if subject.get("uscc")
            else person_row(subject)
        ),
        fulfilment=(
            FulfilmentRow(status, row["confirmedOn"], get("undone"), get("confirmedBy"))
            if status
            else None
        ),
    )


_COMMITMENT_ROW = """c {.*, departmentName: [(c)-[:ISSUED_BY]->(d:Department) | d.name][0],
  subject: [(c)-[:MADE_BY]->(s) | s {.uscc, .idNumber, .name}][0]}"""

COMMITMENT_BY_CODE: LiteralString = trusted(
    f"""
MATCH (c:Commitment {{code: $code}})
RETURN {_COMMITMENT_ROW} AS c
"""
)

# The commitments of subjects (DataLoader: one statement for every subject of a request).
COMMITMENTS_OF: dict[str, LiteralString] = {
    label: trusted(
        f"""
UNWIND $keys AS k
MATCH (n:{label} {{{key}: k}})<-[:MADE_BY]-(c:Commitment)
WITH k, c ORDER BY c.madeOn DESC, c.code DESC
RETURN k AS key, {_COMMITMENT_ROW} AS c
"""
    )
    for label, key in (("Enterprise", "uscc"), ("Person", "idNumber"))
}


async def commitment_by_id(
    tx: AsyncManagedTransaction, commitment_id: str
) -> dict[str, Any] | None:
    record = await (await tx.run(COMMITMENT_BY_ID, {"id": commitment_id})).single()
    return native(record["c"]) if record else None


async def commitments_by_ids(tx: Runner, ids: list[str]) -> dict[str, dict[str, Any]]:
    record = await (await tx.run(COMMITMENTS_BY_IDS, {"ids": ids})).single()
    found = native(record["found"]) if record else []
    return {str(c["id"]): c for c in found}


async def commitments_by_codes(tx: Runner, codes: list[str]) -> dict[str, dict[str, Any]]:
    record = await (await tx.run(COMMITMENTS_BY_CODES, {"codes": codes})).single()
    found = native(record["found"]) if record else []
    return {str(c["code"]): c for c in found}


async def next_sequence(
    tx: Runner, key: str, division: str, day: dt.date, prov: dict[str, Any]
) -> int:
    params = {"key": key, "division": division, "day": day, **prov}
    record = await (await tx.run(NEXT_SEQUENCE, params)).single()
    if record is None:
        raise LookupError(f"sequence {key} was not drawn")
    return int(record["sequence"])


async def create_commitment(
    tx: Runner, row: dict[str, Any], code: str, sequence: int, prov: dict[str, Any]
) -> dict[str, Any]:
    """Create the commitment with its code (its subject and department must exist)."""
    params = {**row, "code": code, "sequence": sequence, **prov}
    record = await (await tx.run(CREATE_COMMITMENT, params)).single()
    if record is None:
        raise NotFound(f"the subject {row['subject']} or department {row['department']} is unknown")
    return dict(native(record["c"]))


async def update_commitment(tx: Runner, row: dict[str, Any], prov: dict[str, Any]) -> bool:
    """Write changed content (with a Revision of the old); False when it was unchanged."""
    record = await (await tx.run(UPDATE_COMMITMENT, {**row, **prov})).single()
    return record is not None


async def record_commitment(
    tx: AsyncManagedTransaction,
    row: dict[str, Any],
    division: str,
    sequence_key: str,
    code_of: Callable[[int], str],
    prov: dict[str, Any],
) -> tuple[dict[str, Any], bool]:
    """(the commitment, created?). The id is the caller's request id: a retry with the same
    content returns the commitment it created; other content under the id is a CONFLICT."""
    existing = await commitment_by_id(tx, row["id"])
    if existing is not None:
        if existing.get("fp") != row["fp"]:
            raise Conflict(
                f"request id {row['id']} already recorded a commitment with other content; "
                "use a new request id",
                field="requestId",
            )
        return existing, False
    found = await (await tx.run(SUBJECT_EXISTS, row)).single()
    if found is None or not found["department"]:
        raise NotFound(f"department {row['department']} is unknown", field="department")
    if not found["subject"]:
        raise NotFound(f"subject {row['subject']} is unknown", field="subject")
    sequence = await next_sequence(tx, sequence_key, division, row["props"]["madeOn"], prov)
    return await create_commitment(tx, row, code_of(sequence), sequence, prov), True


async def _checked_change(
    tx: AsyncManagedTransaction,
    lock: LiteralString,
    write: LiteralString,
    params: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
    what: str,
    field: str,
) -> dict[str, Any]:
    """Lock the node (``lock`` returns it as ``n``), hand it to ``check`` (the pure rule, which
    raises to refuse), then ``write`` (returning it as ``n``): one unit, nothing written when
    refused."""
    record = await (await tx.run(lock, params)).single()
    if record is None:
        raise NotFound(f"{what} does not exist", field=field)
    check(native(record["n"]))
    written = await (await tx.run(write, params)).single()
    if written is None:
        raise LookupError(f"{what} disappeared while it was changed")
    return dict(native(written["n"]))


async def record_fulfilment(
    tx: AsyncManagedTransaction,
    code: str,
    params: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    return await _checked_change(
        tx,
        LOCK_COMMITMENT,
        RECORD_FULFILMENT,
        {"code": code, **params},
        check,
        f"commitment {code}",
        "code",
    )


async def commitment_by_code(tx: AsyncManagedTransaction, code: str) -> CommitmentRow | None:
    record = await (await tx.run(COMMITMENT_BY_CODE, {"code": code})).single()
    return commitment_row(native(record["c"])) if record else None


async def commitments_of(
    tx: Runner, label: str, keys: list[str]
) -> list[tuple[str, CommitmentRow]]:
    """(key, commitment): the commitments made by the subjects of ``label`` keyed ``keys``."""
    result = await tx.run(COMMITMENTS_OF[label], {"keys": keys})
    return [(r["key"], commitment_row(native(r["c"]))) async for r in result]


# --- voluntary information -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoluntaryRow:
    """Voluntary information as the store reads it (``_VOLUNTARY_ROW``: with its department's
    name), verified or not."""

    id: str
    category: str
    content: str
    truthfulness_commitment: str
    registered_on: dt.date
    status: str
    department: str
    department_name: str | None = None
    verified_on: dt.date | None = None
    verification_reason: str | None = None


def voluntary_row(row: Mapping[str, Any]) -> VoluntaryRow:
    """The store's map of voluntary information (``_VOLUNTARY_ROW``) as a ``VoluntaryRow``."""
    get = row.get
    return VoluntaryRow(
        id=str(row["id"]),
        category=str(row["category"]),
        content=str(row["content"]),
        truthfulness_commitment=str(row["truthfulnessCommitment"]),
        registered_on=row["registeredOn"],
        status=str(row["status"]),
        department=str(row["department"]),
        department_name=get("departmentName"),
        verified_on=get("verifiedOn"),
        verification_reason=get("verificationReason"),
    )


_VOLUNTARY_ROW = """v {.*, departmentName: [(v)-[:ISSUED_BY]->(d:Department) | d.name][0],
  subject: [(v)-[:DECLARED_BY]->(s) | s {.uscc, .idNumber, .name}][0]}"""

REGISTER_VOLUNTARY: LiteralString = trusted(
    f"""
MATCH (d:Department {{code: $department}})
OPTIONAL MATCH (e:Enterprise {{uscc: $subject}})
OPTIONAL MATCH (p:Person {{idNumber: $subject}})
WITH d, CASE $subjectLabel WHEN 'Enterprise' THEN e ELSE p END AS s
WHERE s IS NOT NULL
MERGE (v:VoluntaryInformation {{id: $id}})
ON CREATE SET v += $props, v.status = 'PENDING', {_STAMP.format(v="v")},
              {_FIRST_SET.format(v="v")}, v.created = true
WITH v, s, d, coalesce(v.created, false) AS created
REMOVE v.created
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
  CREATE (v)-[:DECLARED_BY {_NEW_LINK}]->(s)
  CREATE (v)-[:ISSUED_BY {_NEW_LINK}]->(d)
  {
        subject_event(
            "'VOLUNTARY_REGISTERED'",
            "s",
            "on: v.registeredOn, reason: null, department: v.department, recordId: v.id",
            "false",
        )
    })
RETURN v {{.*}} AS v, created
"""
)

LOCK_VOLUNTARY: LiteralString = """
MATCH (v:VoluntaryInformation {id: $id})
SET v._lock = true
REMOVE v._lock
RETURN v {.*} AS n
"""

# Pending information is keyed callers' only: its registration is not a public event; its
# verification is when it was ACCEPTED (verified information is public).
VERIFY_VOLUNTARY: LiteralString = trusted(
    f"""
MATCH (v:VoluntaryInformation {{id: $id}})
SET v.status = $status, v.verifiedOn = $on, v.verificationReason = $reason, v.verifiedBy = $by,
    v.verifiedByDepartment = $dept, v.verifiedAt = $now
WITH v
CALL (v) {{
  MATCH (v)-[:DECLARED_BY]->(s)
  WITH v, s LIMIT 1
  {
        subject_event(
            "'VOLUNTARY_VERIFIED'",
            "s",
            "on: $on, reason: $reason, result: $status, department: v.department, recordId: v.id",
            "$status = 'ACCEPTED'",
        )
    }
}}
RETURN v {{.*}} AS n
"""
)

VOLUNTARY_BY_ID: LiteralString = trusted(
    f"""
MATCH (v:VoluntaryInformation {{id: $id}})
RETURN {_VOLUNTARY_ROW} AS v
"""
)

VOLUNTARY_OF: dict[str, LiteralString] = {
    label: trusted(
        f"""
UNWIND $keys AS k
MATCH (n:{label} {{{key}: k}})<-[:DECLARED_BY]-(v:VoluntaryInformation)
WITH k, v ORDER BY v.registeredOn DESC, v.id DESC
RETURN k AS key, {_VOLUNTARY_ROW} AS v
"""
    )
    for label, key in (("Enterprise", "uscc"), ("Person", "idNumber"))
}


async def register_voluntary(
    tx: AsyncManagedTransaction, row: dict[str, Any], prov: dict[str, Any]
) -> dict[str, Any]:
    """Create it (PENDING); a retry with the same request id and content returns it."""
    record = await (await tx.run(REGISTER_VOLUNTARY, {**row, **prov})).single()
    if record is None:
        raise NotFound(
            f"the subject {row['subject']} or department {row['department']} is unknown",
            field="subject",
        )
    stored: dict[str, Any] = native(record["v"])
    if not record["created"] and stored.get("fp") != row["fp"]:
        raise Conflict(
            f"request id {row['id']} already registered other information; use a new request id",
            field="requestId",
        )
    return stored


async def verify_voluntary(
    tx: AsyncManagedTransaction,
    info_id: str,
    params: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    return await _checked_change(
        tx,
        LOCK_VOLUNTARY,
        VERIFY_VOLUNTARY,
        {"id": info_id, **params},
        check,
        f"voluntary information {info_id}",
        "id",
    )


async def voluntary_by_id(tx: AsyncManagedTransaction, info_id: str) -> VoluntaryRow | None:
    record = await (await tx.run(VOLUNTARY_BY_ID, {"id": info_id})).single()
    return voluntary_row(native(record["v"])) if record else None


async def voluntary_of(tx: Runner, label: str, keys: list[str]) -> list[tuple[str, VoluntaryRow]]:
    """(key, information): the voluntary information of the subjects of ``label`` keyed
    ``keys``."""
    result = await tx.run(VOLUNTARY_OF[label], {"keys": keys})
    return [(r["key"], voluntary_row(native(r["v"]))) async for r in result]
