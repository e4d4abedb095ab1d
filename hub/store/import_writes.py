"""Cypher of the importer's writes: create what is new, revise what changed, skip the rest.

A chunk of rows first reads the stored fingerprints of its keys (one index lookup each). New
keys are written with CREATE (fast; a concurrent upload creating the same key makes the unique
constraint fail the transaction, which the runner retries), changed ones by an update that
first takes the write lock (``SET n.fp = n.fp``), then keeps the content it finds as a
``Revision`` — so concurrent updates of one record are serialised and none is lost from the
history — and unchanged ones are not written at all: a re-import changes nothing. Labels and relationship types come only from the allowlists in imports.py.

Every lookup by key says ``USING INDEX SEEK``. The planner replans a statement when the
statistics move (they move all the time during a bulk load), and with a plain ``USING INDEX``
hint it once chose a scan of the whole relationship index with ``key IN $keys`` as a filter —
a list compared entry by entry: one fetch of 4,593 shareholding keys took 24 s instead of
0.03 s (found with Java Flight Recorder; docs/benchmarks-history.md#import).
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.imports import (
    _FIRST_SET,
    _NEW_LINK,
    _PROVENANCE_SET,
    _REVISION,
    HOLDER_LABELS,
    NODE_KEYS,
    TIE_TYPES,
    Counts,
    Provenance,
    collected_pairs,
    node_values,
    revision_link,
    trusted,
)
from hub.store.warnings import PENALTY_MARK

# One set of fragments for every importer write (shared with the low-volume MERGE upserts).
_STAMP = _PROVENANCE_SET
_FIRST = _FIRST_SET
_LINK = _NEW_LINK

_ADDRESS_PHONE = f"""
CALL (n, row) {{
  WITH n, row WHERE row.address IS NOT NULL
  MERGE (a:Address {{key: row.address.key}})
  ON CREATE SET a.text = row.address.text, {_FIRST.format(v="a")},
                a.batch = $batch, a.recordedAt = $now, a.sourceDepartment = $dept
  CREATE (n)-[:LOCATED_AT {_LINK}]->(a)
}}
CALL (n, row) {{
  WITH n, row WHERE row.phone IS NOT NULL
  MERGE (p:Phone {{number: row.phone}})
  ON CREATE SET {_FIRST.format(v="p")}, p.batch = $batch, p.recordedAt = $now,
                p.sourceDepartment = $dept
  CREATE (n)-[:REACHABLE_AT {_LINK}]->(p)
}}
"""

# Relinks that a changed record needs before its new links are made.
_UNLINK: dict[str, str] = {
    "Enterprise": "LOCATED_AT|REACHABLE_AT|BRANCH_OF",
    "Person": "LOCATED_AT|REACHABLE_AT",
    "Action": "ABOUT|ISSUED_BY",
}

_ACTION_LINKS = f"""
CALL (n, row) {{
  MATCH (d:Department {{code: row.department}})
  CREATE (n)-[:ISSUED_BY {_LINK}]->(d)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Enterprise'
  MATCH (s:Enterprise {{uscc: row.subject}})
  CREATE (n)-[:ABOUT {_LINK}]->(s)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Person'
  MATCH (s:Person {{idNumber: row.subject}})
  CREATE (n)-[:ABOUT {_LINK}]->(s)
}}
"""

_LINKS: dict[str, str] = {
    "Enterprise": _ADDRESS_PHONE,
    "Person": _ADDRESS_PHONE,
    "Action": _ACTION_LINKS,
}

# What a new record of a label also marks: a new penalty waits for the early-warning step of
# its transaction (hub/store/warnings.py). A corrected penalty is not a new one.
# An enterprise's ``tieKey`` (its USCC again, for the search's order of equal scores:
# hub/store/subjects.py SEARCH_NAMES) is written when it is created.
_NEW_MARKS: dict[str, str] = {"Action": PENALTY_MARK, "Enterprise": "SET n.tieKey = row.key"}


def _create_nodes(label: str) -> LiteralString:
    key = NODE_KEYS[label]
    return trusted(
        f"""
