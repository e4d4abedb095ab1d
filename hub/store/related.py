"""Cypher of relatedParties: enterprises linked to one enterprise, with what links them.

One query. Links: a person or enterprise holding a role or shares at both (legal representative,
principal, officer, shareholder, declared controller — roles valid on ``asOf``), a shared
registered address or phone, and a direct shareholding or declared control between the two
(招标投标法实施条例 art. 34: 单位负责人为同一人或者存在控股、管理关系). Capped at ``$cap`` link rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.graph import KEY, LABEL, node, types, valid
from hub.store.imports import trusted
from hub.store.values import plain

LINK_TYPES = (
    "LEGAL_REPRESENTATIVE_OF",
    "PRINCIPAL_OF",
    "OFFICER_OF",
    "HOLDS_SHARES",
    "CONTROLS",
)
ROW_CAP = 5000

_ROLE = "coalesce({r}.role, CASE type({r}) WHEN 'HOLDS_SHARES' THEN 'SHAREHOLDER' END)"

RELATED: LiteralString = trusted(
    f"""
MATCH (e:Enterprise {{uscc: $uscc}})
OPTIONAL CALL (e) {{
  MATCH (e)<-[r1:{types(LINK_TYPES)}]-(x)-[r2:{types(LINK_TYPES)}]->(o:Enterprise)
  WHERE o <> e AND {valid("r1")} AND {valid("r2")}
  RETURN o, x AS via, {{kind: 'PARTY', roleHere: {_ROLE.format(r="r1")},
              roleThere: {_ROLE.format(r="r2")}, shareHere: r1.share, shareThere: r2.share}} AS link
  UNION ALL
  MATCH (e)-[:LOCATED_AT]->(a:Address)<-[:LOCATED_AT]-(o:Enterprise)
  WHERE o <> e
  RETURN o, a AS via, {{kind: 'ADDRESS'}} AS link
  UNION ALL
  MATCH (e)-[:REACHABLE_AT]->(p:Phone)<-[:REACHABLE_AT]-(o:Enterprise)
  WHERE o <> e
  RETURN o, p AS via, {{kind: 'PHONE'}} AS link
  UNION ALL
  MATCH (e)-[r:HOLDS_SHARES|CONTROLS]-(o:Enterprise)
  WHERE {valid("r")}
  RETURN o, null AS via, {{kind: CASE WHEN startNode(r) = e THEN 'OUT' ELSE 'IN' END,
              roleHere: {_ROLE.format(r="r")}, share: r.share}} AS link
}}
WITH e, o, via, link LIMIT $cap
WITH e, collect(CASE WHEN o IS NULL THEN null ELSE {{other: o {{.uscc, .name, .kind}}, link: link,
                  via: CASE WHEN via IS NULL THEN null ELSE {{label: {LABEL.format(v="via")},
                                                              key: {KEY.format(v="via")}}} END}} END) AS links,
     collect(DISTINCT via) AS vias
RETURN e {{.uscc, .name, .kind}} AS subject, links, [v IN vias | {node("v")}] AS vias
"""
)


async def related_links(
    tx: AsyncManagedTransaction, uscc: str, as_of: dt.date, cap: int = ROW_CAP
) -> dict[str, Any] | None:
    """{subject, links: [{other, link, via}], vias: [node], capped}; None when unknown."""
    result = await tx.run(RELATED, {"uscc": uscc, "asOf": as_of, "cap": cap + 1})
    record = await result.single()
    if record is None:
        return None
    row: dict[str, Any] = plain(record)
    row["capped"] = len(row["links"]) > cap
    row["links"] = row["links"][:cap]
    return row
