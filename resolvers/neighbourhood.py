"""The neighbourhood walk: a fair page per type around the centre, then capped further hops."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.errors import InvalidInput
from hub.rules.neighbourhood import fair_shares
from hub.store import neighbourhood as store
from hub.store.graph import NEIGHBOUR_TYPES, node_key
from resolvers.context import HubContext
from resolvers.investigate import bounded
from resolvers.paging import decode_cursor, encode_cursor
from resolvers.subjects import subject_key

MAX_HOPS = 3
MAX_LIMIT = 1000
EXHAUSTED = "\uffff"  # a cursor past every key: the type has nothing more


@dataclass
class TypePage:
    type: str
    total: int
    returned: int
    has_more: bool
    end_cursor: str | None


@dataclass
class Neighbourhood:
    centre: dict[str, Any] | None  # {label, key, props}; None when the subject is unknown
    degree: int = 0
    # (hop, edge row) with edge row = {rel, other, degree}; hop 1 first
    edges: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    pages: list[TypePage] = field(default_factory=list)
    truncated: bool = False
    end_cursor: str | None = None


def _after(cursor: str | None, rel_types: tuple[str, ...]) -> dict[str, str]:
    value = decode_cursor(cursor)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        k in NEIGHBOUR_TYPES and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInput("after: not a cursor this API returned", field="after")
    return {k: v for k, v in value.items() if k in rel_types}


async def neighbourhood(
    ctx: HubContext,
    ref: tuple[str | None, str | None],
    hops: int,
    limit: int,
    types: list[str] | None,
    after: str | None,
) -> Neighbourhood:
    label, key = subject_key(*ref, today=ctx.today())
    rel_types = _asked_types(hops, limit, types)
    cursors = _after(after, rel_types)
    shares: dict[str, int] = {}

    def page_sizes(degrees: dict[str, int]) -> dict[str, int]:
        """The budget shared by degree (an upper bound of what is left after a cursor); a type
        the cursor says is used up gets nothing, so that the others page on to the end."""
        left = {t: 0 if cursors.get(t) == EXHAUSTED else int(degrees[t]) for t in rel_types}
        shares.update(fair_shares(left, limit))
        return {t: n + 1 for t, n in shares.items() if n > 0}

    row, fetched = await ctx.store.read(store.first_hop, label, key, page_sizes, cursors)
    if row is None:
        return Neighbourhood(centre=None)
    out = Neighbourhood(centre=row["centre"], degree=sum(row["degrees"].values()))
    degrees = {t: int(row["degrees"][t]) for t in rel_types}
    _first_hop(out, degrees, fetched, shares, cursors)
    await _further_hops(ctx, out, row["centre"], rel_types, hops, limit)
    return out


def _asked_types(hops: int, limit: int, types: list[str] | None) -> tuple[str, ...]:
    """The relationship types asked for, once the bounds of the request are checked."""
    bounded(hops, 1, MAX_HOPS, "hops")
    bounded(limit, 1, MAX_LIMIT, "limit")
    rel_types = tuple(t for t in NEIGHBOUR_TYPES if types is None or t in types)
    if not rel_types:
        raise InvalidInput("types: give at least one relationship type", field="types")
    return rel_types


def _first_hop(
    out: Neighbourhood,
    degrees: dict[str, int],
    fetched: dict[str, list[dict[str, Any]]],
    shares: dict[str, int],
    cursors: dict[str, str],
) -> None:
    """The first hop's edges into ``out``: each type's page (its share of the budget) and the
    cursor to the next pages when a type has more."""
    next_cursors: dict[str, str] = {}
    for rel_type, degree in degrees.items():
        edges = fetched.get(rel_type, [])
        kept = edges[: shares[rel_type]]
        used_up = cursors.get(rel_type) == EXHAUSTED
        more = len(edges) > len(kept) or (shares[rel_type] == 0 and degree > 0 and not used_up)
        end = kept[-1]["sortKey"] if kept else cursors.get(rel_type, "")
        out.edges.extend((1, e) for e in kept)
        out.pages.append(
            TypePage(
                rel_type, degree, len(kept), more, encode_cursor({rel_type: end}) if more else None
            )
        )
        next_cursors[rel_type] = end if more else EXHAUSTED
        out.truncated = out.truncated or more
    if out.truncated:
        out.end_cursor = encode_cursor(next_cursors)


async def _further_hops(
    ctx: HubContext,
    out: Neighbourhood,
    centre: dict[str, Any],
    rel_types: tuple[str, ...],
    hops: int,
    limit: int,
) -> None:
    """Hops 2 to ``hops`` into ``out``: from the nodes the last hop reached first, the budget
    left shared between them, each edge once."""
    seen = {node_key(centre)}
    edge_ids = {(e["rel"]["type"], e["rel"]["id"]) for _, e in out.edges}
    frontier = []
    for _, e in out.edges:
        other = node_key(e["other"])
        if other not in seen:
            seen.add(other)
            frontier.append(other)
    for hop in range(2, hops + 1):
        budget = limit - len(out.edges)
        if not frontier:
            break
        if budget <= 0:
            out.truncated = True
            break
        per_node = max(1, -(-budget // len(frontier)))
        rows = await ctx.store.read(store.frontier_edges, frontier, rel_types, per_node + 1)
        by_node = {node_key(r["centre"]): r for r in rows}
        frontier = _hop(out, hop, frontier, by_node, budget, seen, edge_ids)


def _hop(
    out: Neighbourhood,
    hop: int,
    frontier: list[tuple[str, str]],
    by_node: dict[tuple[str, str], dict[str, Any]],
    budget: int,
    seen: set[tuple[str, str]],
    edge_ids: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    """One further hop's edges into ``out`` (the budget shared by what each node has); the
    nodes it reached first, the next hop's frontier."""
    shares = fair_shares(
        {f"{k[0]}:{k[1]}": len(by_node[k]["edges"]) for k in frontier if k in by_node}, budget
    )
    added: list[tuple[str, str]] = []
    for k in frontier:
        found = by_node.get(k)
        if found is None:
            continue
        kept = found["edges"][: shares[f"{k[0]}:{k[1]}"]]
        if int(found["total"]) > len(kept):
            out.truncated = True
        for e in kept:
            ident = (e["rel"]["type"], e["rel"]["id"])
            if ident in edge_ids:
                continue  # the edge back to the node it was reached from
            edge_ids.add(ident)
            out.edges.append((hop, e))
            other = node_key(e["other"])
            if other not in seen:
                seen.add(other)
                added.append(other)
    return added