UNWIND $rows AS row
CREATE (n:{label} {{{key}: row.key}})
SET n += row.props, {_STAMP.format(v="n")}, {_FIRST.format(v="n")}
{_NEW_MARKS.get(label, "")}
WITH n, row
{_LINKS.get(label, "")}
RETURN count(*) AS written
"""
    )


def _update_nodes(label: str) -> LiteralString:
    key = NODE_KEYS[label]
    unlink = ""
    if label in _UNLINK:
        unlink = f"""
CALL (n) {{
  OPTIONAL MATCH (n)-[old:{_UNLINK[label]}]->()
  DELETE old
}}"""
    revision = _REVISION.format(v="n", entity=label, link=revision_link("n"))
    return trusted(
        f"""
UNWIND $rows AS row
MATCH (n:{label} {{{key}: row.key}}) USING INDEX SEEK n:{label}({key})
SET n.fp = n.fp
WITH n, row, n.fp AS oldFp
WHERE oldFp <> row.fp
{revision}
SET n += row.props, {_STAMP.format(v="n")}
WITH n, row
{unlink}
{_LINKS.get(label, "")}
RETURN count(*) AS written
"""
    )


CREATE_NODES = {label: _create_nodes(label) for label in NODE_KEYS}
UPDATE_NODES = {label: _update_nodes(label) for label in NODE_KEYS}


def _fetch_rel_fps(rel_type: str) -> LiteralString:
    return trusted(
        f"UNWIND $keys AS k MATCH ()-[r:{rel_type} {{key: k}}]->() "
        f"USING INDEX SEEK r:{rel_type}(key) "
        "RETURN collect([r.key, r.fp]) AS found"
    )


def _create_rels(rel_type: str, holder: str) -> LiteralString:
    holder_key = NODE_KEYS[holder]
    return trusted(
        f"""
UNWIND $rows AS row
MATCH (h:{holder} {{{holder_key}: row.holder}}) USING INDEX SEEK h:{holder}({holder_key})
MATCH (e:Enterprise {{uscc: row.uscc}}) USING INDEX SEEK e:Enterprise(uscc)
CREATE (h)-[r:{rel_type} {{key: row.key}}]->(e)
SET r += row.props, {_STAMP.format(v="r")}, {_FIRST.format(v="r")}
RETURN count(*) AS written
"""
    )


def _update_rels(rel_type: str) -> LiteralString:
    revision = _REVISION.format(v="r", entity=rel_type, link="")
    return trusted(
        f"""
UNWIND $rows AS row
MATCH ()-[r:{rel_type} {{key: row.key}}]->() USING INDEX SEEK r:{rel_type}(key)
SET r.fp = r.fp
WITH r, row, r.fp AS oldFp
WHERE oldFp <> row.fp
{revision}
SET r += row.props, {_STAMP.format(v="r")}
RETURN count(*) AS written
"""
    )


# Employment (WORKS_FOR) from a person to a department or an enterprise: the employer's label
# comes from the allowlist below, its key from the row.
EMPLOYER_LABELS = ("Department", "Enterprise")


def _create_employment(employer: str) -> LiteralString:
    key = NODE_KEYS[employer]
    return trusted(
        f"""
UNWIND $rows AS row
MATCH (h:Person {{idNumber: row.holder}}) USING INDEX SEEK h:Person(idNumber)
MATCH (e:{employer} {{{key}: row.employer}}) USING INDEX SEEK e:{employer}({key})
CREATE (h)-[r:WORKS_FOR {{key: row.key}}]->(e)
SET r += row.props, {_STAMP.format(v="r")}, {_FIRST.format(v="r")}
RETURN count(*) AS written
"""
    )


CREATE_EMPLOYMENT = {label: _create_employment(label) for label in EMPLOYER_LABELS}
FETCH_REL_FPS = {t: _fetch_rel_fps(t) for t in (*TIE_TYPES, "WORKS_FOR")}
CREATE_RELS = {(t, h): _create_rels(t, h) for t in TIE_TYPES for h in HOLDER_LABELS}
UPDATE_RELS = {t: _update_rels(t) for t in (*TIE_TYPES, "WORKS_FOR")}

LINK_BRANCHES = trusted(
    f"""
