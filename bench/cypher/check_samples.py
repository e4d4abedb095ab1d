"""Cypher of the check benchmark: deterministic samples of a generated county."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.values import native

EXTRAS: LiteralString = """
OPTIONAL MATCH (d:BenchDataset {id: 'credithub-bench'})
RETURN coalesce(d.checkExtras, false) AS loaded
"""

MARK_EXTRAS: LiteralString = """
MERGE (d:BenchDataset {id: 'credithub-bench'}) SET d.checkExtras = true
"""

# Who gets the extra listings: adults for court defaults, enterprises for the lists.
TARGETS: LiteralString = """
CALL () {
  MATCH (p:Person) WHERE p.birthDate < date('2000-01-01')
  WITH p ORDER BY p.idNumber SKIP 1000 LIMIT 1500
  RETURN collect(p.idNumber) AS persons
}
CALL () {
  MATCH (e:Enterprise {kind: 'ENTERPRISE'}) WHERE NOT EXISTS { (e)<-[:ON]-(:Listing) }
  WITH e ORDER BY e.uscc
  WITH collect(e.uscc) AS firms
  RETURN firms[0..300] AS court, firms[300..1300] AS watch, firms[1300..2300] AS red,
         firms[2300..22300] AS graded
}
RETURN persons, court, watch, red, graded
"""

# A mix the approval systems would send: listed firms, their people, court-listed persons,
# firms whose officers are court-listed, and ordinary subjects.
SUBJECTS: LiteralString = """
CALL () {
  MATCH (l:Listing {derived: false})-[:ON]->(e:Enterprise)
  WITH e ORDER BY e.uscc LIMIT $n
  RETURN collect({label: 'Enterprise', key: e.uscc}) AS listed
}
CALL () {
  MATCH (l:Listing {derived: true})-[:ON]->(p:Person)
  WITH DISTINCT p ORDER BY p.idNumber LIMIT $n
  RETURN collect({label: 'Person', key: p.idNumber}) AS reached
}
CALL () {
  MATCH (l:Listing {source: 'COURT'})-[:ON]->(p:Person)
  OPTIONAL MATCH (p)-[:LEGAL_REPRESENTATIVE_OF|OFFICER_OF|PRINCIPAL_OF]->(e:Enterprise)
  WITH p, collect(e.uscc)[0..1] AS firms ORDER BY p.idNumber LIMIT $n
  RETURN collect({label: 'Person', key: p.idNumber}) AS courted,
         [f IN reduce(acc = [], x IN collect(firms) | acc + x) | {label: 'Enterprise', key: f}]
           AS related
}
CALL () {
  MATCH (e:Enterprise) WITH e ORDER BY e.uscc SKIP 50000 LIMIT $n
  RETURN collect({label: 'Enterprise', key: e.uscc}) AS plain
}
CALL () {
  MATCH (p:Person) WITH p ORDER BY p.idNumber SKIP 100000 LIMIT $n
  RETURN collect({label: 'Person', key: p.idNumber}) AS people
}
RETURN listed + reached + courted + related + plain + people AS subjects
"""


async def extras_loaded(tx: AsyncManagedTransaction) -> bool:
    record = await (await tx.run(EXTRAS)).single()
    return bool(record and record["loaded"])


async def mark_extras(tx: AsyncManagedTransaction) -> None:
    await (await tx.run(MARK_EXTRAS)).consume()


async def sample_targets(tx: AsyncManagedTransaction) -> dict[str, list[str]]:
    record = await (await tx.run(TARGETS)).single()
    assert record is not None  # noqa: S101 - the query always returns one row
    return {k: list(record[k]) for k in ("persons", "court", "watch", "red", "graded")}


async def sample_subjects(tx: AsyncManagedTransaction, total: int) -> list[dict[str, Any]]:
    record = await (await tx.run(SUBJECTS, {"n": total // 6})).single()
    subjects: list[dict[str, Any]] = native(record["subjects"]) if record else []
    return subjects
