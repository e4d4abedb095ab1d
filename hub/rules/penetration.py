"""The penetration tree (股权穿透图) for drawing: the trie of simple ownership paths.

A holder reached along two branches appears twice, each time with the cumulative share of its
branch; ``totals`` sums the branches per holder (equal to its effective share).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from hub.rules.ownership import Cut, Direction, Holding, NodeKey, walk


@dataclass(frozen=True)
class TreeNode:
    """One node of a penetration tree: a path prefix, so a holder reached twice appears twice."""

    id: int
    parent: int | None
    depth: int
    node: NodeKey
    holding: Holding | None  # the holding that links it to its parent (None at the root)
    cumulative: float  # product of shares from the root along this branch


@dataclass
class Tree:
    nodes: list[TreeNode]
    totals: dict[NodeKey, float]  # effective share per node, summed over its branches
    cuts: set[Cut]


def tree(
    root: NodeKey,
    holdings: Iterable[Holding],
    direction: Direction,
    max_depth: int,
    *,
    as_of: dt.date,
    min_share: float = 0.0,
    node_cap: int = 2000,
    capped: bool = False,
) -> Tree:
    """The penetration tree for drawing: the trie of simple paths, capped at ``node_cap``."""
    result = walk(
        root,
        holdings,
        direction,
        max_depth,
        as_of=as_of,
        min_share=min_share,
        path_cap=node_cap - 1,
    )
    nodes = [TreeNode(0, None, 0, root, None, 1.0)]
    ids: dict[tuple[Holding, ...], int] = {(): 0}
    for path in result.paths:  # depth-first order: a prefix always comes before its extensions
        parent = ids[path.steps[:-1]]
        ids[path.steps] = len(nodes)
        nodes.append(TreeNode(len(nodes), parent, path.depth, path.end, path.steps[-1], path.share))
    totals: dict[NodeKey, float] = defaultdict(float)
    for path in result.paths:
        totals[path.end] += path.share
    cuts = set(result.cuts)
    if capped:
        cuts.add(Cut.ROW_CAP)
    return Tree(nodes, dict(totals), cuts)
