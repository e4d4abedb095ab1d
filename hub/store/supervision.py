"""Cypher of supervision: the actions a compliance report judges, execution feedback, and the
counts of the punishment statistics (docs/feeds.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.events import emit
from hub.store.imports import trusted
from hub.store.values import native

# Every action a department decided between two dates (inclusive), with its subject's kind.
DECIDED: LiteralString = """
MATCH (a:Action)
WHERE a.decisionDate >= $from AND a.decisionDate <= $to AND a.department = $department
OPTIONAL MATCH (a)-[:ABOUT]->(s)
RETURN a.id AS id, a.type AS type, a.title AS title, a.documentNumber AS documentNumber,
       a.decisionDate AS decisionDate, a.publishedOn AS publishedOn, a.subjectKey AS subjectKey,
       CASE WHEN s:Person THEN 'Person' ELSE 'Enterprise' END AS subjectLabel
ORDER BY a.decisionDate, a.id
"""


async def decided(
    tx: AsyncManagedTransaction, department: str, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    result = await tx.run(DECIDED, {"department": department, "from": start, "to": end})
    return [native(r.data()) for r in await result.fetch(1_000_000)]


# --- execution feedback ---------------------------------------------------------------------

# The subject and the measure must exist; the department is the caller's. One node per record,
# linked to what it is about, and its event in the same transaction.


def _record_execution(label: str, key: str) -> LiteralString:
    return trusted(
        f"""
MATCH (s:{label} {{{key}: $subject}})
MATCH (m:Measure {{code: $measure}})
MATCH (d:Department {{code: $department}})
OPTIONAL MATCH (l:Listing {{id: $listing}})
CREATE (x:Execution {{id: $id, measure: $measure, subjectKey: $subject,
                     subjectLabel: '{label}', reference: $reference, executedOn: $on,
                     result: $result, note: $note, department: $department, by: $by,
                     listingId: l.id, domain: l.domain,
                     batch: $id, recordedAt: $now, sourceDepartment: $department}})
CREATE (x)-[:APPLIES {{batch: $id, recordedAt: $now, sourceDepartment: $department}}]->(m)
CREATE (x)-[:ABOUT {{batch: $id, recordedAt: $now, sourceDepartment: $department}}]->(s)
CREATE (x)-[:ISSUED_BY {{batch: $id, recordedAt: $now, sourceDepartment: $department}}]->(d)
RETURN x {{.*}} AS x
"""
    )


# The subject and the measure must exist (``missing`` reads them first in the same
# transaction); the department is the caller's. One node per record, linked to what it is
# about, and its event in the same transaction.
RECORD_EXECUTION = {
    "Enterprise": _record_execution("Enterprise", "uscc"),
    "Person": _record_execution("Person", "idNumber"),
}

EXISTING: LiteralString = """
OPTIONAL MATCH (e:Enterprise {uscc: $subject})
OPTIONAL MATCH (p:Person {idNumber: $subject})
OPTIONAL MATCH (m:Measure {code: $measure})
OPTIONAL MATCH (l:Listing {id: $listing})
OPTIONAL MATCH (l)-[:ON]->(on)
RETURN e IS NOT NULL OR p IS NOT NULL AS subjectFound, m IS NOT NULL AS measureFound,
       l IS NOT NULL AS listingFound, coalesce(on.uscc, on.idNumber) AS listedSubject
