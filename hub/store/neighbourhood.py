"""Cypher of neighbourhood: the relationships around a subject, paged per type, with degrees.

The first hop is two queries: the degree of the centre per type (Neo4j keeps degrees per type
for dense nodes, so this is cheap), then, for each requested type (from the allowlist), one page
of its relationships of the size the budget gives it, in the store's order (the cursor). Each
neighbour comes with its own degree, so a client sees the super-nodes before expanding them. Further hops are one query each over the frontier, with a per-node cap.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.graph import KEYS, NEIGHBOUR_TYPES, node, rel, types
from hub.store.imports import trusted
from hub.store.values import native, plain

# Pages follow the store's own order of relationships: stable (nothing is ever deleted), and
# unlike the neighbour's key it needs no property read of every neighbour of a super-node.
_SORT = "elementId(r)"


def _edge(all_types: str) -> str:
    return (
        "{rel: " + rel("r") + ", other: " + node("m") + ", sortKey: sortKey, "
        "degree: COUNT { (m)-[:" + all_types + "]-() }}"
    )


def _page_block(rel_type: str, index: int, all_types: str) -> str:
    edge = _edge(all_types)
    return f"""
CALL (n) {{
  MATCH (n)-[r:{types([rel_type])}]-(m)
  WITH r, m, {_SORT} AS sortKey
  WHERE $after.{rel_type} IS NULL OR sortKey > $after.{rel_type}
  WITH r, m, sortKey ORDER BY sortKey LIMIT $limits.{rel_type}
  RETURN collect({edge}) AS page{index}
}}"""


@cache
def centre_query(label: str, rel_types: tuple[str, ...]) -> LiteralString:
    """One page per type around the centre; label and types from the allowlists only."""
    if label not in ("Enterprise", "Person") or not rel_types:
        raise ValueError("label or types outside the allowlist")
    all_types = types(NEIGHBOUR_TYPES)
    blocks = "".join(_page_block(t, i, all_types) for i, t in enumerate(rel_types))
    pages = ", ".join(f"{{type: '{t}', edges: page{i}}}" for i, t in enumerate(rel_types))
    return trusted(
        f"""
MATCH (n:{label} {{{KEYS[label]}: $key}})
{blocks}
RETURN [{pages}] AS pages
"""
    )


@cache
def degrees_query(label: str) -> LiteralString:
    """The centre and its degree per investigated type."""
    if label not in ("Enterprise", "Person"):
        raise ValueError("label outside the allowlist")
    degrees = ", ".join(f"{t}: COUNT {{ (n)-[:{types([t])}]-() }}" for t in NEIGHBOUR_TYPES)
    return trusted(
        f"""
MATCH (n:{label} {{{KEYS[label]}: $key}})
RETURN {node("n")} AS centre, {{{degrees}}} AS degrees
"""
    )


@cache
def frontier_query(rel_types: tuple[str, ...]) -> LiteralString:
    """Up to $perNode relationships of each frontier node (any label of the investigation)."""
    wanted = types(list(rel_types))
    all_types = types(NEIGHBOUR_TYPES)
    edge = _edge(all_types)
    return trusted(
        f"""
CALL () {{
  UNWIND $frontier.Enterprise AS k MATCH (n:Enterprise {{uscc: k}}) RETURN n
  UNION
  UNWIND $frontier.Person AS k MATCH (n:Person {{idNumber: k}}) RETURN n
  UNION
  UNWIND $frontier.Address AS k MATCH (n:Address {{key: k}}) RETURN n
  UNION
  UNWIND $frontier.Phone AS k MATCH (n:Phone {{number: k}}) RETURN n
}}
CALL (n) {{
  MATCH (n)-[r:{wanted}]-(m)
  WITH r, m, {_SORT} AS sortKey ORDER BY sortKey LIMIT $perNode
  RETURN collect({edge}) AS edges
}}
RETURN {node("n")} AS centre, COUNT {{ (n)-[:{wanted}]-() }} AS total, edges
"""
    )


async def centre_degrees(
    tx: AsyncManagedTransaction, label: str, key: str
) -> dict[str, Any] | None:
    """{centre, degrees: {type: count}} or None when the subject is unknown."""
    result = await tx.run(degrees_query(label), {"key": key})
    record = await result.single()
    return plain(record) if record is not None else None


async def centre_pages(
    tx: AsyncManagedTransaction,
    label: str,
    key: str,
    limits: dict[str, int],
    after: dict[str, str],
) -> dict[str, list[dict[str, Any]]]:
    """type -> up to limits[type] relationships after the type's cursor, by neighbour key."""
    rel_types = tuple(t for t in NEIGHBOUR_TYPES if limits.get(t, 0) > 0)
    if not rel_types:
        return {}
    params = {"key": key, "limits": limits, "after": {t: after.get(t) for t in rel_types}}
    result = await tx.run(centre_query(label, rel_types), params)
    record = await result.single()
    if record is None:
        return {}
    return {p["type"]: native(p["edges"]) for p in record["pages"]}


async def first_hop(
    tx: AsyncManagedTransaction,
    label: str,
    key: str,
    page_sizes: Callable[[dict[str, int]], dict[str, int]],
    after: dict[str, str],
) -> tuple[dict[str, Any] | None, dict[str, list[dict[str, Any]]]]:
    """Degrees, then the pages ``page_sizes(degrees)`` asks for, in one transaction."""
    row = await centre_degrees(tx, label, key)
    if row is None:
        return None, {}
    return row, await centre_pages(tx, label, key, page_sizes(row["degrees"]), after)


async def frontier_edges(
    tx: AsyncManagedTransaction,
    frontier: list[tuple[str, str]],
    rel_types: tuple[str, ...],
    per_node: int,
) -> list[dict[str, Any]]:
    """[{centre, total, edges}] for each frontier node."""
    grouped: dict[str, list[str]] = {label: [] for label in KEYS}
    for label, key in frontier:
        grouped[label].append(key)
    result = await tx.run(frontier_query(rel_types), {"frontier": grouped, "perNode": per_node})
    return [plain(record) for record in await result.fetch(len(frontier) + 1)]