UNWIND $rows AS row
MATCH (n:Enterprise {{uscc: row.key}})
MATCH (parent:Enterprise {{uscc: row.branchOf}})
MERGE (n)-[l:BRANCH_OF]->(parent)
ON CREATE SET l += {_LINK}
"""
)


def split_by_fingerprint(
    rows: list[dict[str, Any]], stored: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Counts]:
    """(new rows, changed rows, counts). Rows of one key are repeats of one content (the
    runner rejects a later line of a key with other content); one of them is written."""
    last: dict[str, dict[str, Any]] = {}
    for row in rows:
        last[row["key"]] = row
    counts = Counts()
    for row in rows:
        final = last[row["key"]]
        if row is not final:  # an earlier line of the same key, superseded in this upload
            if row["fp"] == final["fp"]:
                counts.unchanged += 1
            else:
                counts.updated += 1
    new, changed = [], []
    for key, row in last.items():
        old = stored.get(key)
        if old is None:
            new.append(row)
        elif old != row["fp"]:
            changed.append(row)
        else:
            counts.unchanged += 1
    counts.created += len(new)
    counts.updated += len(changed)
    return new, changed, counts


async def _run(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> None:
    result = await tx.run(query, {"rows": rows, **prov.params()})
    await result.consume()


async def upsert_nodes(
    tx: AsyncManagedTransaction, label: str, rows: list[dict[str, Any]], prov: Provenance
) -> Counts:
    stored = await node_values(tx, label, "fp", [r["key"] for r in rows])
    new, changed, counts = split_by_fingerprint(rows, stored)
    if new:
        await _run(tx, CREATE_NODES[label], new, prov)
    if changed:
        await _run(tx, UPDATE_NODES[label], changed, prov)
    return counts


async def upsert_rels(
    tx: AsyncManagedTransaction,
    rel_type: str,
    holder: str,
    rows: list[dict[str, Any]],
    prov: Provenance,
) -> Counts:
    stored = await collected_pairs(tx, FETCH_REL_FPS[rel_type], [r["key"] for r in rows])
    new, changed, counts = split_by_fingerprint(rows, stored)
    if new:
        await _run(tx, CREATE_RELS[(rel_type, holder)], new, prov)
    if changed:
        await _run(tx, UPDATE_RELS[rel_type], changed, prov)
    return counts


async def upsert_employment(
    tx: AsyncManagedTransaction, employer: str, rows: list[dict[str, Any]], prov: Provenance
) -> Counts:
    """WORKS_FOR rows whose employer has the label ``employer`` (Department or Enterprise)."""
    stored = await collected_pairs(tx, FETCH_REL_FPS["WORKS_FOR"], [r["key"] for r in rows])
    new, changed, counts = split_by_fingerprint(rows, stored)
    if new:
        await _run(tx, CREATE_EMPLOYMENT[employer], new, prov)
    if changed:
        await _run(tx, UPDATE_RELS["WORKS_FOR"], changed, prov)
    return counts


async def link_branches(
    tx: AsyncManagedTransaction, rows: list[dict[str, Any]], prov: Provenance
) -> None:
    await _run(tx, LINK_BRANCHES, rows, prov)


async def action_departments(tx: AsyncManagedTransaction, ids: list[str]) -> dict[str, str]:
    """Action id -> the department that decided it, for the ids already stored."""
    return await node_values(tx, "Action", "department", ids)
