"""Credit commitments (信用承诺) and voluntary registration (自愿注册) as pure rules.

Nothing here does I/O. The rules: the commitment code, who may record a fulfilment and when,
who may read a commitment (its disclosure), how long a broken commitment cautions the checks of
its scenario, and who may verify voluntary information and who may read it
(docs/lifecycle.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hub.rules.listings import Decider, Refusal, RefusalKind

# The division of the county the hub serves (隆林各族自治县): the first six characters of every
# commitment code it issues. Division and day (the commitment's date) key the sequence.
COUNTY_DIVISION = "451031"
MAX_SEQUENCE = 999_999
CODE_PATTERN = re.compile(r"^(\d{6})(\d{8})(\d{6})$")

# The CAUTION of a broken commitment, as the measure of its check hit: the commitment itself is
# the legal basis (its code, content and the liability the subject accepted).
BROKEN_MEASURE_CODE = "COMMITMENT-BROKEN"
BROKEN_MEASURE_NAME = "违背信用承诺，审批时审慎核查"


class CommitmentType(StrEnum):
    APPROVAL_REPLACING = "APPROVAL_REPLACING"  # 审批替代型
    DEFICIENCY_TOLERANT = "DEFICIENCY_TOLERANT"  # 容缺受理型
    CERTIFICATION = "CERTIFICATION"  # 证明事项型
    CREDIT_REPAIR = "CREDIT_REPAIR"  # 信用修复型
    INDUSTRY_SELF_DISCIPLINE = "INDUSTRY_SELF_DISCIPLINE"  # 行业自律型
    VOLUNTARY = "VOLUNTARY"  # 主动型
    OTHER = "OTHER"  # 其他


TYPE_NAMES = {
    CommitmentType.APPROVAL_REPLACING: "审批替代型",
    CommitmentType.DEFICIENCY_TOLERANT: "容缺受理型",
    CommitmentType.CERTIFICATION: "证明事项型",
    CommitmentType.CREDIT_REPAIR: "信用修复型",
    CommitmentType.INDUSTRY_SELF_DISCIPLINE: "行业自律型",
    CommitmentType.VOLUNTARY: "主动型",
    CommitmentType.OTHER: "其他",
}


class CommitmentDisclosure(StrEnum):
    PUBLIC = "PUBLIC"  # 公开: everyone, the public site and reports included
    GOVERNMENT = "GOVERNMENT"  # 政务共享: every keyed caller
    NONE = "NONE"  # 不公开: the recording department and ADMIN only


class Fulfilment(StrEnum):
    FULFILLED = "FULFILLED"  # 已履行
    PARTLY = "PARTLY"  # 部分履行
    BROKEN = "BROKEN"  # 未履行（违诺）: a dishonesty record, CAUTION in its scenario for a year


FULFILMENT_NAMES = {
    Fulfilment.FULFILLED: "已履行",
    Fulfilment.PARTLY: "部分履行",
    Fulfilment.BROKEN: "未履行（违诺）",
}


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads: keyed (any API key) or PUBLIC, its department, and whether it is ADMIN."""

    keyed: bool
    department: str | None = None
    admin: bool = False


def commitment_code(division: str, day: dt.date, sequence: int) -> str:
    """The 20-character code: 6-digit division + yyyyMMdd + 6-digit sequence (from 1)."""
    if not re.fullmatch(r"\d{6}", division):
        raise ValueError(f"division {division!r} is not six digits")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence {sequence} is outside 1..{MAX_SEQUENCE}")
    return f"{division}{day:%Y%m%d}{sequence:06d}"


def parse_commitment_code(code: str) -> tuple[str, dt.date, int] | None:
    """(division, day, sequence) of a well-formed code, else None."""
    found = CODE_PATTERN.fullmatch(code)
    if found is None:
        return None
    try:
        day = dt.datetime.strptime(found.group(2), "%Y%m%d").date()
    except ValueError:
        return None
    sequence = int(found.group(3))
    return (found.group(1), day, sequence) if sequence >= 1 else None


def sequence_key(division: str, day: dt.date) -> str:
    """The key of the counter a code's sequence is drawn from (one per division and day)."""
    return f"{division}{day:%Y%m%d}"


def may_read(disclosure: str, department: str | None, reader: Reader) -> bool:
    """PUBLIC: everyone; GOVERNMENT: every keyed caller; NONE: its department and ADMIN."""
    if disclosure == CommitmentDisclosure.PUBLIC:
        return True
    if disclosure == CommitmentDisclosure.GOVERNMENT:
        return reader.keyed
    return reader.admin or (reader.department is not None and reader.department == department)


def undone_refusal(status: Fulfilment, undone: str | None) -> str | None:
    """What was left undone: required for PARTLY and BROKEN, absent for FULFILLED."""
    if status == Fulfilment.FULFILLED and undone:
        return "undone must be empty when the commitment was FULFILLED"
    if status != Fulfilment.FULFILLED and not undone:
        return f"undone (what was left undone) is required when it is {status.value}"
    return None


