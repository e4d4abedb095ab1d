"""Schema statements (constraints, indexes) and the applied-version marker."""

from __future__ import annotations

from typing import LiteralString

import neo4j
from neo4j import AsyncManagedTransaction

from hub.store.adapter import Store
from hub.store.events import BATCH_OLD_EVENTS
from hub.store.imports import trusted

SET_VERSION: LiteralString = """
MERGE (v:SchemaVersion {id: 'credithub'})
SET v.fingerprint = $fingerprint, v.appliedAt = datetime()
"""

GET_VERSION: LiteralString = """
OPTIONAL MATCH (v:SchemaVersion {id: 'credithub'})
RETURN v.fingerprint AS fingerprint
"""


async def apply_schema(store: Store, statements: list[str]) -> None:
    """Schema changes run one per auto-commit transaction (they cannot mix with data)."""
    async with store.driver.session(database=store.database) as session:
        for statement in statements:
            result = await session.run(trusted(statement))
            await result.consume()
        result = await session.run("CALL db.awaitIndexes(600)")
        await result.consume()


# Data whose shape changed with the model, brought to the new shape by `migrate` (idempotent:
# nothing matches once done; MERGE, so that an old link written again by a hub of the previous
# version while the new one rolls out does not make a second new one). Every property of a
# relinked relationship is kept.
RELINKS: list[LiteralString] = [
    # 2026-11-26: evaluations got their own relationship type (graph_seed/model.toml, EVALUATES).
    """
MATCH (ev:Evaluation)-[old:ABOUT]->(s)
CALL (ev, old, s) {
  MERGE (ev)-[new:EVALUATES]->(s)
  ON CREATE SET new = properties(old)
  DELETE old
} IN TRANSACTIONS OF 10000 ROWS
""",
    # 2026-12-07: objections got the VERIFYING step; an OPEN one is FILED (docs/lifecycle.md).
    """
MATCH (o:Objection)
WHERE o.status = 'OPEN'
CALL (o) {
  SET o.status = 'FILED'
} IN TRANSACTIONS OF 10000 ROWS
""",
]


# 2026-12-08: the event log keeps one EventBatch per transaction, not one Event node per event
# (hub/store/events.py): the events of an older log become batches of one, numbers kept.
RELINKS.append(BATCH_OLD_EVENTS)


async def relink(store: Store) -> None:
    """The RELINKS, each in batches (auto-commit: CALL ... IN TRANSACTIONS needs one)."""
    async with store.session(neo4j.WRITE_ACCESS) as session:  # in the causal chain
        for statement in RELINKS:
            await (await session.run(statement)).consume()


async def set_version(tx: AsyncManagedTransaction, fingerprint: str) -> None:
    await tx.run(SET_VERSION, {"fingerprint": fingerprint})


async def get_version(tx: AsyncManagedTransaction) -> str | None:
    result = await tx.run(GET_VERSION)
    record = await result.single()
    return record["fingerprint"] if record else None


SHOW_FULLTEXT: LiteralString = """
SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties
RETURN name, labelsOrTypes AS labels, properties
"""


async def fulltext_indexes(store: Store) -> dict[str, tuple[list[str], list[str]]]:
    """Name -> (labels, properties) of the full-text indexes in the database."""
    async with store.driver.session(database=store.database) as session:
        result = await session.run(SHOW_FULLTEXT)
        return {r["name"]: (list(r["labels"]), list(r["properties"])) async for r in result}


async def drop_index(store: Store, name: str) -> None:
    """Drops an index whose definition the model changed (``apply_schema`` makes it anew);
    ``name`` is one of the model's index names (graph_seed/model.py checks them)."""
    async with store.driver.session(database=store.database) as session:
        await (await session.run(trusted(f"DROP INDEX `{name}` IF EXISTS"))).consume()


# Names stored before their pinyin was (hub/pinyin.py), a batch at a time.
WITHOUT_PINYIN: dict[str, LiteralString] = {
    "Enterprise": """
MATCH (n:Enterprise) WHERE n.pinyin IS NULL AND n.name IS NOT NULL
RETURN n.uscc AS key, n.name AS name LIMIT $limit
""",
    "Person": """
MATCH (n:Person) WHERE n.pinyin IS NULL AND n.name IS NOT NULL
RETURN n.idNumber AS key, n.name AS name LIMIT $limit
""",
}
SET_PINYIN: dict[str, LiteralString] = {
    "Enterprise": """
UNWIND $rows AS row
MATCH (n:Enterprise {uscc: row.key})
SET n.pinyin = row.pinyin
""",
    "Person": """
UNWIND $rows AS row
MATCH (n:Person {idNumber: row.key})
SET n.pinyin = row.pinyin
""",
}


# Enterprises stored before their tieKey was (hub/store/subjects.py SEARCH_NAMES), a batch at a
# time: set on a stored node, the property goes to the head of its property chain.
SET_TIE_KEYS: LiteralString = """
MATCH (n:Enterprise) WHERE n.tieKey IS NULL
WITH n LIMIT $limit
SET n.tieKey = n.uscc
RETURN count(n) AS done
"""


async def set_tie_keys(tx: AsyncManagedTransaction, limit: int) -> int:
    """Up to ``limit`` enterprises without a tieKey get theirs; how many did."""
    record = await (await tx.run(SET_TIE_KEYS, {"limit": limit})).single(strict=True)
    return int(record["done"])


async def names_without_pinyin(
    tx: AsyncManagedTransaction, label: str, limit: int
) -> list[tuple[str, str]]:
    result = await tx.run(WITHOUT_PINYIN[label], {"limit": limit})
    return [(r["key"], r["name"]) async for r in result]


async def set_pinyin(tx: AsyncManagedTransaction, label: str, rows: list[dict[str, str]]) -> None:
    await (await tx.run(SET_PINYIN[label], {"rows": rows})).consume()
