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
from hub.store.events import derived_event_map, note, rows_events
from hub.store.imports import _FIRST_SET, _NEW_LINK, Provenance, revision_link, trusted
from hub.store.values import native

# The ties of people to a listed enterprise that the propagation rule can use: the four roles
# that reach their holder, and every tie of a named liable person. Ordinary shareholders,
# directors, supervisors and practitioners can never be reached, so they are not fetched (a
# cooperative may have thousands of member shareholders); the pure rule still decides on dates.
# Expects `s` (the enterprise), `liable` (ID numbers) and `$reaching` (ROLE_TOKENS); used here
# and by the listSubject mutation (hub/store/listings.PLAN_ONE).
TIES = """
  CALL (s, liable) {
    MATCH (p:Person)-[t:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|CONTROLS|OFFICER_OF]->(s)
    WHERE t.role IN $reaching
    RETURN p, t
    UNION
    UNWIND liable AS pid
    MATCH (p:Person {idNumber: pid})-[t:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS|HOLDS_SHARES]->(s)
    USING INDEX SEEK p:Person(idNumber)
    RETURN p, t
  }
  RETURN collect({idNumber: p.idNumber, role: t.role, from: t.from, to: t.to, declared: t.declared}) AS ties
"""

# Each listing with its ties (TIES).
SOURCES: LiteralString = trusted(
    """
UNWIND $ids AS id
MATCH (l:Listing {id: id})
WHERE l.derived = false
OPTIONAL MATCH (l)-[:ON]->(s)
WITH l, s, CASE WHEN s:Enterprise THEN 'Enterprise' ELSE 'Person' END AS label,
     [(lp:Person)-[:LIABLE]->(l) | lp.idNumber] AS liable
CALL (l, s, label, liable) {
  WITH l, s, label, liable WHERE label = 'Enterprise' AND l.list = 'BLACK'
"""
    + TIES
    + """
}
RETURN l.id AS id, l.list AS list, l.domain AS domain, l.source AS source,
       l.effectiveFrom AS effectiveFrom, label, s.uscc AS uscc, ties, liable
"""
)


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
  WITH src, s, e, p, d, d.fp AS oldFp, coalesce(d.retracted, false) AS wasRetracted
  WHERE oldFp IS NULL OR oldFp <> e.fp OR d.retracted
  CALL (d, e, oldFp) {{
    WITH d, e, oldFp WHERE oldFp IS NOT NULL
    CREATE (rev:Revision)
    // One upload may revise an entry more than once (its role and its shareholding writers
    // each re-derive the listed enterprise): the entry's revision count keeps the ids apart.
    SET rev += properties(d),
        rev.id = $batch + ':' + e.id + ':' + toString(COUNT {{ (d)-[:HAS_REVISION]->() }}),
        rev.entity = 'Listing:' + e.id,
        rev.supersededAt = $now, rev.supersededBy = $batch
    {revision_link("d")}
  }}
  SET d += e.props, d.fp = e.fp, d.retracted = false, d.retractedAt = null,
      d.batch = $batch, d.recordedAt = $now, d.sourceDepartment = $dept
  MERGE (d)-[on:ON]->(p)
  ON CREATE SET on += {_NEW_LINK}
  WITH src, e, d, CASE WHEN oldFp IS NULL OR wasRetracted
    THEN {derived_event_map("d", "src", "DERIVED_ADDED", "src.effectiveFrom")} END AS added
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
  RETURN count(d) AS written, collect(added) AS added
}}
CALL (src, s) {{
  MATCH (src)<-[:DERIVED_FROM]-(d:Listing)
  WITH DISTINCT d, s
  WHERE NOT d.id IN s.keep AND NOT coalesce(d.retracted, false)
  SET d.retracted = true, d.retractedAt = $now, d.retractedBatch = $batch
  RETURN count(d) AS retracted,
         collect({derived_event_map("d", "src", "DERIVED_ENDED", "$today")}) AS ended
}}
RETURN sum(written) AS written, sum(retracted) AS retracted,
       collect(added + ended) AS derivedEvents
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
    await note(tx, rows_events(record["derivedEvents"]), prov.now)
    return int(record["written"] or 0), int(record["retracted"] or 0)


# Source listings a change of ties at these enterprises can affect (roles, shareholdings).
# Each enterprise is locked first (in the caller's order, sorted): a listing being written
# concurrently (listSubject locks its subject before reading ties) either committed before and
# is found here, or reads the ties of this upload after it commits.
LISTED_AT: LiteralString = """
UNWIND $usccs AS uscc
MATCH (e:Enterprise {uscc: uscc})
SET e._lock = true
REMOVE e._lock
WITH e
MATCH (e)<-[:ON]-(l:Listing)
WHERE l.derived = false AND l.list = 'BLACK'
RETURN collect(DISTINCT l.id) AS ids
"""


async def listed_at(tx: AsyncManagedTransaction, usccs: list[str]) -> list[str]:
    result = await tx.run(LISTED_AT, {"usccs": usccs})
    record = await result.single()
    return list(record["ids"]) if record else []
