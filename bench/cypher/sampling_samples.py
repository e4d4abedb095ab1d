"""Cypher of the sampling benchmark: an inspector pool from the bench graph, a stored plan's
targets, and removing the plans the benchmark made."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.values import native

# ``$related`` persons holding a role at an enterprise (so 回避 has targets to avoid for them)
# and ``$others`` further persons, all in a deterministic order.
POOL: LiteralString = """
CALL () {
  MATCH (p:Person)-[:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF]->(:Enterprise)
  WITH DISTINCT p ORDER BY p.idNumber
  LIMIT $related
  RETURN collect(p.idNumber) AS related
}
CALL (related) {
  MATCH (p:Person) WHERE NOT p.idNumber IN related
  WITH p ORDER BY p.idNumber DESC
  LIMIT $others
  RETURN collect(p.idNumber) AS others
}
RETURN related + others AS pool
"""


async def pool(tx: AsyncManagedTransaction, related: int, others: int) -> list[str]:
    record = await (await tx.run(POOL, {"related": related, "others": others})).single()
    return [str(p) for p in record["pool"]] if record else []


# A stored plan's targets in draw order, inspectors unmasked (what the plan wrote).
TARGETS: LiteralString = """
MATCH (:SamplingPlan {id: $id})-[t:TARGETS]->(e:Enterprise)
WITH t, e ORDER BY t.order
RETURN collect([e.uscc, t.tier, t.grade, t.inspectors, t.shortfall]) AS targets
"""


async def targets(tx: AsyncManagedTransaction, plan_id: str) -> list[list[Any]]:
    record = await (await tx.run(TARGETS, {"id": plan_id})).single()
    return list(native(record["targets"])) if record else []


DROP: LiteralString = """
UNWIND $ids AS id
MATCH (p:SamplingPlan {id: id})
DETACH DELETE p
"""


async def drop(tx: AsyncManagedTransaction, ids: list[str]) -> None:
    await (await tx.run(DROP, {"ids": ids})).consume()
