"""Cypher of the importer: idempotent upserts with provenance and revisions.

Labels and relationship types are spliced into the text only from the allowlists below (never
from input); every value is a parameter. An upsert compares the record's fingerprint ``fp``
with the stored one: equal means nothing is written (a re-import changes nothing); different
means the old content is kept as a ``Revision`` and the new content replaces it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

# label -> key property
NODE_KEYS: dict[str, str] = {
    "Enterprise": "uscc",
    "Person": "idNumber",
    "Department": "code",
    "Action": "id",
    "Listing": "id",
    "Evaluation": "id",
    "Measure": "code",
}
HOLDER_LABELS = ("Person", "Enterprise")
ROLE_TYPES = (
    "LEGAL_REPRESENTATIVE_OF",
    "PRINCIPAL_OF",
    "OFFICER_OF",
    "PRACTITIONER_AT",
    "CONTROLS",
    "HOLDS_SHARES",
)


def trusted(text: str) -> LiteralString:
    """Mark Cypher assembled only from the allowlists in this module as safe to run."""
    return text  # mypy treats LiteralString as str; pyright checks callers of the driver


@dataclass
class Provenance:
    batch: str
    department: str
    now: dt.datetime

    def params(self) -> dict[str, Any]:
        return {"batch": self.batch, "dept": self.department, "now": self.now}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


_PROVENANCE_SET = (
    "{v}.fp = row.fp, {v}.batch = $batch, {v}.recordedAt = $now, {v}.sourceDepartment = $dept"
)
_FIRST_SET = "{v}.firstBatch = $batch, {v}.firstRecordedAt = $now"
_NEW_LINK = "{batch: $batch, recordedAt: $now, sourceDepartment: $dept}"

_REVISION = """
CALL ({v}, row, oldFp) {{
  WITH {v}, row, oldFp WHERE oldFp IS NOT NULL
  CREATE (rev:Revision)
  SET rev += properties({v}), rev.id = $batch + ':' + row.key + ':' + toString(row.line),
      rev.entity = '{entity}:' + row.key, rev.supersededAt = $now, rev.supersededBy = $batch
  {link}
}}
"""


def _node_upsert(label: str, extra: str = "") -> LiteralString:
    key = NODE_KEYS[label]
    return trusted(
        f"""
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}
WITH n, row, n.fp AS oldFp
WHERE oldFp IS NULL OR oldFp <> row.fp
{_REVISION.format(v="n", entity=label, link="CREATE (n)-[:HAS_REVISION]->(rev)")}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
{extra}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created
"""
    )


_SUBJECT_LINKS = f"""
WITH n, row, oldFp
CALL (n) {{
  OPTIONAL MATCH (n)-[old:LOCATED_AT|REACHABLE_AT]->()
  DELETE old
}}
CALL (n, row) {{
  WITH n, row WHERE row.address IS NOT NULL
  MERGE (a:Address {{key: row.address.key}})
  ON CREATE SET a.text = row.address.text, {_FIRST_SET.format(v="a")},
                a.batch = $batch, a.recordedAt = $now, a.sourceDepartment = $dept
  CREATE (n)-[:LOCATED_AT {_NEW_LINK}]->(a)
}}
CALL (n, row) {{
  WITH n, row WHERE row.phone IS NOT NULL
  MERGE (p:Phone {{number: row.phone}})
  ON CREATE SET {_FIRST_SET.format(v="p")}, p.batch = $batch, p.recordedAt = $now,
                p.sourceDepartment = $dept
  CREATE (n)-[:REACHABLE_AT {_NEW_LINK}]->(p)
}}
"""

LINK_BRANCHES = trusted(
    f"""
UNWIND $rows AS row
MATCH (n:Enterprise {{uscc: row.key}})
WHERE n.batch = $batch
CALL (n) {{
  OPTIONAL MATCH (n)-[old:BRANCH_OF]->()
  DELETE old
}}
WITH n, row WHERE row.branchOf IS NOT NULL
MATCH (parent:Enterprise {{uscc: row.branchOf}})
CREATE (n)-[:BRANCH_OF {_NEW_LINK}]->(parent)
"""
)

UPSERT_ENTERPRISES = _node_upsert("Enterprise", _SUBJECT_LINKS)
UPSERT_PERSONS = _node_upsert("Person", _SUBJECT_LINKS)
UPSERT_DEPARTMENTS = _node_upsert("Department")

UPSERT_ACTIONS = trusted(
    f"""