def fulfilment_refusal(
    commitment: Mapping[str, Any], confirmed_on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why a fulfilment confirmed on ``confirmed_on`` cannot be recorded, or None.

    One fulfilment per commitment (a second is a CONFLICT, whatever its content); the date lies
    between the commitment's date and today; the commitment's department (or ADMIN) records it.
    """
    code = commitment.get("code")
    if not who.admin and commitment.get("department") != who.department:
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"commitment {code} was recorded by {commitment.get('department')}; only that "
            "department or ADMIN records its fulfilment",
        )
    if commitment.get("fulfilment"):
        return Refusal(
            RefusalKind.CONFLICT,
            f"commitment {code} already has its fulfilment ({commitment['fulfilment']} "
            f"confirmed on {commitment.get('confirmedOn')}); a fulfilment is recorded once",
        )
    made_on = commitment["madeOn"]
    if confirmed_on < made_on:
        return Refusal(
            RefusalKind.INVALID,
            f"confirmedOn {confirmed_on.isoformat()} is before the commitment's date "
            f"{made_on.isoformat()}",
        )
    if confirmed_on > today:
        return Refusal(
            RefusalKind.INVALID, f"confirmedOn {confirmed_on.isoformat()} is after today"
        )
    return None


def add_year(day: dt.date) -> dt.date:
    """The same date a year later (29 February: 1 March, the day after 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 3, 1)


def caution_ends(broken_on: dt.date) -> dt.date:
    """The first day a broken commitment no longer cautions: the breach's anniversary.

    The caution runs from the day the breach was confirmed (day 0) to the day before its
    anniversary: 365 days, or 366 when the year holds a 29 February. Day 365 of a common year
    is the anniversary and is CLEAR; in a span holding 29 February day 365 still cautions and
    day 366 (the anniversary) is CLEAR.
    """
    return add_year(broken_on)


@dataclass(frozen=True, slots=True)
class CommitmentView:
    """A broken commitment as a check sees it."""

    code: str
    type: str
    content: str
    liability: str
    made_on: dt.date
    broken_on: dt.date
    department: str | None
    department_name: str | None
    scenario: str | None
    case_number: str | None
    undone: str | None

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> CommitmentView:
        return cls(
            code=str(raw["code"]),
            type=str(raw["type"]),
            content=str(raw.get("content") or ""),
            liability=str(raw.get("liability") or ""),
            made_on=raw["madeOn"],
            broken_on=raw["confirmedOn"],
            department=raw.get("department"),
            department_name=raw.get("departmentName"),
            scenario=raw.get("scenario"),
            case_number=raw.get("caseNumber"),
            undone=raw.get("undone"),
        )

    @property
    def ends_on(self) -> dt.date:
        return caution_ends(self.broken_on)


def cautions(commitment: CommitmentView, scenario: str, as_of: dt.date) -> bool:
    """A broken commitment cautions checks of its own scenario from the day the breach was
    confirmed to the day before its anniversary (``caution_ends``), and no other scenario."""
    return commitment.scenario == scenario and commitment.broken_on <= as_of < commitment.ends_on


def broken_measure(commitment: CommitmentView) -> dict[str, Any]:
    """The measure of a broken commitment's hit: its legal basis is the commitment."""
    liability = f"；违诺责任：{commitment.liability}" if commitment.liability else ""
    return {
        "code": BROKEN_MEASURE_CODE,
        "name": BROKEN_MEASURE_NAME,
        "effect": "CAUTION",
        "category": "ADMINISTRATIVE",
        "legalBasis": f"信用承诺（编号{commitment.code}）：{commitment.content}{liability}",
        "edition": None,
    }


# --- voluntary registration ------------------------------------------------------------------


class VoluntaryCategory(StrEnum):
    QUALIFICATION = "QUALIFICATION"  # 资质资格
    CONTRACT_PERFORMANCE = "CONTRACT_PERFORMANCE"  # 合同履约
    PUBLIC_WELFARE = "PUBLIC_WELFARE"  # 公益慈善
    OTHER = "OTHER"  # 其他


CATEGORY_NAMES = {
    VoluntaryCategory.QUALIFICATION: "资质资格",
    VoluntaryCategory.CONTRACT_PERFORMANCE: "合同履约",
    VoluntaryCategory.PUBLIC_WELFARE: "公益慈善",
    VoluntaryCategory.OTHER: "其他",
}


class VerificationStatus(StrEnum):
    PENDING = "PENDING"  # 待核实: keyed callers only
    ACCEPTED = "ACCEPTED"  # 核实通过: public, and in reports
    REJECTED = "REJECTED"  # 核实未通过: keyed callers only


def may_read_voluntary(status: str, reader: Reader) -> bool:
    """Only verified (ACCEPTED) information is public; pending and rejected: keyed callers."""
    return status == VerificationStatus.ACCEPTED or reader.keyed


def verification_refusal(info: Mapping[str, Any], who: Decider) -> Refusal | None:
    """A PENDING registration is verified once, by its department or ADMIN."""
    if not who.admin and info.get("department") != who.department:
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"voluntary information {info.get('id')} was registered by "
            f"{info.get('department')}; only that department or ADMIN verifies it",
        )
    if info.get("status") != VerificationStatus.PENDING:
        return Refusal(
            RefusalKind.CONFLICT,
            f"voluntary information {info.get('id')} is already {info.get('status')} "
            f"(verified on {info.get('verifiedOn')}); it is verified once",
        )
    return None


# The types that accompany an approval by definition: their scenario is required.
APPROVAL_TYPES = frozenset(
    {
        CommitmentType.APPROVAL_REPLACING,
        CommitmentType.DEFICIENCY_TOLERANT,
        CommitmentType.CERTIFICATION,
    }
)


def scenario_refusal(kind: CommitmentType, scenario: str | None) -> str | None:
    """审批替代型, 容缺受理型 and 证明事项型 commitments name the approval they accompany."""
    if kind in APPROVAL_TYPES and scenario is None:
        return f"scenario (the approval it accompanies) is required for a {kind.value} commitment"
    return None


def made_on_refusal(made_on: dt.date, today: dt.date) -> str | None:
    if made_on > today:
        return f"madeOn {made_on.isoformat()} is after today"
    return None
