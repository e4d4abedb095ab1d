"""Shared parts of the importer's Cypher: allowlists, provenance, counts, batch records.

Labels and relationship types are spliced into Cypher text only from the allowlists below
(never from input); every value is a parameter. The writes themselves are in import_writes.py.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph_seed.model import ROLE_RELATIONSHIPS, node_keys
from hub.clock import COUNTY_CLOCK

# label -> key property (the labels an upload writes and looks up)
NODE_KEYS = node_keys(
    "Enterprise", "Person", "Department", "Action", "Listing", "Evaluation", "Measure"
)
HOLDER_LABELS = ("Person", "Enterprise")
# The relationships of role and shareholding lines (one statement set per type).
TIE_TYPES = (*ROLE_RELATIONSHIPS, "HOLDS_SHARES")


def trusted(text: str) -> LiteralString:
    """Mark Cypher assembled only from the allowlists in this module as safe to run."""
    return text  # mypy treats LiteralString as str; pyright checks callers of the driver


@dataclass
class Provenance:
    batch: str
    department: str
    now: dt.datetime
    # An ADMIN's upload: it may name any department, so it is never "the court's own"
    # (court listings are ended or changed only by the court that decided them).
    admin: bool = False
    # The hub's "today" (Settings.today(), its time zone); None: the county clock's day of ``now``.
    day: dt.date | None = None

    @property
    def today(self) -> dt.date:
        """The upload's date: no decision, ending or birth date may be after it."""
        return self.day or COUNTY_CLOCK.day_of(self.now)

    def params(self) -> dict[str, Any]:
        return {"batch": self.batch, "dept": self.department, "now": self.now, "today": self.today}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


# Fragments shared with the writers of low-volume kinds (listings, evaluations, measures), which
# use the MERGE-based upsert below rather than import_writes' create-or-revise path.
_PROVENANCE_SET = (
    "{v}.fp = row.fp, {v}.batch = $batch, {v}.recordedAt = $now, {v}.sourceDepartment = $dept"
)
_FIRST_SET = "{v}.firstBatch = $batch, {v}.firstRecordedAt = $now"
_NEW_LINK = "{batch: $batch, recordedAt: $now, sourceDepartment: $dept}"


def revision_link(v: str) -> str:
    """The tie from a node to the Revision keeping its previous content, with provenance."""
    return f"CREATE ({v})-[:HAS_REVISION {_NEW_LINK}]->(rev)"


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
    """MERGE upsert with a revision of changed content (one statement, any mix of rows)."""
    key = NODE_KEYS[label]
    return trusted(
        f"""
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}
WITH n, row, n.fp AS oldFp
WHERE oldFp IS NULL OR oldFp <> row.fp
{_REVISION.format(v="n", entity=label, link=revision_link("n"))}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
{extra}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created
"""
    )


async def upsert(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> Counts:
    result = await tx.run(query, {"rows": rows, **prov.params()})
    record = await result.single()
    if record is not None and "events" in record.keys():  # noqa: SIM118 - a Record holds values
        # A writer whose statement returns its events (hub/store/events.py ``note``, which
        # imports this module's ``trusted``), per row a map or a list of them.
        from hub.store.events import note, rows_events

        await note(tx, rows_events(record["events"]), prov.now)
    created = int(record["created"]) if record else 0
    updated = int(record["updated"]) if record else 0
    return Counts(created, updated, len(rows) - created - updated)


async def run_rows(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> None:
    await tx.run(query, {"rows": rows, **prov.params()})


@functools.cache
def _node_values_query(label: str, prop: str) -> LiteralString:
    key = NODE_KEYS[label]
    return trusted(
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) USING INDEX SEEK n:{label}({key}) "
        f"RETURN collect([n.{key}, n.{prop}]) AS found"
    )


async def collected_pairs(
    tx: AsyncManagedTransaction, query: LiteralString, keys: list[str]
) -> dict[str, Any]:
    """Run a lookup that returns one record holding ``[key, value]`` pairs: the driver decodes
    one big record ~15x faster than one record per key."""
    result = await tx.run(query, {"keys": keys})
    record = await result.single()
    return dict(record["found"]) if record else {}


async def node_values(
    tx: AsyncManagedTransaction, label: str, prop: str, keys: list[str]
) -> dict[str, Any]:
    """Key -> stored ``prop`` of the ``label`` nodes that exist among ``keys``. Always an index
    seek (``USING INDEX SEEK``: a statistics-driven replan once turned a lookup like this into
    a scan of the whole index, hub/store/import_writes.py)."""
    return await collected_pairs(tx, _node_values_query(label, prop), keys)


async def existing_keys(tx: AsyncManagedTransaction, label: str, keys: list[str]) -> set[str]:
    return set(await node_values(tx, label, NODE_KEYS[label], keys))


CREATE_BATCH = trusted(
    """
MERGE (b:ImportBatch {id: $batch})
ON CREATE SET b.department = $dept, b.keyId = $keyId, b.source = $source, b.startedAt = $now,
              b.recordedAt = $now, b.sourceDepartment = $dept, b.complete = false
"""
)

FINISH_BATCH = trusted(
    """
MATCH (b:ImportBatch {id: $batch})
SET b.finishedAt = datetime(), b.lines = $lines, b.accepted = $accepted,
    b.rejected = $rejected, b.created = $created, b.updated = $updated,
    b.unchanged = $unchanged, b.complete = true
"""
)


async def create_batch(
    tx: AsyncManagedTransaction, prov: Provenance, key_id: str | None, source: str
) -> None:
    await tx.run(CREATE_BATCH, {**prov.params(), "keyId": key_id, "source": source})


async def finish_batch(tx: AsyncManagedTransaction, batch: str, **counts: int) -> None:
    await tx.run(FINISH_BATCH, {"batch": batch, **counts})