UNWIND $rows AS row
MERGE (n:Action {{id: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}
WITH n, row, n.fp AS oldFp
WHERE oldFp IS NULL OR oldFp <> row.fp
{_REVISION.format(v="n", entity="Action", link="CREATE (n)-[:HAS_REVISION]->(rev)")}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
WITH n, row, oldFp
CALL (n) {{
  OPTIONAL MATCH (n)-[old:ABOUT|ISSUED_BY]->()
  DELETE old
}}
CALL (n, row) {{
  MATCH (d:Department {{code: row.department}})
  CREATE (n)-[:ISSUED_BY {_NEW_LINK}]->(d)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Enterprise'
  MATCH (s:Enterprise {{uscc: row.subject}})
  CREATE (n)-[:ABOUT {_NEW_LINK}]->(s)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Person'
  MATCH (s:Person {{idNumber: row.subject}})
  CREATE (n)-[:ABOUT {_NEW_LINK}]->(s)
}}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created
"""
)


def _rel_upsert(rel_type: str, holder_label: str) -> LiteralString:
    holder_key = NODE_KEYS[holder_label]
    return trusted(
        f"""
UNWIND $rows AS row
MATCH (h:{holder_label} {{{holder_key}: row.holder}})
MATCH (e:Enterprise {{uscc: row.uscc}})
MERGE (h)-[r:{rel_type} {{key: row.key}}]->(e)
ON CREATE SET {_FIRST_SET.format(v="r")}
WITH r, row, r.fp AS oldFp
WHERE oldFp IS NULL OR oldFp <> row.fp
{_REVISION.format(v="r", entity=rel_type, link="")}
SET r += row.props, {_PROVENANCE_SET.format(v="r")}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created
"""
    )


UPSERT_RELS: dict[tuple[str, str], LiteralString] = {
    (rel_type, holder): _rel_upsert(rel_type, holder)
    for rel_type in ROLE_TYPES
    for holder in HOLDER_LABELS
}


async def run_rows(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> None:
    await tx.run(query, {"rows": rows, **prov.params()})


async def upsert(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> Counts:
    result = await tx.run(query, {"rows": rows, **prov.params()})
    record = await result.single()
    created = int(record["created"]) if record else 0
    updated = int(record["updated"]) if record else 0
    return Counts(created, updated, len(rows) - created - updated)


EXISTING_KEYS: dict[str, LiteralString] = {
    label: trusted(
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN collect(n.{key}) AS found"
    )
    for label, key in NODE_KEYS.items()
}


async def existing_keys(tx: AsyncManagedTransaction, label: str, keys: list[str]) -> set[str]:
    result = await tx.run(EXISTING_KEYS[label], {"keys": keys})
    record = await result.single()
    return set(record["found"]) if record else set()


CREATE_BATCH = trusted(
    """
CREATE (b:ImportBatch {id: $batch, department: $dept, keyId: $keyId, source: $source,
                       startedAt: $now, recordedAt: $now, sourceDepartment: $dept})
"""
)

FINISH_BATCH = trusted(
    """
MATCH (b:ImportBatch {id: $batch})
SET b.finishedAt = datetime(), b.lines = $lines, b.accepted = $accepted,
    b.rejected = $rejected, b.created = $created, b.updated = $updated,
    b.unchanged = $unchanged
"""
)


async def create_batch(
    tx: AsyncManagedTransaction, prov: Provenance, key_id: str | None, source: str
) -> None:
    await tx.run(CREATE_BATCH, {**prov.params(), "keyId": key_id, "source": source})


async def finish_batch(tx: AsyncManagedTransaction, batch: str, **counts: int) -> None:
    await tx.run(FINISH_BATCH, {"batch": batch, **counts})
