"""Schema statements (constraints, indexes) and the applied-version marker."""

from __future__ import annotations

from typing import LiteralString

import neo4j
from neo4j import AsyncManagedTransaction

from hub.store.adapter import Store
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
]


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
