"""Cypher of 双随机一公开 sampling plans: the population with its grades, who is related to
whom (回避), the stored plan and its inspection results (hub/rules/sampling.py decides)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.errors import NotFound
from hub.store.adapter import Runner, rows
from hub.store.values import native

# The enterprises of the scope with their latest grade on $on (null: ungraded).
POPULATION: LiteralString = """
MATCH (e:Enterprise)
WHERE ($kind IS NULL OR e.kind = $kind)
  AND ($division IS NULL OR substring(e.uscc, 2, 6) = $division)
  AND ($department IS NULL
       OR EXISTS { (e)<-[:ABOUT]-(:Action)-[:ISSUED_BY]->(:Department {code: $department}) })
CALL (e) {
  OPTIONAL MATCH (e)<-[:EVALUATES]-(ev:Evaluation)
  WHERE ev.evaluatedOn <= $on
  WITH ev ORDER BY ev.evaluatedOn DESC, ev.id DESC LIMIT 1
  RETURN ev.grade AS grade
}
RETURN collect([e.uscc, grade]) AS population
"""


async def population(
    tx: AsyncManagedTransaction,
    kind: str | None,
    division: str | None,
    department: str | None,
    on: dt.date,
) -> list[tuple[str, str | None]]:
    params = {"kind": kind, "division": division, "department": department, "on": on}
    record = await (await tx.run(POPULATION, params)).single()
    return [(str(k), g) for k, g in record["population"]] if record else []


# For each inspector, the enterprises it may not inspect on $on: those where it holds a role,
# shares, control or employment (a); those tied to such a third subject by holding shares in
# it or controlling it (b); those where someone holding a role at that third subject also holds
# a role (c: a shared role at a third subject). Bounded: one hop out, then one or two back.
RELATED: LiteralString = """
UNWIND $inspectors AS pid
OPTIONAL MATCH (i:Person {idNumber: pid})
CALL (i) {
  WITH i WHERE i IS NOT NULL
  OPTIONAL MATCH (i)-[r:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS|HOLDS_SHARES|WORKS_FOR]->(x:Enterprise)
  WHERE (r.from IS NULL OR r.from <= $on) AND (r.to IS NULL OR r.to >= $on)
  WITH i, collect(DISTINCT x) AS thirds
  CALL (i, thirds) {
    UNWIND thirds AS x
    RETURN x AS t
    UNION
    UNWIND thirds AS x
    MATCH (x)<-[r2:HOLDS_SHARES|CONTROLS]-(t:Enterprise)
    WHERE (r2.from IS NULL OR r2.from <= $on) AND (r2.to IS NULL OR r2.to >= $on)
    RETURN t
    UNION
    UNWIND thirds AS x
    MATCH (x)<-[r2:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|CONTROLS]-(p:Person)
          -[r3:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|CONTROLS]->(t:Enterprise)
    WHERE p <> i
      AND (r2.from IS NULL OR r2.from <= $on) AND (r2.to IS NULL OR r2.to >= $on)
      AND (r3.from IS NULL OR r3.from <= $on) AND (r3.to IS NULL OR r3.to >= $on)
    RETURN t
  }
  RETURN collect(DISTINCT t.uscc) AS related
}
RETURN pid, i IS NOT NULL AS found, related
"""


async def related(
    tx: AsyncManagedTransaction, inspectors: list[str], on: dt.date
) -> dict[str, set[str] | None]:
    """Inspector -> the enterprises it is related to (None: no such person in the graph)."""
    result = await tx.run(RELATED, {"inspectors": inspectors, "on": on})
    return {
        r["pid"]: set(r["related"]) if r["found"] else None for r in await result.fetch(100_000)
    }


WRITE_PLAN: LiteralString = """
CREATE (p:SamplingPlan)
SET p = $plan
WITH p
UNWIND $targets AS t
MATCH (e:Enterprise {uscc: t.key})
CREATE (p)-[:TARGETS {order: t.order, tier: t.tier, grade: t.grade, inspectors: t.inspectors,
                      shortfall: t.shortfall, batch: p.id, recordedAt: p.createdAt,
                      sourceDepartment: p.department}]->(e)
