"""The grade lists against real Neo4j (docs/feeds.md, the seed 二(六)): grade A subjects as a
list and a feed that a bank's key pulls (融资便利), and grade D subjects on the focus lists of
the departments that supervise them, each with one interview order (约谈) made when it became D."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = [pytest.mark.neo4j]

BANK = Actor(Role.APPROVAL, "key-bank", "RCB")  # a bank's approval system (kind BANK)
ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
NDRC = Actor(Role.DEPARTMENT, "key-ndrc", "NDRC")
INVESTIGATOR = Actor(Role.INVESTIGATOR, "key-inv")

A_LIST = """
query ($asOf: Date, $division: String, $kind: SubjectKind, $first: Int!, $after: String) {
  gradeAList(asOf: $asOf, division: $division, kind: $kind, first: $first, after: $after) {
    asOf pageInfo { hasNextPage endCursor }
    nodes { evaluation { id grade evaluatedOn source }
            subject { ... on Enterprise { uscc name } ... on Person { idNumber idNumberMasked } } }
  }
}"""

FEED = """
query ($after: Int!) {
  events(after: $after, first: 100, filter: {grades: [A]}) {
    events { type subjectKey previousGrade currentGrade grade on }
  }
}"""


def evaluation(subject: dict[str, str], grade: str, on: str, **kw: Any) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "subject": subject,
        "grade": grade,
        "evaluatedOn": on,
        "source": "NDRC",
        **kw,
    }


async def a_list(gql: GQL, actor: Actor = BANK, **variables: Any) -> list[Any]:
    """Every page of the grade A list, 2 at a time."""
    found: list[Any] = []
    after = None
    while True:
        page = (await gql.ok(A_LIST, {"first": 2, "after": after, **variables}, actor=actor))[
            "gradeAList"
        ]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def keys(nodes: list[Any]) -> list[str]:
    return [n["subject"].get("uscc") or n["subject"]["idNumber"] for n in nodes]


async def test_grade_a_list_and_the_feed_of_subjects_entering_or_leaving_a(gql: GQL) -> None:
    firms = sorted(f.uscc() for _ in range(4))
    elsewhere = f.uscc(division="451000")
    person = f.id_number("1975-03-03")
    first, later, once, graded_b = firms
    await load(
        gql.store,
        [
            *[f.enterprise(u, f"隆林优级{n}有限公司") for n, u in enumerate(firms)],
            f.enterprise(elsewhere, "百色优级有限公司"),
            f.person(person, "韦优级"),
            evaluation({"uscc": first}, "A", "2024-01-01"),
            evaluation({"uscc": later}, "B", "2024-01-01"),
            evaluation({"uscc": once}, "A", "2024-01-01"),
            evaluation({"uscc": graded_b}, "B", "2024-01-01"),
            evaluation({"uscc": elsewhere}, "A", "2024-01-01"),
            evaluation({"idNumber": person}, "A", "2024-01-01"),
        ],
    )
    # later enters A, once leaves it; an older evaluation of first arriving late moves nothing
    await load(
        gql.store,
        [
            evaluation({"uscc": later}, "A", "2025-01-01"),
            evaluation({"uscc": once}, "C", "2025-01-01"),
            evaluation({"uscc": first}, "D", "2023-01-01"),
        ],
    )
    now = await a_list(gql)
    masked = person[:4] + "*" * 10 + person[-4:]
    assert keys(now) == [masked, *sorted([first, later, elsewhere])]  # by identifier
    assert now[0]["subject"]["idNumberMasked"] is True
    assert {n["evaluation"]["grade"] for n in now} == {"A"}
    assert (
        next(n for n in now if n["subject"].get("uscc") == later)["evaluation"]["evaluatedOn"]
        == "2025-01-01"
    )
    assert keys(await a_list(gql, asOf="2024-06-30")) == [
        masked,
        *sorted([first, once, elsewhere]),
    ]
    assert keys(await a_list(gql, division="451031", kind="ENTERPRISE")) == [first, later]
    assert keys(await a_list(gql, kind="PERSON", actor=INVESTIGATOR)) == [person]
    refused = await gql(A_LIST, {"first": 2}, actor=PUBLIC)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"

    feed = (await gql.ok(FEED, {"after": 0}, actor=BANK))["events"]["events"]
    moves = [(e["subjectKey"], e["previousGrade"], e["currentGrade"]) for e in feed]
    assert moves == [
        (first, None, "A"),
        (once, None, "A"),
        (elsewhere, None, "A"),
        (masked, None, "A"),
        (later, "B", "A"),
        (once, "A", "C"),
    ]
    assert {e["type"] for e in feed} == {"EVALUATION_CHANGED"}
    anonymous = await gql.ok(FEED, {"after": 0}, actor=PUBLIC)
    assert anonymous["events"]["events"] == []  # evaluations are not published


FOCUS = """
query ($department: String, $asOf: Date) {
  focusSupervision(department: $department, asOf: $asOf, first: 50) {
    asOf
    nodes { subject { ... on Enterprise { uscc } } departments evaluation { id grade }
            interviewOrders { id department status content orderedOn deadline } }
  }
}"""


async def focus(gql: GQL, actor: Actor, department: str | None = None) -> list[Any]:
    found = await gql.ok(FOCUS, {"department": department}, actor=actor)
    return list(found["focusSupervision"]["nodes"])


async def orders_made(gql: GQL) -> list[tuple[str, str]]:
    query = """{ events(after: 0, first: 100, filter: {types: [RECTIFICATION_ORDERED]}) {
      events { subjectKey department recordId } } }"""
    found = (await gql.ok(query, actor=INVESTIGATOR))["events"]["events"]
    return sorted((e["subjectKey"], e["department"]) for e in found)


async def test_grade_d_subjects_go_on_their_supervisors_focus_lists_with_one_interview_order(
    gql: GQL,
) -> None:
    acted, alone = sorted([f.uscc(), f.uscc()])
    await load(
        gql.store,
        [
            f.enterprise(acted, "隆林差级有限公司"),
            f.enterprise(alone, "隆林无监管有限公司"),
            f.action(
                "P-ECO", {"uscc": acted}, "PENALTY", department="ECOENV", decided="2024-02-01"
            ),
            f.action("L-AMR", {"uscc": acted}, "LICENSE", department="AMR", decided="2023-02-01"),
            evaluation({"uscc": acted}, "C", "2024-01-01"),
        ],
    )
    assert await orders_made(gql) == []  # not D: no order
    await load(
        gql.store,
        [
            evaluation({"uscc": acted}, "D", "2025-01-01", id="EV-D1"),
            evaluation({"uscc": alone}, "D", "2025-01-01", id="EV-D2"),
        ],
    )
    # acted is supervised by the departments that acted on it; alone by its evaluator
    assert await orders_made(gql) == sorted([(acted, "AMR"), (acted, "ECOENV"), (alone, "NDRC")])
    mine = await focus(gql, ECO)
    assert [n["subject"]["uscc"] for n in mine] == [acted]
    assert mine[0]["departments"] == ["AMR", "ECOENV"]
    (order,) = mine[0]["interviewOrders"]
    assert (order["department"], order["status"]) == ("ECOENV", "ORDERED")
    assert "约谈" in order["content"]
    ordered = dt.date.fromisoformat(order["orderedOn"])
    assert dt.date.fromisoformat(order["deadline"]) == ordered + dt.timedelta(days=30)
    assert [n["subject"]["uscc"] for n in await focus(gql, NDRC)] == [alone]
    everyone = await focus(gql, Actor(Role.ADMIN, "key-admin"))
    assert [(n["subject"]["uscc"], len(n["interviewOrders"])) for n in everyone] == [
        (acted, 2),
        (alone, 1),
    ]
    for actor, department in ((ECO, "AMR"), (PUBLIC, None), (BANK, None)):
        refused = await gql(FOCUS, {"department": department}, actor=actor)
        assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"

    # once: the same upload again, and another D while still D, make no order
    await load(gql.store, [evaluation({"uscc": acted}, "D", "2025-01-01", id="EV-D1")])
    await load(gql.store, [evaluation({"uscc": acted}, "D", "2025-06-01", id="EV-D3")])
    assert len(await orders_made(gql)) == 3
    # the order is the rectification workflow's: the department records what followed
    done = """mutation ($id: String!, $on: Date) {
      recordRectified(id: $id, reason: "已整改并约谈", on: $on) { status } }"""
    on = max(ordered, dt.date(2025, 6, 1)).isoformat()
    assert (await gql.ok(done, {"id": order["id"], "on": on}, actor=ECO))["recordRectified"][
        "status"
    ] == "RECTIFIED"
    # better, then D again: a new episode, new orders
    await load(gql.store, [evaluation({"uscc": acted}, "B", "2025-09-01", id="EV-B")])
    assert [n["subject"]["uscc"] for n in await focus(gql, ECO)] == []
    await load(gql.store, [evaluation({"uscc": acted}, "D", "2025-12-01", id="EV-D4")])
    assert len(await orders_made(gql)) == 5
    again = await focus(gql, ECO)
    assert [o["status"] for o in again[0]["interviewOrders"]] in (
        ["ORDERED", "RECTIFIED"],
        ["RECTIFIED", "ORDERED"],
    )
