"""Cypher of propagation: fetch what the pure rule needs, write the derived entries it decides.

Two round trips per batch of source listings, in the caller's transaction (the upload's or the
mutation's): ``SOURCES`` reads each listing with the ties of people to its subject and the named
liable persons; ``WRITE_DERIVED`` upserts one derived ``Listing`` per person reached and retracts
entries of people no longer reached (a corrected listing), so re-running changes nothing.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.rules.propagation import ROLE_TOKENS
from hub.store.imports import _FIRST_SET, _NEW_LINK, Provenance, trusted
from hub.store.values import native

# Each listing with the ties the pure rule can use (see TIES in hub/store/listings.py: the four
# reaching roles, and every tie of a named liable person); the rule decides on the dates.
SOURCES: LiteralString = """
UNWIND $ids AS id
MATCH (l:Listing {id: id})
WHERE l.derived = false
OPTIONAL MATCH (l)-[:ON]->(s)
WITH l, s, CASE WHEN s:Enterprise THEN 'Enterprise' ELSE 'Person' END AS label,
     [(lp:Person)-[:LIABLE]->(l) | lp.idNumber] AS liable
CALL (l, s, label, liable) {
  WITH l, s, label, liable WHERE label = 'Enterprise' AND l.list = 'BLACK'
  CALL (s, liable) {
    MATCH (p:Person)-[t:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|CONTROLS|OFFICER_OF]->(s)
    WHERE t.role IN $reaching
    RETURN p, t
    UNION
    UNWIND liable AS pid
    MATCH (p:Person {idNumber: pid})-[t:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS|HOLDS_SHARES]->(s)
    USING INDEX p:Person(idNumber)
    RETURN p, t
  }
  RETURN collect({idNumber: p.idNumber, role: t.role, from: t.from, to: t.to, declared: t.declared}) AS ties
}
RETURN l.id AS id, l.list AS list, l.domain AS domain, l.source AS source,
       l.effectiveFrom AS effectiveFrom, label, s.uscc AS uscc, ties, liable
"""


async def sources(tx: AsyncManagedTransaction, ids: list[str]) -> list[dict[str, Any]]:
    result = await tx.run(SOURCES, {"ids": ids, "reaching": list(ROLE_TOKENS)})
    return [native(r.data()) for r in await result.fetch(1_000_000)]


DERIVED_BODY = trusted(
    f"""
UNWIND $sources AS s
MATCH (src:Listing {{id: s.id}})
CALL (src, s) {{
  UNWIND s.entries AS e
  MATCH (p:Person {{idNumber: e.idNumber}})
  MERGE (d:Listing {{id: e.id}})
  ON CREATE SET {_FIRST_SET.format(v="d")}, d.derived = true
  WITH src, s, e, p, d, d.fp AS oldFp
  WHERE oldFp IS NULL OR oldFp <> e.fp OR d.retracted
  CALL (d, e, oldFp) {{
    WITH d, e, oldFp WHERE oldFp IS NOT NULL
    CREATE (rev:Revision)
    SET rev += properties(d), rev.id = $batch + ':' + e.id, rev.entity = 'Listing:' + e.id,
        rev.supersededAt = $now, rev.supersededBy = $batch
    CREATE (d)-[:HAS_REVISION]->(rev)
  }}
  SET d += e.props, d.fp = e.fp, d.retracted = false, d.retractedAt = null,
      d.batch = $batch, d.recordedAt = $now, d.sourceDepartment = $dept
  MERGE (d)-[on:ON]->(p)
  ON CREATE SET on += {_NEW_LINK}
  WITH src, e, d
  CALL (d, e) {{
    OPTIONAL MATCH (d)-[old:DERIVED_FROM]->()
    WITH old WHERE old IS NOT NULL AND NOT old.role IN e.props.parties
    DELETE old
  }}
  CALL (src, d, e) {{
    UNWIND e.links AS link
    MERGE (d)-[r:DERIVED_FROM {{role: link.role}}]->(src)
    SET r.via = e.props.via, r.roleFrom = link.from, r.roleTo = link.to,
        r.batch = $batch, r.recordedAt = $now, r.sourceDepartment = $dept
  }}
  RETURN count(d) AS written
}}
CALL (src, s) {{
  MATCH (src)<-[:DERIVED_FROM]-(d:Listing)
  WITH DISTINCT d, s
  WHERE NOT d.id IN s.keep AND NOT coalesce(d.retracted, false)
  SET d.retracted = true, d.retractedAt = $now, d.retractedBatch = $batch
  RETURN count(d) AS retracted
}}
RETURN sum(written) AS written, sum(retracted) AS retracted
"""
)
WRITE_DERIVED = DERIVED_BODY


async def write_derived(
    tx: AsyncManagedTransaction, rows: list[dict[str, Any]], prov: Provenance
) -> tuple[int, int]:
    """(written, retracted) derived entries; unchanged entries are not touched."""
    result = await tx.run(WRITE_DERIVED, {"sources": rows, **prov.params()})
    record = await result.single()
    if record is None:
        return 0, 0
    return int(record["written"] or 0), int(record["retracted"] or 0)


# Source listings a change of ties at these enterprises can affect (roles, shareholdings).
LISTED_AT: LiteralString = """
UNWIND $usccs AS uscc
MATCH (:Enterprise {uscc: uscc})<-[:ON]-(l:Listing)
WHERE l.derived = false AND l.list = 'BLACK'
RETURN collect(DISTINCT l.id) AS ids
"""


async def listed_at(tx: AsyncManagedTransaction, usccs: list[str]) -> list[str]:
    result = await tx.run(LISTED_AT, {"usccs": usccs})
    record = await result.single()
    return list(record["ids"]) if record else []
