"""双随机一公开 sampling plans against real Neo4j: tiers, reproducibility, 回避 through the graph,
inspection results (docs/feeds.md)."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import Actor, Role
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = [pytest.mark.neo4j]

AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
TAX = Actor(Role.DEPARTMENT, "key-tax", "TAX")
ADMIN = Actor(Role.ADMIN, "key-admin", "AMR")

CREATE = """
mutation ($input: SamplingPlanInput!) {
  createSamplingPlan(input: $input) {
    id department seed shortfalls
    tiers { tier ratio population drawn }
    targets { uscc tier grade inspectors shortfall result inspectedOn }
  }
}
"""


def grade(code: str, value: str) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "subject": {"uscc": code},
        "grade": value,
        "evaluatedOn": "2025-01-01",
        "source": "NDRC",
    }


async def story(gql: GQL) -> dict[str, Any]:
    """FIRM and THIRD (grade D, always drawn) and the people around them: FIRM's legal
    representative REP, also a director of THIRD; inspector ROLE-AT (a principal of FIRM),
    HOLDER (holds shares in FIRM), COLLEAGUE (a director of THIRD, like REP), FREE (no tie).
    Each of the three is related to both FIRM and THIRD: to one through its own tie, to the
    other through REP's roles at both. Twenty A firms, ten B, ten ungraded."""
    firm, third = f.uscc(), f.uscc()
    rep, role_at, holder, colleague, free = (f.id_number(f"196{n}-03-03") for n in range(5))
    a_firms = [f.uscc() for _ in range(20)]
    b_firms = [f.uscc() for _ in range(10)]
    ungraded = [f.uscc() for _ in range(10)]
    lines: list[dict[str, Any]] = [
        f.enterprise(firm),
        grade(firm, "D"),
        f.enterprise(third),
        grade(third, "D"),
    ]
    lines += [f.person(p) for p in (rep, role_at, holder, colleague, free)]
    lines += [
        f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        f.role(role_at, firm, "PRINCIPAL"),
        f.share({"idNumber": holder}, firm, 0.1),
        f.role(rep, third, "DIRECTOR"),
        f.role(colleague, third, "DIRECTOR"),
    ]
    for code in a_firms:
        lines += [f.enterprise(code), grade(code, "A")]
    for code in b_firms:
        lines += [f.enterprise(code), grade(code, "B")]
    lines += [f.enterprise(code) for code in ungraded]
    report = await load(gql.store, lines)
    assert report.rejected == 0, report
    return {
        "firm": firm,
        "third": third,
        "related": [role_at, holder, colleague],
        "free": free,
        "a": a_firms,
    }


async def plan(gql: GQL, actor: Actor = ADMIN, **given: Any) -> dict[str, Any]:
    data = await gql.ok(CREATE, {"input": {"seed": 2026, **given}}, actor=actor)
    found: dict[str, Any] = data["createSamplingPlan"]
    return found


async def test_tiers_are_drawn_at_their_ratios_and_the_same_seed_draws_the_same_plan(
    gql: GQL,
) -> None:
    s = await story(gql)
    pool = [*s["related"], s["free"]]
    first = await plan(gql, inspectors=pool, inspectorsPerTarget=1)
    assert [(t["tier"], t["population"], t["drawn"]) for t in first["tiers"]] == [
        ("A", 20, 1),  # 5 %
        ("B", 10, 2),  # 20 %
        ("C", 10, 6),  # 60 % of the ten ungraded
        ("D", 2, 2),
    ]
    again = await plan(gql, inspectors=list(reversed(pool)), inspectorsPerTarget=1)
    assert again["id"] != first["id"]
    assert again["targets"] == first["targets"]
    other = await plan(gql, inspectors=pool, inspectorsPerTarget=1, seed=7)
    assert other["targets"] != first["targets"]
    ratios = await plan(gql, inspectors=pool, ratios={"A": 0.5, "C": 0})
    assert [t["drawn"] for t in ratios["tiers"]] == [10, 2, 0, 2]


async def test_no_related_inspector_is_ever_assigned_and_the_shortfall_is_said(gql: GQL) -> None:
    s = await story(gql)
    only_related = await plan(gql, inspectors=s["related"], inspectorsPerTarget=1)
    for code in (s["firm"], s["third"]):
        target = next(t for t in only_related["targets"] if t["uscc"] == code)
        assert target["inspectors"] == [] and target["shortfall"] is True
    assert only_related["shortfalls"] == 2
    with_free = await plan(gql, inspectors=[*s["related"], s["free"]], inspectorsPerTarget=2)
    for target in with_free["targets"]:
        if target["uscc"] in (s["firm"], s["third"]):
            assert target["inspectors"] == [s["free"]] and target["shortfall"] is True
        else:
            assert len(target["inspectors"]) == 2 and not target["shortfall"]


async def test_a_department_plans_masks_inspectors_and_records_results(gql: GQL) -> None:
    s = await story(gql)
    made = await plan(gql, actor=AMR, inspectors=[s["free"], *s["related"]])
    assert made["department"] == "AMR"
    shown = {i for t in made["targets"] for i in t["inspectors"]}
    assert shown and all("*" in i for i in shown)
    record = """mutation ($id: String!, $uscc: String!) {
      recordInspectionResult(planId: $id, uscc: $uscc, result: "未发现问题",
                             inspectedOn: "2026-05-01") { targets { uscc result inspectedOn } } }"""
    variables = {"id": made["id"], "uscc": s["firm"]}
    data = await gql.ok(record, variables, actor=AMR)
    firm = next(t for t in data["recordInspectionResult"]["targets"] if t["uscc"] == s["firm"])
    assert (firm["result"], firm["inspectedOn"]) == ("未发现问题", "2026-05-01")
    refused = await gql(record, variables, actor=TAX)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    other = await gql(
        "query ($id: String!) { samplingPlan(id: $id) { id } }", {"id": made["id"]}, actor=TAX
    )
    assert other.errors and other.errors[0].extensions["code"] == "FORBIDDEN"
    unknown = await gql(
        CREATE, {"input": {"seed": 1, "inspectors": [f.id_number("1990-01-01")]}}, actor=AMR
    )
    assert unknown.errors and unknown.errors[0].extensions["code"] == "NOT_FOUND"
