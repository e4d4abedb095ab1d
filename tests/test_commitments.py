"""Commitments (信用承诺) and voluntary registration (自愿注册) through GraphQL and uploads,
against real Neo4j: codes, disclosure per role, fulfilment transitions, the one-year caution of
a broken commitment in the check of its scenario, the exchange-format lines."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hub.auth import PUBLIC, Actor, Role
from tests import factories as f
from tests.conftest import GQL, TEST_ADMIN, load

pytestmark = [pytest.mark.neo4j]

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
APPROVAL = Actor(Role.APPROVAL, "key-approval")

RECORD = """
mutation ($input: CommitmentInput!) {
  recordCommitment(input: $input) {
    code type typeName madeOn disclosure department scenario caseNumber
    fulfilment { status }
  }
}
"""

FULFIL = """
mutation ($code: String!, $input: FulfilmentInput!) {
  recordFulfilment(code: $code, input: $input) {
    code dishonest cautionEndsOn
    fulfilment { status statusName undone confirmedOn confirmedBy }
  }
}
"""

COMMITMENTS = """
query ($uscc: String!) {
  enterprise(uscc: $uscc) { commitments { code disclosure fulfilment { status confirmedBy } } }
}
"""

ONE = "query ($code: String!) { commitment(code: $code) { code disclosure } }"

CHECK = """
query ($uscc: String!, $scenario: Scenario!, $asOf: Date) {
  checkBeforeApproval(subject: {uscc: $uscc}, scenario: $scenario, asOf: $asOf) {
    decision receiptId
    hits { reach reason measure { code effect legalBasis }
           commitment { code brokenOn endsOn scenario caseNumber } }
  }
}
"""


async def a_firm(gql: GQL, name: str = "隆林绿源农业开发有限公司") -> str:
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm, name)])
    return firm


def commitment_input(firm: str, **extra: Any) -> dict[str, Any]:
    return {
        "subject": {"uscc": firm},
        "type": "DEFICIENCY_TOLERANT",
        "content": "三个月内补交建设项目环境影响评价批复文件",
        "liability": "逾期未补交的，自愿接受撤销许可，并记入信用记录",
        "madeOn": "2025-01-10",
        "scenario": "ADMINISTRATIVE_LICENSE",
        "caseNumber": "隆环审〔2025〕3号",
        **extra,
    }


async def record(gql: GQL, firm: str, actor: Actor = ECO, **extra: Any) -> dict[str, Any]:
    data = await gql.ok(RECORD, {"input": commitment_input(firm, **extra)}, actor=actor)
    found: dict[str, Any] = data["recordCommitment"]
    return found


def broken_on(day: str) -> dict[str, Any]:
    return {
        "status": "BROKEN",
        "confirmedOn": day,
        "confirmedBy": "黄核查",
        "undone": "未补交环评批复",
    }


async def test_codes_are_division_date_and_a_gapless_sequence_under_concurrent_writers(
    gql: GQL,
) -> None:
    firm = await a_firm(gql)
    inputs = [commitment_input(firm, content=f"承诺事项{i}") for i in range(12)]
    results = await asyncio.gather(*(gql(RECORD, {"input": one}, actor=ECO) for one in inputs))
    assert all(r.errors is None for r in results), [r.errors for r in results]
    codes = sorted(r.data["recordCommitment"]["code"] for r in results)
    assert all(len(c) == 20 and c.startswith("45103120250110") for c in codes)
    assert [int(c[14:]) for c in codes] == list(range(1, 13))
    # A refused request draws no number; another day has its own sequence.
    missing = await gql(RECORD, {"input": commitment_input(f.uscc())}, actor=ECO)
    assert missing.errors is not None and missing.errors[0].extensions["code"] == "NOT_FOUND"
    assert (await record(gql, firm))["code"] == "45103120250110000013"
    assert (await record(gql, firm, madeOn="2025-01-11"))["code"] == "45103120250111000001"


async def test_uploads_and_the_api_draw_from_one_gapless_sequence_at_once(gql: GQL) -> None:
    firm = await a_firm(gql)
    uploads = [
        load(
            gql.store,
            [line(firm, f"ECO-U{u}-{i}", madeOn="2025-02-01") for i in range(3)],
            "ECOENV",
        )
        for u in range(3)
    ]
    calls = [
        gql(RECORD, {"input": commitment_input(firm, madeOn="2025-02-01", content=f"接口{i}")}, ECO)
        for i in range(4)
    ]
    done = await asyncio.gather(*uploads, *calls)
    assert all(r.errors == [] for r in done[:3])
    assert all(r.errors is None for r in done[3:])
    data = await gql.ok(COMMITMENTS, {"uscc": firm}, ECO)
    codes = sorted(c["code"] for c in data["enterprise"]["commitments"])
    assert codes == [f"45103120250201{n:06d}" for n in range(1, 14)]


async def test_a_retried_request_id_returns_the_same_commitment(gql: GQL) -> None:
    firm = await a_firm(gql)
    first = await record(gql, firm, requestId="req-1")
    again = await record(gql, firm, requestId="req-1")
    assert again["code"] == first["code"]
    other = await gql(
        RECORD, {"input": commitment_input(firm, requestId="req-1", content="另")}, ECO
    )
    assert other.errors is not None and other.errors[0].extensions["code"] == "CONFLICT"
    assert (await record(gql, firm))["code"].endswith("000002")


async def test_disclosure_is_honoured_for_every_role(gql: GQL) -> None:
    firm = await a_firm(gql)
    codes = {}
    for level in ("PUBLIC", "GOVERNMENT", "NONE"):
        codes[level] = (await record(gql, firm, disclosure=level))["code"]
    await gql.ok(FULFIL, {"code": codes["PUBLIC"], "input": broken_on("2025-03-10")}, ECO)
    expected = {
        "PUBLIC": (PUBLIC, {"PUBLIC"}),
        "APPROVAL": (APPROVAL, {"PUBLIC", "GOVERNMENT"}),
        "other DEPARTMENT": (AMR, {"PUBLIC", "GOVERNMENT"}),
        "own DEPARTMENT": (ECO, {"PUBLIC", "GOVERNMENT", "NONE"}),
        "ADMIN": (TEST_ADMIN, {"PUBLIC", "GOVERNMENT", "NONE"}),
    }
    for who, (actor, levels) in expected.items():
        data = await gql.ok(COMMITMENTS, {"uscc": firm}, actor=actor)
        seen = {c["disclosure"] for c in data["enterprise"]["commitments"]}
        assert seen == levels, who
        for level, code in codes.items():
            one = (await gql.ok(ONE, {"code": code}, actor=actor))["commitment"]
            assert (one is not None) is (level in levels), (who, level)
    public = (await gql.ok(COMMITMENTS, {"uscc": firm}, actor=PUBLIC))["enterprise"]
    assert public["commitments"][0]["fulfilment"] == {"status": "BROKEN", "confirmedBy": None}
    keyed = (await gql.ok(COMMITMENTS, {"uscc": firm}, actor=AMR))["enterprise"]
    assert {"status": "BROKEN", "confirmedBy": "黄核查"} in [
        c["fulfilment"] for c in keyed["commitments"]
    ]


async def check(gql: GQL, firm: str, scenario: str, as_of: str, actor: Actor = APPROVAL) -> Any:
    data = await gql.ok(CHECK, {"uscc": firm, "scenario": scenario, "asOf": as_of}, actor=actor)
    return data["checkBeforeApproval"]


async def test_a_broken_commitment_cautions_exactly_its_scenario_for_exactly_a_year(
    gql: GQL,
) -> None:
    firm = await a_firm(gql)
    code = (await record(gql, firm))["code"]
    done = await gql.ok(FULFIL, {"code": code, "input": broken_on("2025-03-10")}, ECO)
    assert done["recordFulfilment"]["dishonest"] is True
    assert done["recordFulfilment"]["cautionEndsOn"] == "2026-03-10"
    licence = "ADMINISTRATIVE_LICENSE"
    assert (await check(gql, firm, licence, "2025-03-09"))["decision"] == "CLEAR"
    first = await check(gql, firm, licence, "2025-03-10")
    assert first["decision"] == "CAUTION"
    (hit,) = first["hits"]
    assert hit["reach"] == "COMMITMENT" and hit["measure"]["code"] == "COMMITMENT-BROKEN"
    assert code in hit["reason"] and code in hit["measure"]["legalBasis"]
    assert "逾期未补交的，自愿接受撤销许可" in hit["measure"]["legalBasis"]
    assert hit["commitment"] == {
        "code": code,
        "brokenOn": "2025-03-10",
        "endsOn": "2026-03-10",
        "scenario": licence,
        "caseNumber": "隆环审〔2025〕3号",
    }
    assert (await check(gql, firm, licence, "2026-03-09"))["decision"] == "CAUTION"  # day 364
    assert (await check(gql, firm, licence, "2026-03-10"))["decision"] == "CLEAR"  # day 365
    for scenario in ("PUBLIC_RESOURCE_TRADING", "FISCAL_FUNDS", "HONORS"):
        assert (await check(gql, firm, scenario, "2025-06-01"))["decision"] == "CLEAR"
    receipt = await gql.ok(
        "query ($id: String!) { receipt(id: $id) { hits } }", {"id": first["receiptId"]}
    )
    assert receipt["receipt"]["hits"] == [f"COMMITMENT-BROKEN|CAUTION|commitment:{code}|COMMITMENT"]


CHECK_WITH_GRADES = """
query ($uscc: String!, $scenario: Scenario!, $asOf: Date) {
  checkBeforeApproval(subject: {uscc: $uscc}, scenario: $scenario, asOf: $asOf) {
    decision
    hits { reach measure { code } commitment { code } evaluation { grade } }
    incentives { measure { code } evaluation { grade } }
  }
}
"""


def grade(firm: str, letter: str, on: str) -> dict[str, Any]:
    return {"kind": "evaluation", "subject": {"uscc": firm}, "grade": letter,
            "evaluatedOn": on, "source": "NDRC"}  # fmt: skip


async def test_a_firm_with_broken_commitments_and_grades_is_checked_on_both_at_once(
    gql: GQL,
) -> None:
    """The gather reads a subject's commitments and evaluations in one pass: each kind must
    keep its own rule (broken by asOf; the latest grade by asOf), neither mixed into the other."""
    firm = await a_firm(gql)
    await load(
        gql.store,
        [grade(firm, "D", "2024-06-01"), grade(firm, "A", "2025-01-01"),
         grade(firm, "D", "2025-06-01")],
        "NDRC",
    )  # fmt: skip
    early = (await record(gql, firm, scenario="FISCAL_FUNDS"))["code"]
    late = (await record(gql, firm, scenario="FISCAL_FUNDS", content="另一项承诺"))["code"]
    kept = (await record(gql, firm, scenario="FISCAL_FUNDS", content="已履行的承诺"))["code"]
    await gql.ok(FULFIL, {"code": early, "input": broken_on("2025-03-10")}, ECO)
    await gql.ok(FULFIL, {"code": late, "input": broken_on("2025-05-10")}, ECO)
    await gql.ok(
        FULFIL, {"code": kept, "input": {"status": "FULFILLED", "confirmedOn": "2025-02-01",
                                         "confirmedBy": "黄核查"}}, ECO,
    )  # fmt: skip

    async def asked(as_of: str) -> Any:
        variables = {"uscc": firm, "scenario": "FISCAL_FUNDS", "asOf": as_of}
        return (await gql.ok(CHECK_WITH_GRADES, variables, APPROVAL))["checkBeforeApproval"]

    def seen(answer: Any, part: str) -> set[tuple[str, str | None]]:
        return {
            (h["measure"]["code"], (h.get("commitment") or h.get("evaluation") or {}).get("code")
             or (h.get("evaluation") or {}).get("grade"))
            for h in answer[part]
        }  # fmt: skip

    before = await asked("2025-03-01")  # grade A, nothing broken yet
    assert before["decision"] == "CLEAR" and before["hits"] == []
    assert {i["evaluation"]["grade"] for i in before["incentives"] if i["evaluation"]} == {"A"}
    april = await asked("2025-04-01")  # one broken, the latest grade still A
    assert april["decision"] == "CAUTION"
    assert seen(april, "hits") == {("COMMITMENT-BROKEN", early)}
    assert {i["evaluation"]["grade"] for i in april["incentives"] if i["evaluation"]} == {"A"}
    july = await asked("2025-07-01")  # both broken, graded D since June
    assert {h["reach"] for h in july["hits"]} == {"COMMITMENT", "EVALUATION"}
    assert {h["commitment"]["code"] for h in july["hits"] if h["commitment"]} == {early, late}
    assert [h["evaluation"]["grade"] for h in july["hits"] if h["evaluation"]] == ["D"]
    assert not any(i["evaluation"] for i in july["incentives"])


async def test_across_29_february_the_caution_lasts_366_days(gql: GQL) -> None:
    firm = await a_firm(gql)
    code = (await record(gql, firm, madeOn="2023-05-01"))["code"]
    await gql.ok(FULFIL, {"code": code, "input": broken_on("2023-06-01")}, ECO)
    licence = "ADMINISTRATIVE_LICENSE"
    assert (await check(gql, firm, licence, "2024-05-31"))["decision"] == "CAUTION"  # day 365
    assert (await check(gql, firm, licence, "2024-06-01"))["decision"] == "CLEAR"  # day 366


async def test_a_check_reads_a_broken_commitment_at_the_askers_disclosure_level(
    gql: GQL,
) -> None:
    firm = await a_firm(gql)
    code = (await record(gql, firm, disclosure="NONE"))["code"]
    await gql.ok(FULFIL, {"code": code, "input": broken_on("2025-03-10")}, ECO)
    licence = "ADMINISTRATIVE_LICENSE"
    assert (await check(gql, firm, licence, "2025-04-01", APPROVAL))["decision"] == "CLEAR"
    assert (await check(gql, firm, licence, "2025-04-01", AMR))["decision"] == "CLEAR"
    assert (await check(gql, firm, licence, "2025-04-01", ECO))["decision"] == "CAUTION"


async def test_a_broken_commitment_of_a_person_is_in_the_personal_credit_record(
    gql: GQL,
) -> None:
    person = f.id_number("1975-02-03")
    await load(gql.store, [f.person(person, "韦承诺")])
    given = commitment_input("x", subject={"idNumber": person}, type="VOLUNTARY", scenario=None)
    code = (await gql.ok(RECORD, {"input": given}, ECO))["recordCommitment"]["code"]
    await gql.ok(FULFIL, {"code": code, "input": broken_on("2025-03-10")}, ECO)
    query = """query ($id: String!, $asOf: Date) { person(idNumber: $id) {
      creditRecord(asOf: $asOf) { brokenCommitments { code dishonest } } } }"""
    later = await gql.ok(query, {"id": person, "asOf": "2025-03-10"}, AMR)
    assert later["person"]["creditRecord"]["brokenCommitments"] == [
        {"code": code, "dishonest": True}
    ]
    before = await gql.ok(query, {"id": person, "asOf": "2025-03-09"}, AMR)
    assert before["person"]["creditRecord"]["brokenCommitments"] == []


async def test_illegal_fulfilments_are_refused_and_change_nothing(gql: GQL) -> None:
    firm = await a_firm(gql)
    code = (await record(gql, firm))["code"]
    early = await gql(FULFIL, {"code": code, "input": broken_on("2025-01-09")}, ECO)
    assert early.errors is not None
    assert early.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "before the commitment" in early.errors[0].message
    other = await gql(FULFIL, {"code": code, "input": broken_on("2025-03-10")}, AMR)
    assert other.errors is not None and other.errors[0].extensions["code"] == "FORBIDDEN"
    no_undone = {"status": "BROKEN", "confirmedOn": "2025-03-10", "confirmedBy": "黄核查"}
    missing = await gql(FULFIL, {"code": code, "input": no_undone}, ECO)
    assert missing.errors is not None
    assert missing.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert missing.errors[0].extensions["field"] == "undone"
    fulfilled = {"status": "FULFILLED", "confirmedOn": "2025-04-01", "confirmedBy": "黄核查"}
    await gql.ok(FULFIL, {"code": code, "input": fulfilled}, ECO)
    twice = await gql(FULFIL, {"code": code, "input": broken_on("2025-05-01")}, ECO)
    assert twice.errors is not None and twice.errors[0].extensions["code"] == "CONFLICT"
    data = await gql.ok(COMMITMENTS, {"uscc": firm}, ECO)
    assert data["enterprise"]["commitments"][0]["fulfilment"]["status"] == "FULFILLED"
    unknown = await gql(FULFIL, {"code": "45103120250110000099", "input": fulfilled}, ECO)
    assert unknown.errors is not None and unknown.errors[0].extensions["code"] == "NOT_FOUND"


def line(firm: str, ident: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "commitment",
        "id": ident,
        "subject": {"uscc": firm},
        "department": "ECOENV",
        "type": "DEFICIENCY_TOLERANT",
        "content": "三个月内补交环评批复",
        "liability": "自愿接受撤销许可",
        "scenario": "ADMINISTRATIVE_LICENSE",
        "madeOn": "2025-01-10",
        **extra,
    }


async def test_exchange_format_lines_are_validated_with_line_field_and_reason(gql: GQL) -> None:
    firm = await a_firm(gql)
    report = await load(
        gql.store,
        [
            line(firm, "ECO-C-1"),
            line(firm, "ECO-C-2", type="PROMISE"),
            {k: v for k, v in line(firm, "ECO-C-3").items() if k != "liability"},
            line(firm, "ECO-C-4", scenario=None),
            line(firm, "ECO-C-5", disclosure="SECRET"),
            line(firm, "ECO-C-6", madeOn="2099-01-01"),
            line(firm, "ECO-C-7", subject={"uscc": f.uscc()}),
        ],
        department="ECOENV",
    )
    errors = {(e.line, e.field): e.reason for e in report.errors}
    assert report.accepted == 1
    assert "Input should be" in errors[(2, "type")]
    assert errors[(3, "liability")] == "required field is missing"
    assert "scenario (the approval it accompanies) is required" in errors[(4, "scenario")]
    assert "Input should be" in errors[(5, "disclosure")]
    assert "after today" in errors[(6, "madeOn")]
    assert (7, "subject.uscc") in errors
    code = (await gql.ok(COMMITMENTS, {"uscc": firm}, ECO))["enterprise"]["commitments"][0]["code"]
    assert code == "45103120250110000001"

    again = await load(gql.store, [line(firm, "ECO-C-1")], department="ECOENV")
    assert again.accepted == 1 and again.unchanged == 1 and again.errors == []
    hidden = await load(gql.store, [line(firm, "ECO-C-1", disclosure="NONE")], "ECOENV")
    assert hidden.updated == 1
    assert (await gql.ok(ONE, {"code": code}, AMR))["commitment"] is None
    assert (await gql.ok(ONE, {"code": code}, ECO))["commitment"] == {
        "code": code,  # the same code: an update never draws a new one
        "disclosure": "NONE",
    }
    async with gql.store.driver.session(database=gql.store.database) as session:
        kept = await session.run(
            "MATCH (:Commitment {id: 'ECO-C-1'})-[:HAS_REVISION]->(r:Revision) "
            "RETURN r.disclosure AS d"
        )
        assert [r["d"] async for r in kept] == ["PUBLIC"]
    await load(gql.store, [line(firm, "ECO-C-1")], department="ECOENV")
    moved = await load(gql.store, [line(firm, "ECO-C-1", madeOn="2025-01-11")], "ECOENV")
    assert moved.errors[0].field == "madeOn" and "cannot change" in moved.errors[0].reason
    taken = await load(gql.store, [line(firm, "ECO-C-1", department="AMR")], "AMR")
    assert taken.errors[0].field == "id" and "already exists from ECOENV" in taken.errors[0].reason

    fulfil = {
        "kind": "commitmentFulfilment",
        "commitmentId": "ECO-C-1",
        "status": "BROKEN",
        "undone": "未补交",
        "confirmedBy": "黄核查",
        "confirmedOn": "2025-03-10",
    }
    bad = await load(
        gql.store,
        [
            {**fulfil, "code": code},
            {**fulfil, "undone": None},
            {**fulfil, "confirmedOn": "2025-01-01"},
            {**fulfil, "commitmentId": "ECO-C-404"},
            {**fulfil, "commitmentId": None, "code": "45103120251399000001"},
        ],
        department="ECOENV",
    )
    errors = {(e.line, e.field): e.reason for e in bad.errors}
    assert bad.accepted == 0
    assert "exactly one of code or commitmentId" in errors[(1, "commitmentId")]
    assert "undone (what was left undone) is required" in errors[(2, "undone")]
    assert "before the commitment's date" in errors[(3, "confirmedOn")]
    assert "does not exist" in errors[(4, "commitmentId")]
    assert "no real date" in errors[(5, "code")]
    other = await load(gql.store, [fulfil], department="AMR")
    assert other.errors[0].field == "department"
    secret = await load(gql.store, [line(firm, "ECO-C-9", disclosure="NONE")], "ECOENV")
    assert secret.created == 1
    unseen = await load(gql.store, [{**fulfil, "commitmentId": "ECO-C-9"}], department="AMR")
    assert unseen.errors[0].field == "commitmentId" and "does not exist" in unseen.errors[0].reason
    done = await load(gql.store, [fulfil], department="ECOENV")
    assert done.accepted == 1 and done.created == 1, done.errors
    repeat = await load(gql.store, [fulfil], department="ECOENV")
    assert repeat.accepted == 1 and repeat.unchanged == 1
    changed = await load(gql.store, [{**fulfil, "status": "PARTLY"}], department="ECOENV")
    assert changed.errors[0].field == "status" and "already has its fulfilment" in (
        changed.errors[0].reason
    )
    licence = "ADMINISTRATIVE_LICENSE"
    assert (await check(gql, firm, licence, "2025-03-10"))["decision"] == "CAUTION"


REGISTER = """
mutation ($input: VoluntaryInformationInput!) {
  registerVoluntaryInformation(input: $input) { id status category categoryName }
}
"""
VERIFY = """
mutation ($id: String!, $accepted: Boolean!) {
  verifyVoluntaryInformation(id: $id, accepted: $accepted, reason: "核对原件") {
    id status verifiedOn verificationReason
  }
}
"""
VOLUNTARY = """
query ($uscc: String!) { enterprise(uscc: $uscc) { voluntaryInformation { id status content } } }
"""


async def test_voluntary_information_is_public_only_once_verified(gql: GQL) -> None:
    firm = await a_firm(gql)

    async def register(content: str) -> str:
        given = {
            "subject": {"uscc": firm},
            "category": "PUBLIC_WELFARE",
            "content": content,
            "truthfulnessCommitment": "本单位承诺所填报信息真实、准确、完整",
            "registeredOn": "2025-05-01",
        }
        data = await gql.ok(REGISTER, {"input": given}, ECO)
        assert data["registerVoluntaryInformation"]["status"] == "PENDING"
        return str(data["registerVoluntaryInformation"]["id"])

    accepted, rejected = await register("2024年捐建村道"), await register("获评省级诚信单位")

    async def seen(actor: Actor) -> dict[str, str]:
        data = await gql.ok(VOLUNTARY, {"uscc": firm}, actor)
        return {v["id"]: v["status"] for v in data["enterprise"]["voluntaryInformation"]}

    assert await seen(PUBLIC) == {}
    assert await seen(APPROVAL) == {accepted: "PENDING", rejected: "PENDING"}
    other = await gql(VERIFY, {"id": accepted, "accepted": True}, AMR)
    assert other.errors is not None and other.errors[0].extensions["code"] == "FORBIDDEN"
    await gql.ok(VERIFY, {"id": accepted, "accepted": True}, ECO)
    await gql.ok(VERIFY, {"id": rejected, "accepted": False}, ECO)
    twice = await gql(VERIFY, {"id": accepted, "accepted": False}, ECO)
    assert twice.errors is not None and twice.errors[0].extensions["code"] == "CONFLICT"
    assert await seen(PUBLIC) == {accepted: "ACCEPTED"}
    assert await seen(AMR) == {accepted: "ACCEPTED", rejected: "REJECTED"}


async def test_admin_records_a_partly_kept_commitment_of_any_department(gql: GQL) -> None:
    person = f.id_number("1982-07-08")
    await load(gql.store, [f.person(person, "黄部分")])
    given = commitment_input("x", subject={"idNumber": person}, department="AMR")
    data = await gql.ok(RECORD, {"input": given}, TEST_ADMIN)
    code, department = data["recordCommitment"]["code"], data["recordCommitment"]["department"]
    assert department == "AMR"
    partly = {"status": "PARTLY", "confirmedOn": "2025-02-01", "confirmedBy": "李复核",
              "undone": "尚欠检测报告一份"}  # fmt: skip
    done = await gql.ok(FULFIL, {"code": code, "input": partly}, TEST_ADMIN)
    assert done["recordFulfilment"]["dishonest"] is False
    assert done["recordFulfilment"]["cautionEndsOn"] is None
    assert done["recordFulfilment"]["fulfilment"]["statusName"] == "部分履行"
    query = """query ($id: String!) { person(idNumber: $id) {
      commitments { code fulfilment { status undone } }
      creditRecord { brokenCommitments { code } } } }"""
    seen = await gql.ok(query, {"id": person}, ECO)
    assert seen["person"]["commitments"] == [
        {"code": code, "fulfilment": {"status": "PARTLY", "undone": "尚欠检测报告一份"}}
    ]
    assert seen["person"]["creditRecord"]["brokenCommitments"] == []
    check_person = """query ($id: String!) { checkBeforeApproval(subject: {idNumber: $id},
      scenario: ADMINISTRATIVE_LICENSE, asOf: "2025-03-01") { decision } }"""
    assert (await gql.ok(check_person, {"id": person}, APPROVAL))["checkBeforeApproval"] == {
        "decision": "CLEAR"
    }


async def test_a_retried_fulfilment_or_verification_answers_as_the_first_time(gql: GQL) -> None:
    """A caller retrying after a lost answer (same key, same requestId, same input) gets the
    first answer and nothing is written again; the same id with other input is CONFLICT; no
    requestId keeps the rule that a commitment is fulfilled once."""
    firm = await a_firm(gql)
    code = (await record(gql, firm))["code"]
    retry = """mutation ($code: String!, $input: FulfilmentInput!, $r: String) {
      recordFulfilment(code: $code, input: $input, requestId: $r) {
        code fulfilment { status confirmedOn } } }"""
    given = {"code": code, "input": broken_on("2025-03-10"), "r": "fulfil-1"}
    first = await gql.ok(retry, given, ECO)
    again = await gql.ok(retry, given, ECO)
    assert again == first and first["recordFulfilment"]["fulfilment"]["status"] == "BROKEN"
    other = await gql(retry, {**given, "input": broken_on("2025-03-11")}, ECO)
    assert other.errors is not None and other.errors[0].extensions["code"] == "CONFLICT"
    plain = await gql(retry, {**given, "r": None}, ECO)
    assert plain.errors is not None and plain.errors[0].extensions["code"] == "CONFLICT"
    registered = await gql.ok(
        REGISTER,
        {
            "input": {
                "subject": {"uscc": firm},
                "category": "PUBLIC_WELFARE",
                "content": "2024年捐建村道",
                "truthfulnessCommitment": "本单位承诺所填报信息真实、准确、完整",
                "registeredOn": "2025-05-01",
            }
        },
        ECO,
    )
    info = registered["registerVoluntaryInformation"]["id"]
    verify = """mutation ($id: String!, $r: String) {
      verifyVoluntaryInformation(id: $id, accepted: true, reason: "核对原件", requestId: $r) {
        id status verifiedOn } }"""
    once = await gql.ok(verify, {"id": info, "r": "verify-1"}, ECO)
    assert await gql.ok(verify, {"id": info, "r": "verify-1"}, ECO) == once
    assert once["verifyVoluntaryInformation"]["status"] == "ACCEPTED"
    twice = await gql(verify, {"id": info, "r": None}, ECO)
    assert twice.errors is not None and twice.errors[0].extensions["code"] == "CONFLICT"
