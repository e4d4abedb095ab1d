"""Cypher of the grade lists (公共信用综合评价, the seed 二(六)): a subject's evaluations before
an upload changes them, the departments that supervise a subject, the grade A list and the
grade D focus-supervision list (hub/rules/grades.py decides; docs/feeds.md).

**Who supervises a subject:** the departments that decided an administrative action about it
or a listing on it (not a derived entry) — the departments in whose fields it acts, as the
early warnings and the sampling plans' ``supervisedOnly`` read it; a subject no department
has acted on is supervised by the department that evaluated it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.rectifications import RectificationRow, rectification_row
from hub.store.subjects import EnterpriseRow, PersonRow, enterprise_row, person_row
from hub.store.values import native

_SUBJECT = """
CALL (k) {
  MATCH (s:Enterprise {uscc: k}) RETURN s
  UNION
  MATCH (s:Person {idNumber: k}) RETURN s
}
"""

STORED: LiteralString = trusted(
    f"""
UNWIND $keys AS k
{_SUBJECT}
MATCH (s)<-[:EVALUATES]-(ev:Evaluation)
RETURN k AS key, collect([ev.id, ev.evaluatedOn, ev.grade]) AS evaluations
"""
)


async def evaluations_of(
    tx: AsyncManagedTransaction, keys: list[str]
) -> dict[str, dict[str, tuple[dt.date, str]]]:
    """Subject key -> its stored evaluations: id -> (evaluatedOn, grade)."""
    result = await tx.run(STORED, {"keys": keys})
    found = await result.fetch(len(keys) + 1)
    return {
        str(r["key"]): {str(i): (native(on), str(g)) for i, on, g in r["evaluations"]}
        for r in found
    }


_SUPERVISORS = """
COLLECT {
  MATCH (s)<-[:ABOUT]-(a:Action) WHERE a.department IS NOT NULL RETURN a.department AS code
  UNION
  MATCH (s)<-[:ON]-(l:Listing) WHERE NOT coalesce(l.derived, false) AND l.department IS NOT NULL
  RETURN l.department AS code
}
"""

SUPERVISORS: LiteralString = trusted(
    f"""
UNWIND $keys AS k
{_SUBJECT}
WITH k, {_SUPERVISORS} AS codes
MATCH (d:Department) WHERE d.code IN codes
RETURN k AS key, collect(d.code) AS departments
"""
)


async def supervisors(tx: AsyncManagedTransaction, keys: list[str]) -> dict[str, list[str]]:
    """Subject key -> the departments that decided an action about it or a listing on it."""
    result = await tx.run(SUPERVISORS, {"keys": keys})
    return {str(r["key"]): sorted(r["departments"]) for r in await result.fetch(len(keys) + 1)}


ORDERS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (r:Rectification {id: id})
RETURN collect(r.id) AS ids
"""


async def existing_orders(tx: AsyncManagedTransaction, ids: list[str]) -> set[str]:
    record = await (await tx.run(ORDERS_OF, {"ids": ids})).single()
    return set(record["ids"]) if record else set()


# The subjects whose current grade on $asOf (latest evaluation on or before it) is $grade.
_CURRENT = """
MATCH (ev:Evaluation)
WHERE ev.grade = $grade AND ev.evaluatedOn <= $asOf
MATCH (ev)-[:EVALUATES]->(s)
WHERE (s:Enterprise OR s:Person)
  AND ($division IS NULL OR (s:Enterprise AND substring(s.uscc, 2, 6) = $division))
  AND ($kind IS NULL OR CASE WHEN s:Person THEN 'PERSON' ELSE s.kind END = $kind)
WITH DISTINCT s
CALL (s) {
  MATCH (s)<-[:EVALUATES]-(l:Evaluation)
  WHERE l.evaluatedOn <= $asOf
  WITH l ORDER BY l.evaluatedOn DESC, l.id DESC LIMIT 1
  RETURN l
}
WITH s, l, coalesce(s.uscc, s.idNumber) AS key
WHERE l.grade = $grade
"""

_ROW = """
RETURN key, CASE WHEN s:Enterprise THEN 'Enterprise' ELSE 'Person' END AS label,
       s {.uscc, .idNumber, .name, .kind} AS subject,
       l {.id, .grade, .evaluatedOn, .source,
          sourceName: [(l)-[:ISSUED_BY]->(d:Department) | d.name][0]} AS evaluation
"""

GRADE_LIST: LiteralString = trusted(
    _CURRENT
    + """
  AND ($department IS NULL OR l.source = $department)
WITH s, l, key ORDER BY key SKIP $skip LIMIT $limit
"""
    + _ROW
)

FOCUS_LIST: LiteralString = trusted(
    _CURRENT
    + f"""
WITH s, l, key, {_SUPERVISORS} AS codes
WITH s, l, key, CASE WHEN size(codes) = 0 THEN [l.source] ELSE codes END AS departments
WHERE $department IS NULL OR $department IN departments
WITH s, l, key, departments ORDER BY key SKIP $skip LIMIT $limit
"""
    + _ROW
    + """,
       departments,
       [(s)<-[:ABOUT]-(r:Rectification)
        WHERE r.evaluationId IS NOT NULL AND ($department IS NULL OR r.department = $department)
        | r {.*}] AS orders
"""
)


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """The evaluation that gives a subject its current grade (``_ROW``'s ``evaluation``)."""

    id: str
    grade: str
    evaluated_on: dt.date
    source: str
    source_name: str | None = None


@dataclass(frozen=True, slots=True)
class GradedRow:
    """A subject on a grade list (``_ROW``): its key, a few of its properties, its current
    evaluation; on the focus list also its supervising departments and interview orders."""

    key: str
    subject: EnterpriseRow | PersonRow
    evaluation: EvaluationRow
    departments: tuple[str, ...] = ()
    orders: tuple[RectificationRow, ...] = ()


def graded_row(row: Mapping[str, Any]) -> GradedRow:
    """The store's map of a grade list's row (``_ROW``, the focus list's parts) as a
    ``GradedRow``."""
    subject, evaluation = row["subject"], row["evaluation"]
    return GradedRow(
        key=str(row["key"]),
        subject=enterprise_row(subject) if row["label"] == "Enterprise" else person_row(subject),
        evaluation=EvaluationRow(
            id=str(evaluation["id"]),
            grade=str(evaluation["grade"]),
            evaluated_on=evaluation["evaluatedOn"],
            source=str(evaluation["source"]),
            source_name=evaluation.get("sourceName"),
        ),
        departments=tuple(row.get("departments") or ()),
        orders=tuple(rectification_row(o) for o in row.get("orders") or ()),
    )


async def current_grade_page(
    tx: Runner, grade: str, filters: dict[str, Any], limit: int, skip: int
) -> list[GradedRow]:
    """Subjects whose current grade on ``filters['asOf']`` is ``grade``, by identifier, from
    the ``skip``-th (the cursor is a position: a key would carry an ID number); ``filters``:
    asOf, division, kind, department (the evaluating one); None where not filtered."""
    params = {"grade": grade, "limit": limit, "skip": skip, **filters}
    return [graded_row(r) for r in await rows(tx, GRADE_LIST, params)]


async def focus_page(tx: Runner, filters: dict[str, Any], limit: int, skip: int) -> list[GradedRow]:
    """Grade D subjects on ``filters['asOf']`` with their supervising departments (only those
    of ``filters['department']`` when given) and their grade D interview orders."""
    params = {"grade": "D", "limit": limit, "skip": skip, "kind": None, **filters}
    return [graded_row(r) for r in await rows(tx, FOCUS_LIST, params)]
