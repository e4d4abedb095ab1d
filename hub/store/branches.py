"""Cypher of the branch tree: the links above some enterprises (for the importer's cycle check)."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from hub.store.imports import trusted

# The graph's BRANCH_OF links along the chains above the given enterprises (bounded).
BRANCH_CHAINS = trusted(
    """
UNWIND $keys AS k
MATCH (e:Enterprise {uscc: k})
MATCH (e)-[:BRANCH_OF*0..20]->(x:Enterprise)-[:BRANCH_OF]->(y:Enterprise)
RETURN collect(DISTINCT [x.uscc, y.uscc]) AS found
"""
)


async def branch_links(tx: AsyncManagedTransaction, keys: list[str]) -> dict[str, str]:
    """child uscc -> parent uscc for the links on the chains above ``keys`` (20 levels)."""
    result = await tx.run(BRANCH_CHAINS, {"keys": keys})
    record = await result.single()
    return dict(record["found"]) if record else {}
