"""Cypher of ownership penetration: the bounded shareholding subgraph around an enterprise.

One query per call. A breadth-first, pruning variable-length expansion (upper bound = maxDepth,
spliced from an allowlist of integers, never from input text) finds the holders (UP) or holdings
(DOWN) reachable through holdings valid on ``asOf``; then every valid holding of each reached node
is returned, so the holdings one step past maxDepth are visible and the pure code
(hub/rules/ownership.py) can tell whether maxDepth cut the walk. A node cap bounds the result
(``capped``). For UP it also returns the subject's declared controllers, legal representatives
and principals valid on ``asOf``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.rules.ownership import Direction, Holding, NodeKey, Tie
from hub.store.graph import PROPS
from hub.store.imports import trusted
from hub.store.values import plain

MAX_DEPTH = 20
NODE_CAP = 5000

_VALID = "({r}.from IS NULL OR {r}.from <= $asOf) AND ({r}.to IS NULL OR {r}.to >= $asOf)"


def node_props(v: str) -> str:
    return PROPS.format(v=v)


_TIES = f"""
CALL (t) {{
  OPTIONAL MATCH (t)<-[c:CONTROLS|LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF]-(x)
  WHERE {_VALID.format(r="c")}
  WITH c, x WHERE c IS NOT NULL
  RETURN collect({{role: c.role, from: c.from, to: c.to,
                   label: CASE WHEN x:Person THEN 'Person' ELSE 'Enterprise' END,
                   key: coalesce(x.uscc, x.idNumber), props: {node_props("x")}}}) AS ties
}}
"""


def _query(direction: Direction, depth: int) -> LiteralString:
    """The subgraph query for one direction and depth (both from allowlists)."""
    if direction not in Direction or not 1 <= depth <= MAX_DEPTH:
        raise ValueError("direction or depth outside the allowlist")
    if direction is Direction.UP:
        expand = f"(t)<-[rs:HOLDS_SHARES*1..{depth}]-(x)"
        onward = "(n)<-[r:HOLDS_SHARES]-(m)"
        holder, company = "m", "n"
        ties = _TIES
    else:
        expand = f"(t)-[rs:HOLDS_SHARES*1..{depth}]->(x)"
        onward = "(n)-[r:HOLDS_SHARES]->(m)"
        holder, company = "n", "m"
        ties = "WITH t, reached, capped, [] AS ties\n"
    return trusted(
        f"""
MATCH (t:Enterprise {{uscc: $uscc}})
CALL (t) {{
  OPTIONAL MATCH {expand}
  WHERE all(r IN rs WHERE {_VALID.format(r="r")})
  RETURN collect(DISTINCT x) AS reached
}}
WITH t, reached, size(reached) > $nodeCap AS capped
{ties}
WITH t, capped, ties, [t] + reached[..$nodeCap] AS nodes
CALL (nodes) {{
  UNWIND nodes AS n
  MATCH {onward}
  WHERE {_VALID.format(r="r")}
  RETURN collect({{key: r.key, share: r.share, from: r.from, to: r.to,
                   holderLabel: CASE WHEN {holder}:Person THEN 'Person' ELSE 'Enterprise' END,
                   holder: coalesce({holder}.uscc, {holder}.idNumber),
                   company: {company}.uscc}}) AS holdings,
         collect(DISTINCT m) AS touched
}}
WITH t, capped, ties, holdings, nodes + touched AS everyone
UNWIND everyone AS v
WITH t, capped, ties, holdings, v
WITH t, capped, ties, holdings, collect(DISTINCT v) AS everyone
RETURN t {{.uscc, .name, .kind}} AS subject, capped, ties, holdings,
       [v IN everyone | {{label: CASE WHEN v:Person THEN 'Person' ELSE 'Enterprise' END,
                         key: coalesce(v.uscc, v.idNumber),
                         props: {node_props("v")}}}] AS nodes
"""
    )


QUERIES: dict[tuple[Direction, int], LiteralString] = {
    (direction, depth): _query(direction, depth)
    for direction in Direction
    for depth in range(1, MAX_DEPTH + 1)
}


@dataclass
class Subgraph:
    """The fetched shareholding subgraph: plain data for the pure rules and the schema."""

    subject: dict[str, Any] | None  # None: no such enterprise
    holdings: list[Holding]
    ties: list[Tie]
    nodes: dict[NodeKey, dict[str, Any]]  # properties of every node touched
    capped: bool


async def shareholding_subgraph(
    tx: AsyncManagedTransaction,
    uscc: str,
    direction: Direction,
    depth: int,
    as_of: dt.date,
    node_cap: int = NODE_CAP,
) -> Subgraph:
    result = await tx.run(
        QUERIES[(direction, depth)], {"uscc": uscc, "asOf": as_of, "nodeCap": node_cap}
    )
    record = await result.single()
    if record is None:
        return Subgraph(None, [], [], {}, False)
    row = plain(record)
    holdings = [
        Holding(
            key=h["key"],
            holder=(h["holderLabel"], h["holder"]),
            company=h["company"],
            share=float(h["share"]),
            valid_from=h["from"],
            valid_to=h["to"],
        )
        for h in row["holdings"]
    ]
    ties = [Tie((t["label"], t["key"]), t["role"], t["from"], t["to"]) for t in row["ties"]]
    nodes: dict[NodeKey, dict[str, Any]] = {
        (n["label"], n["key"]): n["props"] for n in row["nodes"]
    }
    for tie in row["ties"]:
        nodes.setdefault((tie["label"], tie["key"]), tie["props"])
    return Subgraph(row["subject"], holdings, ties, nodes, bool(row["capped"]))