"""


async def record_execution(
    tx: AsyncManagedTransaction,
    label: str,
    params: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """The execution as stored, with its event, after ``check`` (the pure rule, raising to
    refuse) has seen whether the subject, the measure and the listing exist."""
    check(await missing(tx, params["subject"], params["measure"], params["listing"]))
    result = await tx.run(RECORD_EXECUTION[label], params)
    record = await result.single()
    if record is None:  # the department is not in the reference data
        raise NotFound(f"department {params['department']} does not exist", field="department")
    stored: dict[str, Any] = native(record["x"])
    await emit(
        tx,
        [
            {
                "type": "EXECUTION_RECORDED",
                "on": params["on"],
                "subjectKey": params["subject"],
                "subjectLabel": label,
                "department": params["department"],
                "measure": params["measure"],
                "executionId": params["id"],
                "listingId": params["listing"],
                "domain": stored.get("domain"),
                "result": params["result"],
                "reason": params["note"],
                "public": False,
                "batch": params["id"],
                "sourceDepartment": params["department"],
            }
        ],
        params["now"],
    )
    return stored


async def missing(
    tx: AsyncManagedTransaction, subject: str, measure: str, listing: str | None
) -> dict[str, Any]:
    """Whether the subject, the measure and the listing exist (and whom the listing is on)."""
    params = {"subject": subject, "measure": measure, "listing": listing}
    record = await (await tx.run(EXISTING, params)).single()
    assert record is not None  # noqa: S101 - OPTIONAL MATCH yields one row
    return native(record.data())  # type: ignore[no-any-return]


# --- punishment statistics ------------------------------------------------------------------

# Each kind counted by every dimension at once (hub/rules/statistics.py sums them as asked).
# A listing counts in the month of its decision (its effectiveFrom when no decision date is
# recorded); a derived entry in its source's; a check in the month it was asked (Asia/Shanghai
# is not applied: receipts are counted by their UTC time); an execution in its month.
COUNT_LISTINGS: LiteralString = """
MATCH (l:Listing)
WHERE l.derived = false
WITH l, coalesce(l.decisionDate, l.effectiveFrom) AS day
WHERE day >= $from AND day <= $to AND ($department IS NULL OR l.department = $department)
RETURN 'LISTING' AS kind, null AS decision, l.department AS department, null AS measure,
       l.domain AS domain, date.truncate('month', day) AS month, count(*) AS count
"""

COUNT_DERIVED: LiteralString = """
MATCH (l:Listing)
WHERE l.derived = true AND NOT coalesce(l.retracted, false)
MATCH (src:Listing {id: l.sourceId})
WITH l, src, coalesce(src.decisionDate, src.effectiveFrom) AS day
WHERE day >= $from AND day <= $to AND ($department IS NULL OR src.department = $department)
RETURN 'DERIVED_ENTRY' AS kind, null AS decision, src.department AS department,
       null AS measure, l.domain AS domain, date.truncate('month', day) AS month,
       count(*) AS count
"""

COUNT_CHECKS: LiteralString = """
MATCH (x:Receipt)
WHERE x.askedAt >= datetime({date: $from}) AND x.askedAt < datetime({date: $to}) + duration('P1D')
  AND ($department IS NULL OR x.department = $department)
RETURN 'CHECK' AS kind, x.decision AS decision, x.department AS department, null AS measure,
       null AS domain, date.truncate('month', date(x.askedAt)) AS month, count(*) AS count
"""

COUNT_EXECUTIONS: LiteralString = """
MATCH (x:Execution)
WHERE x.executedOn >= $from AND x.executedOn <= $to
  AND ($department IS NULL OR x.department = $department)
RETURN 'EXECUTION' AS kind, null AS decision, x.department AS department,
       x.measure AS measure, x.domain AS domain, date.truncate('month', x.executedOn) AS month,
       count(*) AS count
"""


async def punishment_counts(
    tx: AsyncManagedTransaction, start: dt.date, end: dt.date, department: str | None = None
) -> list[dict[str, Any]]:
    """Counts of every kind by every dimension, from ``start`` to ``end`` inclusive; only
    those of ``department`` when given."""
    rows: list[dict[str, Any]] = []
    params = {"from": start, "to": end, "department": department}
    for query in (COUNT_LISTINGS, COUNT_DERIVED, COUNT_CHECKS, COUNT_EXECUTIONS):
        result = await tx.run(query, params)
        rows += [native(r.data()) for r in await result.fetch(1_000_000)]
    return rows
