"""Cypher that picks benchmark targets from a loaded graph (`credit-hub bench investigate`)."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

ENTERPRISE_KEYS: LiteralString = "MATCH (e:Enterprise) RETURN e.uscc AS k ORDER BY k"

# Ends of long holding chains: the worst case of beneficialOwners at maxDepth 10.
CHAIN_ENDS: LiteralString = """
MATCH (e:Enterprise)
WHERE EXISTS { (e)<-[:HOLDS_SHARES*8..8]-(:Enterprise) }
RETURN e.uscc AS k ORDER BY k LIMIT $limit
"""

# The people with the most relationships (super-nodes).
SUPER_NODES: LiteralString = """
MATCH (p:Person)
WITH p, COUNT { (p)--() } AS degree ORDER BY degree DESC, p.idNumber LIMIT $limit
RETURN p.idNumber AS k, degree
"""

# Enterprises 2-4 steps away over roles and shareholdings (connected pairs for findPaths).
REACHABLE: LiteralString = """
MATCH (a:Enterprise {uscc: $key})-[:HOLDS_SHARES|LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|CONTROLS*2..4]-(b:Enterprise)
WHERE b <> a
WITH DISTINCT b LIMIT 20
RETURN b.uscc AS k ORDER BY k
"""

COUNTS: LiteralString = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (e:Enterprise) RETURN count(e) AS enterprises }
CALL () { MATCH (p:Person) RETURN count(p) AS persons }
RETURN nodes, relationships, enterprises, persons
"""


async def keys(
    tx: AsyncManagedTransaction, /, which: str, **params: Any
) -> list[tuple[str, int | None]]:
    query = {
        "enterprises": ENTERPRISE_KEYS,
        "chainEnds": CHAIN_ENDS,
        "superNodes": SUPER_NODES,
        "reachable": REACHABLE,
    }[which]
    result = await tx.run(query, params)
    return [(r["k"], r.get("degree")) for r in await result.fetch(10_000_000)]


async def counts(tx: AsyncManagedTransaction) -> dict[str, int]:
    record = await (await tx.run(COUNTS)).single()
    return {k: int(v) for k, v in record.data().items()} if record else {}
