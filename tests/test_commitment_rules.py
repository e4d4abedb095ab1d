"""Commitments and voluntary registration as pure rules (hub/rules/commitments.py), without
Neo4j: the code, who reads what, the fulfilment's transitions, the one-year caution."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.rules.commitments import (
    BROKEN_MEASURE_CODE,
    CommitmentType,
    CommitmentView,
    Fulfilment,
    Reader,
    caution_ends,
    cautions,
    commitment_code,
    fulfilment_refusal,
    may_read,
    may_read_voluntary,
    parse_commitment_code,
    scenario_refusal,
    undone_refusal,
    verification_refusal,
)
from hub.rules.decision import Decision, ReachKind, Subject, decide
from hub.rules.explain import reason
from hub.rules.listings import Decider, RefusalKind
from hub.rules.measures import Scenario

D = dt.date
PUBLIC = Reader(keyed=False)
APPROVAL = Reader(keyed=True)
OTHER_DEPARTMENT = Reader(keyed=True, department="AMR")
OWN_DEPARTMENT = Reader(keyed=True, department="ECOENV")
ADMIN = Reader(keyed=True, admin=True)


def test_the_code_is_division_date_and_a_six_digit_sequence() -> None:
    code = commitment_code("451031", D(2026, 3, 10), 7)
    assert code == "45103120260310000007"
    assert len(code) == 20
    assert parse_commitment_code(code) == ("451031", D(2026, 3, 10), 7)
    assert parse_commitment_code("45103120260230000001") is None  # 30 February
    assert parse_commitment_code("45103120260310000000") is None  # sequences start at 1
    assert parse_commitment_code("4510312026031000001") is None  # 19 characters
    with pytest.raises(ValueError, match="sequence"):
        commitment_code("451031", D(2026, 3, 10), 1_000_000)


@pytest.mark.parametrize(
    ("disclosure", "readers"),
    [
        ("PUBLIC", {"public", "approval", "other", "own", "admin"}),
        ("GOVERNMENT", {"approval", "other", "own", "admin"}),
        ("NONE", {"own", "admin"}),
    ],
)
def test_disclosure_decides_who_reads_a_commitment(disclosure: str, readers: set[str]) -> None:
    every = {
        "public": PUBLIC,
        "approval": APPROVAL,
        "other": OTHER_DEPARTMENT,
        "own": OWN_DEPARTMENT,
        "admin": ADMIN,
    }
    assert {name for name, r in every.items() if may_read(disclosure, "ECOENV", r)} == readers


def test_only_verified_voluntary_information_is_public() -> None:
    assert may_read_voluntary("ACCEPTED", PUBLIC)
    assert not may_read_voluntary("PENDING", PUBLIC)
    assert not may_read_voluntary("REJECTED", PUBLIC)
    assert may_read_voluntary("PENDING", APPROVAL) and may_read_voluntary("REJECTED", APPROVAL)


COMMITMENT = {"code": "45103120250110000001", "department": "ECOENV", "madeOn": D(2025, 1, 10)}
ECO = Decider("ECOENV")
TODAY = D(2026, 6, 1)


def test_a_fulfilment_is_recorded_once_on_or_after_the_commitment_by_its_department() -> None:
    assert fulfilment_refusal(COMMITMENT, D(2025, 1, 10), ECO, TODAY) is None
    assert fulfilment_refusal(COMMITMENT, D(2025, 3, 1), Decider(None, admin=True), TODAY) is None
    twice = fulfilment_refusal({**COMMITMENT, "fulfilment": "BROKEN"}, D(2025, 3, 1), ECO, TODAY)
    assert twice is not None and twice.kind == RefusalKind.CONFLICT
    early = fulfilment_refusal(COMMITMENT, D(2025, 1, 9), ECO, TODAY)
    assert early is not None and early.kind == RefusalKind.INVALID
    assert "before the commitment" in early.message
    future = fulfilment_refusal(COMMITMENT, D(2026, 6, 2), ECO, TODAY)
    assert future is not None and future.kind == RefusalKind.INVALID
    other = fulfilment_refusal(COMMITMENT, D(2025, 3, 1), Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED


def test_what_was_left_undone_is_said_for_partly_and_broken_only() -> None:
    assert undone_refusal(Fulfilment.FULFILLED, None) is None
    assert undone_refusal(Fulfilment.FULFILLED, "x") is not None
    assert undone_refusal(Fulfilment.BROKEN, None) is not None
    assert undone_refusal(Fulfilment.PARTLY, "未按期提交检测报告") is None


def test_an_approval_commitment_names_its_scenario() -> None:
    assert scenario_refusal(CommitmentType.APPROVAL_REPLACING, None) is not None
    assert scenario_refusal(CommitmentType.DEFICIENCY_TOLERANT, None) is not None
    assert scenario_refusal(CommitmentType.VOLUNTARY, None) is None


def test_voluntary_information_is_verified_once_by_its_department() -> None:
    pending = {"id": "vol-1", "department": "ECOENV", "status": "PENDING"}
    assert verification_refusal(pending, ECO) is None
    other = verification_refusal(pending, Decider("AMR"))
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED
    done = verification_refusal({**pending, "status": "ACCEPTED"}, ECO)
    assert done is not None and done.kind == RefusalKind.CONFLICT


def broken(on: D, scenario: str = "ADMINISTRATIVE_LICENSE") -> CommitmentView:
    return CommitmentView(
        code="45103120250110000001",
        type="DEFICIENCY_TOLERANT",
        content="三个月内补交环评批复",
        liability="自愿接受撤销许可",
        made_on=D(2025, 1, 10),
        broken_on=on,
        department="ECOENV",
        department_name="百色市隆林生态环境局",
        scenario=scenario,
        case_number="隆环审〔2025〕3号",
        undone="未补交环评批复",
    )


def test_a_breach_cautions_from_its_day_to_the_day_before_its_anniversary() -> None:
    # A common year: day 364 cautions, day 365 (the anniversary) does not.
    c = broken(D(2025, 3, 10))
    licence = "ADMINISTRATIVE_LICENSE"
    assert not cautions(c, licence, D(2025, 3, 9))
    assert cautions(c, licence, D(2025, 3, 10))  # day 0
    assert cautions(c, licence, D(2026, 3, 9))  # day 364
    assert (D(2026, 3, 10) - D(2025, 3, 10)).days == 365
    assert not cautions(c, licence, D(2026, 3, 10))  # day 365: the anniversary


def test_a_year_holding_29_february_cautions_366_days() -> None:
    c = broken(D(2023, 6, 1))
    licence = "ADMINISTRATIVE_LICENSE"
    assert cautions(c, licence, D(2024, 5, 31))  # day 365
    assert (D(2024, 6, 1) - D(2023, 6, 1)).days == 366
    assert not cautions(c, licence, D(2024, 6, 1))  # day 366: the anniversary
    assert caution_ends(D(2028, 2, 29)) == D(2029, 3, 1)


def test_a_breach_cautions_its_own_scenario_only() -> None:
    c = broken(D(2025, 3, 10))
    for scenario in Scenario:
        expected = scenario == Scenario.ADMINISTRATIVE_LICENSE
        assert cautions(c, scenario.value, D(2025, 6, 1)) is expected


FIRM = Subject("Enterprise", "91451031MA5L000000", "隆林某公司", "ENTERPRISE")


def test_a_broken_commitment_is_a_caution_hit_with_the_commitment_as_reason_and_basis() -> None:
    c = broken(D(2025, 3, 10))
    on = D(2025, 6, 1)
    outcome = decide(FIRM, Scenario.ADMINISTRATIVE_LICENSE, [], None, [], [c], on)
    assert outcome.decision == Decision.CAUTION
    (hit,) = outcome.hits
    assert hit.commitment == c and hit.measure["code"] == BROKEN_MEASURE_CODE
    assert c.code in hit.measure["legalBasis"] and c.liability in hit.measure["legalBasis"]
    text = reason(hit)
    assert c.code in text and "2025-03-10" in text and "2026-03-09" in text
    assert "容缺受理型" in text
    elsewhere = decide(FIRM, Scenario.PUBLIC_RESOURCE_TRADING, [], None, [], [c], on)
    assert elsewhere.decision == Decision.CLEAR and elsewhere.hits == []
    assert ReachKind.COMMITMENT.value == "COMMITMENT"
