"""Cypher of the measure catalogue and of evaluations: upserts and reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.events import evaluation_event_map
from hub.store.imports import (
    _FIRST_SET,
    _NEW_LINK,
    _PROVENANCE_SET,
    _REVISION,
    _node_upsert,
    revision_link,
    trusted,
)
from hub.store.values import native

UPSERT_MEASURES = _node_upsert("Measure")

UPSERT_EVALUATIONS = trusted(
    f"""
UNWIND $rows AS row
MERGE (n:Evaluation {{id: row.key}})
ON CREATE SET {_FIRST_SET.format(v="n")}
WITH n, row, n.fp AS oldFp
WHERE oldFp IS NULL OR oldFp <> row.fp
{_REVISION.format(v="n", entity="Evaluation", link=revision_link("n"))}
SET n += row.props, {_PROVENANCE_SET.format(v="n")}
WITH n, row, oldFp
CALL (n) {{
  OPTIONAL MATCH (n)-[old:EVALUATES|ABOUT|ISSUED_BY]->()
  DELETE old
}}
CALL (n, row) {{
  MATCH (d:Department {{code: row.department}})
  CREATE (n)-[:ISSUED_BY {_NEW_LINK}]->(d)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Enterprise'
  MATCH (s:Enterprise {{uscc: row.subject}})
  CREATE (n)-[:EVALUATES {_NEW_LINK}]->(s)
}}
CALL (n, row) {{
  WITH n, row WHERE row.subjectLabel = 'Person'
  MATCH (s:Person {{idNumber: row.subject}})
  CREATE (n)-[:EVALUATES {_NEW_LINK}]->(s)
}}
RETURN count(oldFp) AS updated, count(*) - count(oldFp) AS created,
       collect({evaluation_event_map("n", "row")}) AS events
"""
)

# Each measure with its earlier versions (the Revisions an edition's change left): a check on a
# date before the current version's editionDate applies the version then in force
# (hub/rules/editions.py).
MEASURES: LiteralString = """
MATCH (m:Measure)
WHERE ($scenario IS NULL OR '*' IN m.scenarios OR $scenario IN m.scenarios)
  AND ($kind IS NULL OR size(m.subjectKinds) = 0 OR $kind IN m.subjectKinds)
RETURN m {.*, versions: [(m)-[:HAS_REVISION]->(r:Revision) | r {.*}]} AS m
ORDER BY m.code
"""

# The measures the catalogue file loaded (last written by migrate), not yet retired.
CATALOGUE_CODES: LiteralString = """
MATCH (m:Measure) WHERE m.sourceDepartment = $department AND m.retiredOn IS NULL
RETURN collect(m.code) AS codes
"""

# Measures a new edition of the catalogue no longer holds: retired from the edition's date.
RETIRE_MEASURES: LiteralString = """
UNWIND $codes AS code
MATCH (m:Measure {code: code})
WHERE m.sourceDepartment = $department AND m.retiredOn IS NULL
SET m.retiredOn = $on, m.retiredIn = $edition, m.retiredBy = $batch
RETURN count(m) AS retired
"""


async def catalogue_rows(
    tx: AsyncManagedTransaction, scenario: str | None, kind: str | None
) -> list[dict[str, Any]]:
    result = await tx.run(MEASURES, {"scenario": scenario, "kind": kind})
    return [native(r["m"]) for r in await result.fetch(10_000)]


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """A measure of the catalogue as the store reads it (``MEASURES``, its current version):
    what the API shows of it. The check reads the statement's maps with their earlier
    versions (``catalogue_rows``, ``hub/rules/editions.py``)."""

    code: str
    name: str
    category: str
    effect: str
    legal_basis: str
    edition: str
    edition_date: dt.date | None = None
    retired_on: dt.date | None = None
    retired_in: str | None = None
    scenarios: tuple[str, ...] = ()
    reaches: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    subject_kinds: tuple[str, ...] = ()
    requires_public_servant: bool = False


def measure_row(row: Mapping[str, Any]) -> MeasureRow:
    """The store's map of a measure (``m {.*}``) as a ``MeasureRow``."""
    get = row.get
    retired_in = get("retiredIn")
    return MeasureRow(
        code=str(row["code"]),
        name=str(row["name"]),
        category=str(row["category"]),
        effect=str(row["effect"]),
        legal_basis=str(row["legalBasis"]),
        edition=str(row["edition"]),
        edition_date=get("editionDate"),
        retired_on=get("retiredOn"),
        retired_in=None if retired_in is None else str(retired_in),
        scenarios=tuple(get("scenarios") or ()),
        reaches=tuple(get("reaches") or ()),
        lists=tuple(get("lists") or ()),
        grades=tuple(get("grades") or ()),
        sources=tuple(get("sources") or ()),
        subject_kinds=tuple(get("subjectKinds") or ()),
        requires_public_servant=bool(get("requiresPublicServant")),
    )


async def measures(
    tx: AsyncManagedTransaction, scenario: str | None, kind: str | None
) -> list[MeasureRow]:
    """The catalogue's measures governing ``scenario`` (every one: None) and applying to a
    listed subject of ``kind`` (any: None), by code."""
    return [measure_row(m) for m in await catalogue_rows(tx, scenario, kind)]


async def catalogue_codes(tx: AsyncManagedTransaction, department: str) -> set[str]:
    record = await (await tx.run(CATALOGUE_CODES, {"department": department})).single()
    return set(record["codes"]) if record else set()


async def retire_measures(
    tx: AsyncManagedTransaction, /, codes: list[str], department: str, **edition: Any
) -> int:
    """Retire ``codes`` (of ``department``'s catalogue) from ``on``, naming the edition."""
    params = {"codes": codes, "department": department, **edition}
    record = await (await tx.run(RETIRE_MEASURES, params)).single()
    return int(record["retired"]) if record else 0
