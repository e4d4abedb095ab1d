"""Cypher of findPaths: the shortest connections between two subjects, bounded.

``allShortestPaths`` over roles, shareholdings, control and branches in both directions with an
upper bound (maxHops, from an allowlist of integers). With ``asOf`` only relationships valid on
that date are walked; the predicate is a universal one over the path's relationships, which Neo4j
evaluates during the breadth-first search (no fallback to an exhaustive search).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.graph import KEYS, PATH_TYPES, node, rel, types, valid
from hub.store.imports import trusted
from hub.store.values import plain

MAX_HOPS = 6
SUBJECT_LABELS = ("Enterprise", "Person")


def _query(start: str, end: str, hops: int, dated: bool) -> LiteralString:
    if start not in SUBJECT_LABELS or end not in SUBJECT_LABELS or not 1 <= hops <= MAX_HOPS:
        raise ValueError("label or hops outside the allowlist")
    where = f"WHERE all(r IN relationships(p) WHERE {valid('r')})" if dated else ""
    return trusted(
        f"""
MATCH (a:{start} {{{KEYS[start]}: $from}})
MATCH (b:{end} {{{KEYS[end]}: $to}})
MATCH p = allShortestPaths((a)-[:{types(PATH_TYPES)}*..{hops}]-(b))
{where}
WITH p LIMIT $limit
RETURN [n IN nodes(p) | {node("n")}] AS nodes,
       [r IN relationships(p) | {rel("r")}] AS rels
"""
    )


QUERIES: dict[tuple[str, str, int, bool], LiteralString] = {
    (start, end, hops, dated): _query(start, end, hops, dated)
    for start in SUBJECT_LABELS
    for end in SUBJECT_LABELS
    for hops in range(1, MAX_HOPS + 1)
    for dated in (False, True)
}


async def shortest_paths(
    tx: AsyncManagedTransaction,
    start: tuple[str, str],
    end: tuple[str, str],
    max_hops: int,
    limit: int,
    as_of: dt.date | None,
) -> list[dict[str, Any]]:
    """Up to ``limit`` shortest paths as {nodes, rels}, nodes in walking order."""
    query = QUERIES[(start[0], end[0], max_hops, as_of is not None)]
    result = await tx.run(query, {"from": start[1], "to": end[1], "limit": limit, "asOf": as_of})
    return [plain(record) for record in await result.fetch(limit)]
