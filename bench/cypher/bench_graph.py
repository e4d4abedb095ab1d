"""Cypher of the benchmarks: the dataset marker, a guarded wipe, samples and counts."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.adapter import Store
from hub.store.values import native

DATASET: LiteralString = """
OPTIONAL MATCH (d:BenchDataset {id: 'credithub-bench'})
WITH d
OPTIONAL MATCH (n:Enterprise|Person)  // reference data from migrate is not data to protect
WITH d, n LIMIT 1
RETURN d {.*} AS dataset, n IS NOT NULL AS hasData
"""

MARK: LiteralString = """
MERGE (d:BenchDataset {id: 'credithub-bench'})
SET d.enterprises = $enterprises, d.seed = $seed, d.wide = $wide, d.loadedAt = datetime(),
    d.seconds = $seconds, d.complete = $complete
"""

UNMARK: LiteralString = "MATCH (d:BenchDataset {id: 'credithub-bench'}) DELETE d"

WIPE: LiteralString = """
MATCH (n) WHERE NOT n:BenchDataset
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

# Person ties per enterprise of kind ENTERPRISE (the ones with officers and shareholders).
TIE_COUNTS: LiteralString = """
MATCH (e:Enterprise)
CALL (e) {
  MATCH (:Person)-[r:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS|HOLDS_SHARES]->(e)
  RETURN count(r) AS ties
}
RETURN e.uscc AS uscc, e.kind AS kind, ties
"""

DERIVED_COUNTS: LiteralString = """
UNWIND $ids AS id
MATCH (src:Listing {id: id})
OPTIONAL MATCH (src)<-[:DERIVED_FROM]-(d:Listing)
RETURN id, count(DISTINCT d) AS derived
"""

SIZE: LiteralString = """
CALL () { MATCH (e:Enterprise) RETURN count(e) AS enterprises }
CALL () { MATCH (p:Person) RETURN count(p) AS persons }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (l:Listing) RETURN count(l) AS listings }
RETURN enterprises, persons, relationships, listings
"""


async def dataset(tx: AsyncManagedTransaction) -> dict[str, Any]:
    record = await (await tx.run(DATASET)).single()
    found: dict[str, Any] = native(record.data()) if record else {}
    return found or {"dataset": None, "hasData": False}


async def mark(
    tx: AsyncManagedTransaction,
    enterprises: int,
    seed: int,
    wide: int,
    seconds: float | None,
    complete: bool,
) -> None:
    """The marker says this database is the bench's (and whether the load finished)."""
    params = {"enterprises": enterprises, "seed": seed, "wide": wide, "seconds": seconds}
    await tx.run(MARK, {**params, "complete": complete})


async def unmark(tx: AsyncManagedTransaction) -> None:
    """The marker off (the import tool loads a store that holds only what `migrate` wrote)."""
    await tx.run(UNMARK)


async def tie_counts(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
    result = await tx.run(TIE_COUNTS)
    return [r.data() for r in await result.fetch(10_000_000)]


async def derived_counts(tx: AsyncManagedTransaction, ids: list[str]) -> dict[str, int]:
    result = await tx.run(DERIVED_COUNTS, {"ids": ids})
    return {r["id"]: int(r["derived"]) for r in await result.fetch(1_000_000)}


async def size(tx: AsyncManagedTransaction) -> dict[str, int]:
    record = await (await tx.run(SIZE)).single()
    return {k: int(v) for k, v in record.data().items()} if record else {}


SHAREHOLDERS: LiteralString = """
MATCH (:Enterprise {uscc: $uscc})<-[:HOLDS_SHARES]-(p:Person)
RETURN p.idNumber AS idNumber ORDER BY idNumber LIMIT $limit
"""


async def shareholders(tx: AsyncManagedTransaction, uscc: str, limit: int) -> list[str]:
    result = await tx.run(SHAREHOLDERS, {"uscc": uscc, "limit": limit})
    return [r["idNumber"] for r in await result.fetch(limit)]


async def wipe(store: Store) -> None:
    """Delete everything but the dataset marker (auto-commit batches: it can be large)."""
    async with store.driver.session(database=store.database) as session:
        await (await session.run(WIPE)).consume()


WARNINGS: LiteralString = """
MATCH (b:EventBatch)
RETURN sum(size([t IN b.type WHERE t = 'EARLY_WARNING'])) AS warnings
"""


async def warning_count(tx: AsyncManagedTransaction) -> int:
    """The EARLY_WARNING events in the log (bench/events_round.py)."""
    record = await (await tx.run(WARNINGS)).single()
    return int(record["warnings"]) if record else 0
