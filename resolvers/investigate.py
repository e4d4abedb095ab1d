"""Investigation resolvers: validate arguments, fetch the bounded subgraph, apply the pure rules.

Every traversal has an upper bound checked here (maxDepth, maxHops, hops, limit) before any
Cypher runs; identifiers are validated like everywhere else (INVALID_USCC, INVALID_ID_NUMBER).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hub.errors import InvalidInput
from hub.rules import ownership as rules
from hub.rules import penetration
from hub.store import ownership as ownership_store
from hub.store import paths, related
from resolvers.context import HubContext
from resolvers.subjects import subject_key, valid_uscc

MAX_PATH_LIMIT = 100
MAX_RELATED = 500
TREE_NODE_CAP = 2000


def bounded(value: int, low: int, high: int, field: str) -> int:
    if not low <= value <= high:
        raise InvalidInput(f"{field} must be between {low} and {high}", field=field)
    return value


def share_arg(value: float, field: str, *, allow_zero: bool = False) -> float:
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1):
        low = "0" if allow_zero else "above 0"
        raise InvalidInput(f"{field} must be {low} and at most 1", field=field)
    return value


@dataclass
class Ownership:
    """The fetched subgraph and the arithmetic on it (subject None: unknown enterprise)."""

    subject: dict[str, Any] | None
    nodes: dict[rules.NodeKey, dict[str, Any]]
    as_of: dt.date
    analysis: rules.Analysis | None = None
    tree: penetration.Tree | None = None


async def beneficial_owners(
    ctx: HubContext, uscc: str, threshold: float, max_depth: int, as_of: dt.date | None
) -> Ownership:
    code = valid_uscc(uscc)
    share_arg(threshold, "threshold")
    bounded(max_depth, 1, ownership_store.MAX_DEPTH, "maxDepth")
    day = as_of or ctx.today()
    sub = await ctx.store.read(
        ownership_store.shareholding_subgraph, code, rules.Direction.UP, max_depth, day
    )
    out = Ownership(sub.subject, sub.nodes, day)
    if sub.subject is not None:
        out.analysis = rules.analyse(
            code,
            sub.holdings,
            sub.ties,
            as_of=day,
            threshold=threshold,
            max_depth=max_depth,
            capped=sub.capped,
        )
    return out


async def ownership_tree(
    ctx: HubContext,
    uscc: str,
    direction: rules.Direction,
    max_depth: int,
    min_share: float,
    as_of: dt.date | None,
) -> Ownership:
    code = valid_uscc(uscc)
    bounded(max_depth, 1, ownership_store.MAX_DEPTH, "maxDepth")
    share_arg(min_share, "minShare", allow_zero=True)
    day = as_of or ctx.today()
    sub = await ctx.store.read(
        ownership_store.shareholding_subgraph, code, direction, max_depth, day
    )
    out = Ownership(sub.subject, sub.nodes, day)
    if sub.subject is not None:
        out.tree = penetration.tree(
            (rules.ENTERPRISE, code),
            sub.holdings,
            direction,
            max_depth,
            as_of=day,
            min_share=min_share,
            node_cap=TREE_NODE_CAP,
            capped=sub.capped,
        )
    return out


async def find_paths(
    ctx: HubContext,
    start: tuple[str | None, str | None],
    end: tuple[str | None, str | None],
    max_hops: int,
    limit: int,
    as_of: dt.date | None,
) -> list[dict[str, Any]]:
    a = subject_key(*start, field="from", today=ctx.today())
    b = subject_key(*end, field="to", today=ctx.today())
    bounded(max_hops, 1, paths.MAX_HOPS, "maxHops")
    bounded(limit, 1, MAX_PATH_LIMIT, "limit")
    if a == b:
        raise InvalidInput("from and to are the same subject", field="to")
    return await ctx.store.read(paths.shortest_paths, a, b, max_hops, limit, as_of)


async def related_parties(
    ctx: HubContext, uscc: str, as_of: dt.date | None, limit: int
) -> tuple[dt.date, dict[str, Any] | None]:
    code = valid_uscc(uscc)
    bounded(limit, 1, MAX_RELATED, "limit")
    day = as_of or ctx.today()
    return day, await ctx.store.read(related.related_links, code, day)
