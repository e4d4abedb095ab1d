"""Objections (to listings and actions) and repair applications through GraphQL against real
Neo4j: each state machine, its illegal transitions (CONFLICT, nothing changed), deadlines, the
overdue list, and what a repair ends (docs/lifecycle.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_check import check
from tests.test_import import count, graph_size

pytestmark = [pytest.mark.neo4j]

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")

FILE = """
mutation ($listing: String, $action: String, $on: Date) {
  fileObjection(listingId: $listing, actionId: $action, reason: "认定有误", on: $on) {
    id status listingId actionId filedOn deadline deadlineApproximate overdue
  }
}"""
VERIFY = """
mutation ($id: String!, $on: Date) {
  startVerification(id: $id, reason: "调取监测记录", on: $on) { status verifyingOn }
}"""
RESOLVE = """
mutation ($id: String!, $upheld: Boolean!, $on: Date) {
  resolveObjection(id: $id, upheld: $upheld, reason: "核查结论", on: $on) { status resolvedOn }
}"""
APPLY = """
mutation ($input: RepairInput!) {
  applyForRepair(input: $input) {
    id status refusal earliestSuccess appliedOn deadline evidence listingId actionId
  }
}"""
DECIDE = """
mutation ($id: String!, $approved: Boolean!, $on: Date) {
  decideRepair(id: $id, approved: $approved, reason: "核实整改到位", on: $on) {
    status decidedOn decision
  }
}"""
LISTING = """
query ($id: String!, $asOf: Date) {
  listing(id: $id, asOf: $asOf) { status endedOn endReason events { type on } }
}"""


async def a_listed_firm(
    gql: GQL, domain: str = "TAX", start: str = "2024-03-01"
) -> tuple[str, str]:
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE", "2010-01-01"),
            f.listing("ECO-1", {"uscc": firm}, domain=domain, start=start),
        ],
        department="ECOENV",
    )
    return firm, rep


def code(result: Any) -> str:
    assert result.errors, "expected an error"
    return str(result.errors[0].extensions["code"])


async def listing(gql: GQL, as_of: str | None = None) -> dict[str, Any]:
    data = await gql.ok(LISTING, {"id": "ECO-1", "asOf": as_of})
    found: dict[str, Any] = data["listing"]
    return found


async def test_objection_filed_verifying_rejected_and_every_illegal_step_changes_nothing(
    gql: GQL,
) -> None:
    await a_listed_firm(gql)
    filed = (await gql.ok(FILE, {"listing": "ECO-1", "on": "2026-09-28"}, actor=ECO))[
        "fileObjection"
    ]
    assert filed["status"] == "FILED" and filed["listingId"] == "ECO-1"
    # 10 working days, across the National Day holiday and the 调休 Saturday 10 October
    assert (filed["deadline"], filed["deadlineApproximate"]) == ("2026-10-16", False)
    assert filed["overdue"] is True  # undecided today (after 2026-10-16)
    oid = filed["id"]
    assert code(await gql(VERIFY, {"id": oid, "on": "2026-09-29"}, actor=AMR)) == "FORBIDDEN"
    verifying = await gql.ok(VERIFY, {"id": oid, "on": "2026-09-29"}, actor=ECO)
    assert verifying["startVerification"] == {"status": "VERIFYING", "verifyingOn": "2026-09-29"}
    # measures stay suspended while it is verified
    assert (await listing(gql, "2026-10-01"))["status"] == "SUSPENDED"
    before = await graph_size(gql.store)
    again = await gql(VERIFY, {"id": oid, "on": "2026-09-30"}, actor=ECO)
    assert code(again) == "CONFLICT"
    assert "only a FILED objection starts verification" in again.errors[0].message
    early = await gql(RESOLVE, {"id": oid, "upheld": False, "on": "2026-09-28"}, actor=ECO)
    assert code(early) == "BAD_USER_INPUT"  # before verification began
    assert await graph_size(gql.store) == before
    rejected = await gql.ok(RESOLVE, {"id": oid, "upheld": False, "on": "2026-10-09"}, actor=ECO)
    assert rejected["resolveObjection"] == {"status": "REJECTED", "resolvedOn": "2026-10-09"}
    assert (await listing(gql, "2026-10-09"))["status"] == "ACTIVE"  # suspension lifted
    before = await graph_size(gql.store)
    for step, variables in (
        (VERIFY, {"id": oid, "on": "2026-10-10"}),
        (RESOLVE, {"id": oid, "upheld": True, "on": "2026-10-10"}),
    ):
        refused = await gql(step, variables, actor=ECO)
        assert code(refused) == "CONFLICT"
        assert "REJECTED" in refused.errors[0].message
    assert await graph_size(gql.store) == before
    types = [e["type"] for e in (await listing(gql))["events"]]
    assert types == ["LISTED", "OBJECTION_FILED", "OBJECTION_VERIFYING", "OBJECTION_REJECTED"]


async def test_an_upheld_objection_to_a_penalty_revokes_it_from_the_public_record(
    gql: GQL,
) -> None:
    firm = f.uscc()
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林处罚有限公司"),
            f.action(
                "P-1",
                {"uscc": firm},
                kind="PENALTY",
                department="ECOENV",
                decided="2026-06-01",
                severity="SERIOUS",
            ),
        ],
        department="ECOENV",
    )
    actions = "query ($u: String!) { enterprise(uscc: $u) { actions { nodes { id endedOn endReason } } } }"
    assert (await gql.ok(actions, {"u": firm}, actor=PUBLIC))["enterprise"]["actions"]["nodes"]
    other = await gql(FILE, {"action": "P-1", "on": "2026-07-01"}, actor=AMR)
    assert code(other) == "FORBIDDEN"
    both = await gql(FILE, {"action": "P-1", "listing": "ECO-1", "on": "2026-07-01"}, actor=ECO)
    assert code(both) == "BAD_USER_INPUT"
    filed = (await gql.ok(FILE, {"action": "P-1", "on": "2026-07-01"}, actor=ECO))["fileObjection"]
    assert (filed["actionId"], filed["listingId"], filed["status"]) == ("P-1", None, "FILED")
    await gql.ok(VERIFY, {"id": filed["id"], "on": "2026-07-02"}, actor=ECO)
    upheld = await gql.ok(
        RESOLVE, {"id": filed["id"], "upheld": True, "on": "2026-07-10"}, actor=ECO
    )
    assert upheld["resolveObjection"]["status"] == "UPHELD"
    seen = await gql.ok(actions, {"u": firm}, actor=ECO)
    assert seen["enterprise"]["actions"]["nodes"] == [
        {"id": "P-1", "endedOn": "2026-07-10", "endReason": "REVOKED"}
    ]
    assert (await gql.ok(actions, {"u": firm}, actor=PUBLIC))["enterprise"]["actions"][
        "nodes"
    ] == []
    again = await gql(FILE, {"action": "P-1", "on": "2026-07-11"}, actor=ECO)
    assert code(again) == "CONFLICT"
    trail = await gql.ok(
        "query ($u: String!) { enterprise(uscc: $u) { actions { nodes { objections {"
        " actionId status verifyingOn resolvedOn } } } } }",
        {"u": firm},
        actor=ECO,
    )
    assert trail["enterprise"]["actions"]["nodes"][0]["objections"] == [
        {
            "actionId": "P-1",
            "status": "UPHELD",
            "verifyingOn": "2026-07-02",
            "resolvedOn": "2026-07-10",
        }
    ]


async def test_overdue_objections_of_a_department_come_first(gql: GQL) -> None:
    firm, _ = await a_listed_firm(gql)
    await load(gql.store, [f.listing("ECO-2", {"uscc": firm}, domain="TAX")], department="ECOENV")
    recent = await gql.ok(FILE, {"listing": "ECO-2"}, actor=ECO)  # filed today
    old = await gql.ok(FILE, {"listing": "ECO-1", "on": "2026-09-01"}, actor=ECO)
    query = "query ($d: String) { overdueObjections(department: $d) { id overdue deadline } }"
    mine = (await gql.ok(query, {}, actor=ECO))["overdueObjections"]
    assert [(o["id"], o["overdue"]) for o in mine] == [
        (old["fileObjection"]["id"], True),
        (recent["fileObjection"]["id"], False),
    ]
    assert code(await gql(query, {"d": "ECOENV"}, actor=AMR)) == "FORBIDDEN"
    assert (await gql.ok(query, {"d": "AMR"}, actor=AMR))["overdueObjections"] == []
    assert len((await gql.ok(query, {"d": "ECOENV"}))["overdueObjections"]) == 2  # ADMIN
    await gql.ok(RESOLVE, {"id": old["fileObjection"]["id"], "upheld": False}, actor=ECO)
    left = (await gql.ok(query, {}, actor=ECO))["overdueObjections"]
    assert [o["id"] for o in left] == [recent["fileObjection"]["id"]]


def repair_input(**kw: Any) -> dict[str, Any]:
    return {
        "listingId": "ECO-1",
        "conductCorrected": True,
        "publicCommitment": "信用修复承诺书",
        "repairTraining": "培训证明 2025-88",
        "creditReport": "信用报告 GX-1",
        "reason": "已补缴税款",
        **kw,
    }


async def test_a_repair_application_refused_at_once_then_approved_frees_the_legal_rep(
    gql: GQL,
) -> None:
    _, rep = await a_listed_firm(gql)  # BLACK in TAX from 2024-03-01: repairable 2025-03-01
    assert (await check(gql, {"idNumber": rep}, "MARKET_ENTRY", "2025-06-01"))[
        "decision"
    ] == "RESTRICTED"
    early = (await gql.ok(APPLY, {"input": repair_input(on="2025-02-28")}, actor=ECO))[
        "applyForRepair"
    ]
    assert early["status"] == "REFUSED" and early["earliestSuccess"] == "2025-03-01"
    assert "from 2025-03-01" in early["refusal"]
    missing = (
        await gql.ok(APPLY, {"input": repair_input(on="2025-03-01", creditReport=None)}, actor=ECO)
    )["applyForRepair"]
    assert missing["status"] == "REFUSED"
    assert missing["refusal"] == "a condition is missing: CREDIT_REPORT"
    assert (await listing(gql, "2025-06-01"))["status"] == "ACTIVE"  # refusals end nothing
    pending = (await gql.ok(APPLY, {"input": repair_input(on="2025-03-01")}, actor=ECO))[
        "applyForRepair"
    ]
    assert pending["status"] == "PENDING" and pending["refusal"] is None
    waiting = "query { pendingRepairs { id overdue } }"
    assert (await gql.ok(waiting, actor=ECO))["pendingRepairs"] == [
        {"id": pending["id"], "overdue": True}
    ]
    assert pending["deadline"] == "2025-03-14"  # 10 working days
    before = await graph_size(gql.store)
    twice = await gql(APPLY, {"input": repair_input(on="2025-03-02")}, actor=ECO)
    assert code(twice) == "CONFLICT"
    assert (
        code(
            await gql(
                DECIDE, {"id": pending["id"], "approved": True, "on": "2025-03-05"}, actor=AMR
            )
        )
        == "FORBIDDEN"
    )
    assert await graph_size(gql.store) == before
    approved = await gql.ok(
        DECIDE, {"id": pending["id"], "approved": True, "on": "2025-03-10"}, actor=ECO
    )
    assert approved["decideRepair"]["status"] == "APPROVED"
    ended = await listing(gql, "2025-03-10")
    assert (ended["status"], ended["endedOn"], ended["endReason"]) == (
        "ENDED",
        "2025-03-10",
        "REPAIRED",
    )
    assert (await listing(gql, "2025-03-09"))["status"] == "ACTIVE"
    assert (await gql.ok(waiting, actor=ECO))["pendingRepairs"] == []
    # the repaired listing no longer restricts its legal representative (derived entry ended)
    assert (await check(gql, {"idNumber": rep}, "MARKET_ENTRY", "2025-06-01"))[
        "decision"
    ] == "CLEAR"
    before = await graph_size(gql.store)
    decided = await gql(DECIDE, {"id": pending["id"], "approved": False}, actor=ECO)
    assert code(decided) == "CONFLICT"
    assert await graph_size(gql.store) == before


async def test_end_listing_repaired_is_the_decision_of_a_pending_application(gql: GQL) -> None:
    await a_listed_firm(gql)
    end = 'mutation { endListing(id: "ECO-1", reason: "已整改", kind: REPAIRED, on: "2025-04-01") { status endReason } }'
    before = await graph_size(gql.store)
    without = await gql(end, actor=ECO)
    assert code(without) == "CONFLICT"
    assert "no pending repair application" in without.errors[0].message
    assert await graph_size(gql.store) == before
    applied = await gql.ok(APPLY, {"input": repair_input(on="2025-03-20")}, actor=ECO)
    ended = await gql.ok(end, actor=ECO)
    assert ended["endListing"] == {"status": "ENDED", "endReason": "REPAIRED"}
    application = await gql.ok(
        "query ($id: String!) { repairApplication(id: $id) { status decidedOn } }",
        {"id": applied["applyForRepair"]["id"]},
        actor=ECO,
    )
    assert application["repairApplication"] == {"status": "APPROVED", "decidedOn": "2025-04-01"}
    others = await gql(
        "query ($id: String!) { repairApplication(id: $id) { status } }",
        {"id": applied["applyForRepair"]["id"]},
        actor=AMR,
    )
    assert code(others) == "FORBIDDEN"


async def test_a_penalty_repair_and_a_record_that_cannot_be_repaired(gql: GQL) -> None:
    firm = f.uscc()
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林罚款有限公司"),
            f.action(
                "P-G",
                {"uscc": firm},
                kind="PENALTY",
                department="ECOENV",
                decided="2025-01-31",
                severity="GENERAL",
            ),
            f.action("L-1", {"uscc": firm}, kind="LICENSE", department="ECOENV"),
        ],
        department="ECOENV",
    )
    basic = {"conductCorrected": True, "publicCommitment": "承诺书", "reason": "已缴纳罚款"}
    early = await gql.ok(
        APPLY, {"input": {"actionId": "P-G", "on": "2025-04-29", **basic}}, actor=ECO
    )
    assert early["applyForRepair"]["status"] == "REFUSED"
    assert early["applyForRepair"]["earliestSuccess"] == "2025-04-30"
    on_time = await gql.ok(
        APPLY, {"input": {"actionId": "P-G", "on": "2025-04-30", **basic}}, actor=ECO
    )
    assert on_time["applyForRepair"]["status"] == "PENDING"
    await gql.ok(
        DECIDE,
        {"id": on_time["applyForRepair"]["id"], "approved": True, "on": "2025-05-06"},
        actor=ECO,
    )
    actions = "query ($u: String!) { enterprise(uscc: $u) { actions { nodes { id endedOn endReason } } } }"
    nodes = (await gql.ok(actions, {"u": firm}, actor=ECO))["enterprise"]["actions"]["nodes"]
    assert {"id": "P-G", "endedOn": "2025-05-06", "endReason": "REPAIRED"} in nodes
    public = (await gql.ok(actions, {"u": firm}, actor=PUBLIC))["enterprise"]["actions"]["nodes"]
    assert [n["id"] for n in public] == ["L-1"]
    licence = await gql.ok(APPLY, {"input": {"actionId": "L-1", **basic}}, actor=ECO)
    assert licence["applyForRepair"]["status"] == "REFUSED"
    assert "only a penalty" in licence["applyForRepair"]["refusal"]
    assert licence["applyForRepair"]["earliestSuccess"] is None
    stored = await count(gql.store, "MATCH (r:Repair) RETURN count(r)")
    assert stored == 3


WAY_BACK = """
query ($s: SubjectRef!, $asOf: Date) {
  checkBeforeApproval(subject: $s, scenario: MARKET_ENTRY, asOf: $asOf) {
    hits { listing { id } wayBack { endsOn repairable repairFrom repairNeeds why } }
  }
}"""


async def test_every_hit_tells_the_way_back(gql: GQL) -> None:
    """A clerk who refuses can tell the applicant when the hit ends on its own and from when a
    repair application of the listed enterprise can succeed, with what."""
    _, rep = await a_listed_firm(gql, domain="ENVIRONMENT")
    debtor = f.id_number("1971-01-01")
    await load(
        gql.store,
        [
            f.person(debtor, "覃被执行"),
            f.court_default("C-1", {"idNumber": debtor}, ground=2, start="2025-01-01"),
        ],
    )
    data = await gql.ok(WAY_BACK, {"s": {"idNumber": rep}, "asOf": "2025-06-01"}, actor=ECO)
    [hit] = data["checkBeforeApproval"]["hits"]
    assert hit["listing"]["id"] == "ECO-1"
    assert hit["wayBack"] == {
        "endsOn": None,
        "repairable": True,
        "repairFrom": "2027-03-01",
        "repairNeeds": [
            "CONDUCT_CORRECTED",
            "PUBLIC_COMMITMENT",
            "REPAIR_TRAINING",
            "CREDIT_REPORT",
        ],
        "why": "the ENVIRONMENT domain is not repairable early (three years)",
    }
    court = await gql.ok(WAY_BACK, {"s": {"idNumber": debtor}, "asOf": "2025-06-01"}, actor=ECO)
    assert {h["wayBack"]["endsOn"] for h in court["checkBeforeApproval"]["hits"]} == {"2027-01-01"}
    assert not any(h["wayBack"]["repairable"] for h in court["checkBeforeApproval"]["hits"])


ORDER = """
mutation ($input: RectificationInput!) {
  orderRectification(input: $input) { id status orderedOn deadline overdue department }
}"""
INTERVIEW = """
mutation ($id: String!, $on: Date) {
  recordInterview(id: $id, reason: "约谈法定代表人", on: $on) { status interviewedOn overdue }
}"""
RECTIFIED = """
mutation ($id: String!, $on: Date) {
  recordRectified(id: $id, reason: "已完成整改", on: $on) { status rectifiedOn late }
}"""


async def test_a_missed_rectification_deadline_brings_an_interview_into_the_credit_record(
    gql: GQL,
) -> None:
    person = f.id_number("1980-02-02")
    await load(gql.store, [f.person(person, "黄个体")])
    order = {
        "subject": {"idNumber": person},
        "content": "限期清理违规堆放的固体废物",
        "deadline": "2026-11-30",
        "reason": "现场检查发现",
        "on": "2026-11-02",
    }
    bad = await gql(ORDER, {"input": {**order, "deadline": "2026-11-02"}}, actor=ECO)
    assert code(bad) == "BAD_USER_INPUT"
    other = await gql(ORDER, {"input": {**order, "department": "AMR"}}, actor=ECO)
    assert code(other) == "FORBIDDEN"
    made = (await gql.ok(ORDER, {"input": order}, actor=ECO))["orderRectification"]
    assert (made["status"], made["department"], made["overdue"]) == ("ORDERED", "ECOENV", True)
    listed = "query ($d: String) { overdueRectifications(department: $d) { id deadline } }"
    assert (await gql.ok(listed, {}, actor=ECO))["overdueRectifications"] == [
        {"id": made["id"], "deadline": "2026-11-30"}
    ]
    assert code(await gql(listed, {"d": "ECOENV"}, actor=AMR)) == "FORBIDDEN"
    before = await graph_size(gql.store)
    early = await gql(INTERVIEW, {"id": made["id"], "on": "2026-11-30"}, actor=ECO)
    assert code(early) == "CONFLICT"
    assert "missed only from 2026-12-01" in early.errors[0].message
    assert await graph_size(gql.store) == before
    interviewed = await gql.ok(INTERVIEW, {"id": made["id"], "on": "2026-12-01"}, actor=ECO)
    assert interviewed["recordInterview"] == {
        "status": "INTERVIEWED",
        "interviewedOn": "2026-12-01",
        "overdue": False,
    }
    assert (await gql.ok(listed, {}, actor=ECO))["overdueRectifications"] == []
    assert (
        code(await gql(INTERVIEW, {"id": made["id"], "on": "2026-12-02"}, actor=ECO)) == "CONFLICT"
    )
    record = """query ($p: String!, $asOf: Date) {
      person(idNumber: $p) { creditRecord(asOf: $asOf) { interviews { id interviewedOn } } } }"""
    on_day = await gql.ok(record, {"p": person, "asOf": "2026-12-01"}, actor=ECO)
    assert on_day["person"]["creditRecord"]["interviews"] == [
        {"id": made["id"], "interviewedOn": "2026-12-01"}
    ]
    day_before = await gql.ok(record, {"p": person, "asOf": "2026-11-30"}, actor=ECO)
    assert day_before["person"]["creditRecord"]["interviews"] == []
    done = await gql.ok(RECTIFIED, {"id": made["id"], "on": "2026-12-03"}, actor=ECO)
    assert done["recordRectified"] == {
        "status": "RECTIFIED",
        "rectifiedOn": "2026-12-03",
        "late": True,
    }
    assert (
        code(await gql(RECTIFIED, {"id": made["id"], "on": "2026-12-04"}, actor=ECO)) == "CONFLICT"
    )
    mine = "query ($s: SubjectRef!) { rectifications(subject: $s) { id status interviewedOn } }"
    assert (await gql.ok(mine, {"s": {"idNumber": person}}, actor=ECO))["rectifications"] == [
        {"id": made["id"], "status": "RECTIFIED", "interviewedOn": "2026-12-01"}
    ]
    assert code(await gql(mine, {"s": {"idNumber": person}}, actor=PUBLIC)) == "FORBIDDEN"


HISTORY = """
query ($s: SubjectRef!, $first: Int!, $after: String) {
  history(subject: $s, first: $first, after: $after) {
    nodes { type on recordKind recordId department by reason }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_history_lists_every_step_newest_first_and_public_sees_only_the_published(
    gql: GQL,
) -> None:
    firm, _ = await a_listed_firm(gql)
    await load(
        gql.store,
        [
            f.action(
                "P-1",
                {"uscc": firm},
                kind="PENALTY",
                department="ECOENV",
                decided="2026-06-01",
                severity="SERIOUS",
            ),
        ],
        department="ECOENV",
    )
    filed = await gql.ok(FILE, {"listing": "ECO-1", "on": "2026-09-28"}, actor=ECO)
    await gql.ok(VERIFY, {"id": filed["fileObjection"]["id"], "on": "2026-09-29"}, actor=ECO)
    await gql.ok(
        RESOLVE,
        {"id": filed["fileObjection"]["id"], "upheld": False, "on": "2026-10-09"},
        actor=ECO,
    )
    penalty = await gql.ok(FILE, {"action": "P-1", "on": "2026-07-01"}, actor=ECO)
    await gql.ok(
        RESOLVE,
        {"id": penalty["fileObjection"]["id"], "upheld": True, "on": "2026-07-10"},
        actor=ECO,
    )
    await gql.ok(
        ORDER,
        {
            "input": {
                "subject": {"uscc": firm},
                "content": "限期整改",
                "deadline": "2026-11-30",
                "reason": "检查发现",
                "on": "2026-11-02",
            }
        },
        actor=ECO,
    )
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = (
            await gql.ok(HISTORY, {"s": {"uscc": firm}, "first": 3, "after": after}, actor=ECO)
        )["history"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [(e["type"], e["on"], e["recordKind"]) for e in seen] == [
        ("RECTIFICATION_ORDERED", "2026-11-02", "RECTIFICATION"),
        ("OBJECTION_REJECTED", "2026-10-09", "LISTING"),
        ("OBJECTION_VERIFYING", "2026-09-29", "LISTING"),
        ("OBJECTION_FILED", "2026-09-28", "LISTING"),
        ("REVOKED", "2026-07-10", "ACTION"),
        ("OBJECTION_UPHELD", "2026-07-10", "ACTION"),
        ("OBJECTION_FILED", "2026-07-01", "ACTION"),
        ("LISTED", "2024-03-01", "LISTING"),
    ]
    assert seen[2] == {
        "type": "OBJECTION_VERIFYING",
        "on": "2026-09-29",
        "recordKind": "LISTING",
        "recordId": "ECO-1",
        "department": "ECOENV",
        "by": "key-eco",
        "reason": "调取监测记录",
    }
    public = (await gql.ok(HISTORY, {"s": {"uscc": firm}, "first": 20}, actor=PUBLIC))["history"]
    # the published BLACK listing's steps; not the revoked penalty, not the order; no who or why
    assert [(e["type"], e["recordId"], e["by"], e["reason"]) for e in public["nodes"]] == [
        ("OBJECTION_REJECTED", "ECO-1", None, None),
        ("OBJECTION_VERIFYING", "ECO-1", None, None),
        ("OBJECTION_FILED", "ECO-1", None, None),
        ("LISTED", "ECO-1", None, None),
    ]


async def test_a_retried_request_returns_the_first_answer_and_changes_nothing(gql: GQL) -> None:
    await a_listed_firm(gql)
    file = """mutation ($r: String, $reason: String!) {
      fileObjection(listingId: "ECO-1", reason: $reason, on: "2026-09-28", requestId: $r) { id }
    }"""
    first = await gql.ok(file, {"r": "eco-2026-0042", "reason": "认定有误"}, actor=ECO)
    size = await graph_size(gql.store)
    again = await gql.ok(file, {"r": "eco-2026-0042", "reason": "认定有误"}, actor=ECO)
    assert again == first
    assert await graph_size(gql.store) == size
    other = await gql(file, {"r": "eco-2026-0042", "reason": "另一理由"}, actor=ECO)
    assert code(other) == "CONFLICT" and "use a new requestId" in other.errors[0].message
    bad = await gql(file, {"r": "bad id", "reason": "认定有误"}, actor=ECO)
    assert code(bad) == "BAD_USER_INPUT"
    # another key's request id is its own
    theirs = await gql.ok(
        file,
        {"r": "eco-2026-0042", "reason": "认定有误"},
        actor=Actor(Role.DEPARTMENT, "key-eco-2", "ECOENV"),
    )
    assert theirs != first
    oid = first["fileObjection"]["id"]
    resolve = """mutation ($id: String!) {
      resolveObjection(id: $id, upheld: false, reason: "核查", on: "2026-10-09", requestId: "r-1") {
        status resolvedOn
      }
    }"""
    resolved = await gql.ok(resolve, {"id": oid}, actor=ECO)
    size = await graph_size(gql.store)
    # the retry is answered, not refused as a second resolution (CONFLICT without the id)
    assert await gql.ok(resolve, {"id": oid}, actor=ECO) == resolved
    assert await graph_size(gql.store) == size
    # a refused request leaves nothing behind: its retry is refused again
    verify = """mutation ($id: String!) {
      startVerification(id: $id, reason: "核查", requestId: "r-2") { status }
    }"""
    assert code(await gql(verify, {"id": oid}, actor=ECO)) == "CONFLICT"
    assert code(await gql(verify, {"id": oid}, actor=ECO)) == "CONFLICT"
    assert await graph_size(gql.store) == size
    apply = """mutation ($input: RepairInput!) {
      applyForRepair(input: $input, requestId: "r-3") { id status }
    }"""
    applied = await gql.ok(apply, {"input": repair_input(on="2025-03-01")}, actor=ECO)
    assert await gql.ok(apply, {"input": repair_input(on="2025-03-01")}, actor=ECO) == applied
    assert await count(gql.store, "MATCH (r:Repair) RETURN count(r)") == 1


async def test_two_concurrent_requests_with_one_id_make_one_objection(gql: GQL) -> None:
    await a_listed_firm(gql)
    file = """mutation {
      fileObjection(listingId: "ECO-1", reason: "认定有误", on: "2026-09-28", requestId: "same") { id }
    }"""
    first, second = await asyncio.gather(gql.ok(file, actor=ECO), gql.ok(file, actor=ECO))
    assert first == second
    assert await count(gql.store, "MATCH (o:Objection) RETURN count(o)") == 1


async def test_migrate_makes_an_open_objection_of_an_older_store_filed(gql: GQL) -> None:
    """Objections stored before the VERIFYING step have status OPEN: `migrate` rewrites them as
    FILED, after which they are verified and resolved like any other."""
    from hub.migrate import migrate

    await a_listed_firm(gql)
    async with gql.store.driver.session(database=gql.store.database) as session:
        await session.run(
            """MATCH (l:Listing {id: 'ECO-1'})
            CREATE (:Objection {id: 'obj-old', filedOn: date('2026-09-28'), status: 'OPEN',
                                reason: '旧异议', listingId: 'ECO-1'})-[:OBJECTS_TO]->(l)"""
        )
    await migrate(gql.store)
    assert await count(gql.store, "MATCH (o:Objection {status: 'FILED'}) RETURN count(o)") == 1
    verifying = await gql.ok(VERIFY, {"id": "obj-old", "on": "2026-09-29"}, actor=ECO)
    assert verifying["startVerification"]["status"] == "VERIFYING"


async def test_two_applications_at_once_make_one_pending_and_one_conflict(gql: GQL) -> None:
    """The application locks the record it repairs: the second sees the first's PENDING one."""
    await a_listed_firm(gql)
    results = await asyncio.gather(
        gql(APPLY, {"input": repair_input(on="2025-03-01")}, actor=ECO),
        gql(APPLY, {"input": repair_input(on="2025-03-01")}, actor=ECO),
    )
    assert sorted("ok" if r.errors is None else code(r) for r in results) == ["CONFLICT", "ok"]
    assert await count(gql.store, "MATCH (r:Repair {status: 'PENDING'}) RETURN count(r)") == 1