"""


async def write_plan(
    tx: AsyncManagedTransaction, plan: dict[str, Any], targets: list[dict[str, Any]]
) -> None:
    await tx.run(WRITE_PLAN, {"plan": plan, "targets": targets})


@dataclass(frozen=True)
class Scope:
    """Who may be drawn (enterprises of a kind, a division, with actions of a department) on a
    date, and the inspector pool."""

    kind: str | None
    division: str | None
    department: str | None
    on: dt.date
    inspectors: list[str]


Decide = Callable[
    [list[tuple[str, str | None]], dict[str, set[str] | None]],
    tuple[dict[str, Any], list[dict[str, Any]]],
]


async def create_plan(tx: AsyncManagedTransaction, scope: Scope, decide: Decide) -> str:
    """Read the population and who is related to whom, let ``decide`` (the pure draw) make the
    plan and its targets, store them: one transaction, so the plan is drawn from the data it
    stores. The plan's id."""
    members = await population(tx, scope.kind, scope.division, scope.department, scope.on)
    found = await related(tx, scope.inspectors, scope.on)
    plan, targets = decide(members, found)
    await write_plan(tx, plan, targets)
    return str(plan["id"])


PLAN: LiteralString = """
MATCH (p:SamplingPlan {id: $id})
OPTIONAL MATCH (p)-[t:TARGETS]->(e:Enterprise)
WITH p, t, e ORDER BY t.order
RETURN p {.*} AS plan,
       [x IN collect({uscc: e.uscc, name: e.name, t: t {.*}}) WHERE x.uscc IS NOT NULL] AS targets
"""


async def plan(tx: AsyncManagedTransaction, plan_id: str) -> dict[str, Any] | None:
    record = await (await tx.run(PLAN, {"id": plan_id})).single()
    if record is None:
        return None
    return native(record.data())  # type: ignore[no-any-return]


LOCK_TARGET: LiteralString = """
MATCH (p:SamplingPlan {id: $id})-[t:TARGETS]->(e:Enterprise {uscc: $uscc})
SET t._lock = true
REMOVE t._lock
RETURN p.department AS department, t.result AS result
"""

RECORD_RESULT: LiteralString = """
MATCH (p:SamplingPlan {id: $id})-[t:TARGETS]->(e:Enterprise {uscc: $uscc})
SET t.result = $result, t.inspectedOn = $on, t.note = $note, t.recordedBy = $by,
    t.resultRecordedAt = $now
"""


async def record_result(
    tx: AsyncManagedTransaction,
    params: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
) -> None:
    """The result of one target's inspection, after ``check`` saw the plan's department."""
    record = await (
        await tx.run(LOCK_TARGET, {"id": params["id"], "uscc": params["uscc"]})
    ).single()
    if record is None:
        raise NotFound(f"{params['uscc']} is not a target of plan {params['id']}", field="uscc")
    check(native(record.data()))
    await tx.run(RECORD_RESULT, params)


# The recorded inspection results of one enterprise (双随机一公开: results are published), the
# newest first, with the plan's department.
RESULTS_OF: LiteralString = """
MATCH (e:Enterprise {uscc: $uscc})<-[t:TARGETS]-(p:SamplingPlan)
WHERE t.result IS NOT NULL
OPTIONAL MATCH (d:Department {code: p.department})
RETURN {planId: p.id, department: p.department, departmentName: d.name, planOn: p.on,
        inspectedOn: t.inspectedOn, result: t.result, note: t.note,
        inspectors: coalesce(t.inspectors, [])} AS r
ORDER BY t.inspectedOn DESC, p.id DESC
"""


@dataclass(frozen=True, slots=True)
class InspectionRow:
    """A recorded inspection result of a plan's target (``RESULTS_OF``)."""

    plan_id: str
    department: str
    result: str
    department_name: str | None = None
    inspected_on: dt.date | None = None
    note: str | None = None
    inspectors: tuple[str, ...] = ()


def inspection_row(row: Mapping[str, Any]) -> InspectionRow:
    """The store's map of an inspection result (``RESULTS_OF``) as an ``InspectionRow``."""
    get = row.get
    return InspectionRow(
        plan_id=str(row["planId"]),
        department=str(row["department"]),
        result=str(row["result"]),
        department_name=get("departmentName"),
        inspected_on=get("inspectedOn"),
        note=get("note"),
        inspectors=tuple(row["inspectors"]),
    )


async def results_of(tx: Runner, uscc: str) -> list[InspectionRow]:
    """The recorded inspection results of an enterprise, newest first."""
    return [inspection_row(r["r"]) for r in await rows(tx, RESULTS_OF, {"uscc": uscc})]
