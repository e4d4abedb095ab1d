"""The vocabulary of the measure catalogue (措施清单), as pure rules.

The catalogue itself is data: graph_seed/measures.toml, loaded by ``credit-hub migrate``
(hub/measure_loader.py) through the importer kind ``measure``. This module fixes the words an entry
may use; an entry using any other word is rejected with the field and the known words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hub.identifiers import SubjectKind

ALL_SCENARIOS = "*"


class Scenario(StrEnum):
    """Approval scenarios a check-before-approval names (fixed: approval systems use them)."""

    ADMINISTRATIVE_LICENSE = "ADMINISTRATIVE_LICENSE"
    PROJECT_APPROVAL = "PROJECT_APPROVAL"
    FINANCIAL_INSTITUTION_SETUP = "FINANCIAL_INSTITUTION_SETUP"
    INTERNET_INFORMATION_SERVICE = "INTERNET_INFORMATION_SERVICE"
    FISCAL_FUNDS = "FISCAL_FUNDS"
    PUBLIC_RESOURCE_TRADING = "PUBLIC_RESOURCE_TRADING"
    CONCESSION = "CONCESSION"
    MARKET_ENTRY = "MARKET_ENTRY"
    HONORS = "HONORS"
    GOVERNMENT_FINANCING_GUARANTEE = "GOVERNMENT_FINANCING_GUARANTEE"
    POLICY_SUBSIDY = "POLICY_SUBSIDY"
    PREFERENTIAL_LOAN = "PREFERENTIAL_LOAN"
    PROMOTION = "PROMOTION"
    HIGH_CONSUMPTION = "HIGH_CONSUMPTION"
    FINANCIAL_SERVICES = "FINANCIAL_SERVICES"


class PartyToken(StrEnum):
    """Whom a measure reaches: the listed subject itself, or a person behind it."""

    SUBJECT = "SUBJECT"  # the listed subject (enterprise or person)
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"  # 法定代表人 on effectiveFrom
    PRINCIPAL = "PRINCIPAL"  # 主要负责人 on effectiveFrom
    ACTUAL_CONTROLLER = "ACTUAL_CONTROLLER"  # declared 实际控制人 on effectiveFrom
    SENIOR_MANAGER = "SENIOR_MANAGER"  # 高级管理人员 on effectiveFrom
    LIABLE_DIRECTOR = "LIABLE_DIRECTOR"  # named liable person who was a director
    LIABLE_SHAREHOLDER = "LIABLE_SHAREHOLDER"  # named liable person who held shares
    LIABLE_PRACTITIONER = "LIABLE_PRACTITIONER"  # named liable person, registered practitioner
    LIABLE_PERSON = "LIABLE_PERSON"  # any named liable person (负有直接责任的人员)
    # Check-time reaches (hub/rules/decision.py), never written by propagation:
    RELATED_COURT_LISTED = "RELATED_COURT_LISTED"  # an officer of the checked unit is court-listed
    SUSPECTED_CONTROLLER = (
        "SUSPECTED_CONTROLLER"  # the checked subject holds > 50 % of a listed one
    )


class MeasureCategory(StrEnum):
    ADMINISTRATIVE = "ADMINISTRATIVE"  # 行政性
    MARKET = "MARKET"  # 市场性
    INDUSTRY = "INDUSTRY"  # 行业性
    SOCIAL = "SOCIAL"  # 社会性


class MeasureEffect(StrEnum):
    RESTRICT = "RESTRICT"
    CAUTION = "CAUTION"
    INCENTIVE = "INCENTIVE"


class Grade(StrEnum):
    A = "A"  # 优
    B = "B"  # 良
    C = "C"  # 中
    D = "D"  # 差


MEASURE_SUBJECT_KINDS = (*(k.value for k in SubjectKind), "PERSON")


def governs(scenarios: Iterable[str], scenario: Scenario) -> bool:
    """True when a measure's ``scenarios`` (values, or "*") include ``scenario``."""
    values = set(scenarios)
    return ALL_SCENARIOS in values or scenario.value in values


def governing(measures: Iterable[Mapping[str, Any]], scenario: Scenario) -> list[Mapping[str, Any]]:
    """The ``measures`` that govern ``scenario`` (``governs``), in their order: all that
    ``applies`` or a grade can find for a check of that scenario."""
    return [m for m in measures if governs(m.get("scenarios") or [], scenario)]


@dataclass(frozen=True, slots=True)
class Reach:
    """What a measure needs to know about one credit-record entry to decide if it applies.

    For an own listing ``parties`` is ``(SUBJECT,)`` and ``subject_kind`` the listed subject's
    kind; for a derived entry ``parties`` are its tokens and ``subject_kind`` the listed
    enterprise's kind (the measure's subjectKinds name kinds of *listed* subjects).
    """

    list: str
    source: str
    parties: tuple[str, ...]
    subject_kind: str
    public_servant: bool = False


def applies(measure: Mapping[str, Any], scenario: Scenario, reach: Reach) -> bool:
    """True when ``measure`` (Measure node properties) reaches this entry in ``scenario``.

    Whether the listing is in force on the date is a separate question (listing_state).
    """
    if not governs(measure.get("scenarios") or [], scenario):
        return False
    if reach.list not in (measure.get("lists") or []):
        return False
    sources = measure.get("sources") or []
    if sources and reach.source not in sources:
        return False
    kinds = measure.get("subjectKinds") or []
    if kinds and reach.subject_kind not in kinds:
        return False
    if measure.get("requiresPublicServant") and not (
        reach.public_servant and PartyToken.SUBJECT.value in reach.parties
    ):
        return False
    return bool(reaching(measure, reach.parties))


def reaching(measure: Mapping[str, Any], parties: Iterable[str]) -> tuple[str, ...]:
    """The entry's party tokens through which ``measure`` reaches (what its reason names)."""
    reaches = set(measure.get("reaches") or ())
    return tuple(p for p in parties if p in reaches)
