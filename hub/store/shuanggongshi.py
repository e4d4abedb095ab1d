"""Cypher of the 双公示 tables: subjects created from a row, and the export's page of actions.

A row's subject is written only when the hub does not know it yet (``MERGE … ON CREATE``): a
department's penalty file never overwrites registration data that another source keeps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.adapter import Runner, rows
from hub.store.imports import (
    _FIRST_SET,
    _PROVENANCE_SET,
    NODE_KEYS,
    Counts,
    Provenance,
    trusted,
)
from hub.store.values import record_times


def _create_missing(label: str) -> LiteralString:
    key = NODE_KEYS[label]
    # an enterprise's USCC again as its tieKey, as the importer writes it (import_writes.py)
    tie = ", n.tieKey = row.key" if label == "Enterprise" else ""
    return trusted(
        f"""
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
ON CREATE SET n += row.props, {_PROVENANCE_SET.format(v="n")}, {_FIRST_SET.format(v="n")},
              n.createdFrom = row.createdFrom{tie}
RETURN count(*) AS rows, sum(CASE WHEN n.firstBatch = $batch THEN 1 ELSE 0 END) AS created
"""
    )


CREATE_MISSING = {label: _create_missing(label) for label in ("Enterprise", "Person")}


async def create_missing(
    tx: AsyncManagedTransaction, label: str, rows_: list[dict[str, Any]], prov: Provenance
) -> Counts:
    """Create the subjects among ``rows_`` the graph does not hold; leave the others alone."""
    result = await tx.run(CREATE_MISSING[label], {"rows": rows_, **prov.params()})
    record = await result.single()
    created = int(record["created"]) if record else 0
    return Counts(created=created, unchanged=len(rows_) - created)


# One page of a department's actions of a type, oldest first, after (decisionDate, id).
EXPORT_PAGE = trusted(
    """
MATCH (a:Action)
WHERE a.decisionDate >= $from AND a.decisionDate <= $to AND a.type = $type
  AND ($department IS NULL OR a.department = $department)
  AND ($afterDate IS NULL OR a.decisionDate > $afterDate
       OR (a.decisionDate = $afterDate AND a.id > $afterId))
WITH a ORDER BY a.decisionDate, a.id LIMIT $limit
MATCH (a)-[:ABOUT]->(s)
OPTIONAL MATCH (a)-[:ISSUED_BY]->(d:Department)
RETURN a {.*} AS a, s {.*, label: CASE WHEN s:Person THEN 'Person' ELSE 'Enterprise' END} AS s,
       d.name AS departmentName
"""
)


async def export_page(
    tx: Runner,
    action_type: str,
    department: str | None,
    start: dt.date,
    end: dt.date,
    after: tuple[dt.date, str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    params = {
        "type": action_type,
        "department": department,
        "from": start,
        "to": end,
        "afterDate": after[0] if after else None,
        "afterId": after[1] if after else None,
        "limit": limit,
    }
    return [record_times(row) for row in await rows(tx, EXPORT_PAGE, params)]
