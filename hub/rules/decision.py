"""Check before approval (应查必查) as a pure rule: every reach, every measure, one decision.

Input: what the graph says about a subject on ``as_of`` (its own listings, the derived entries
of its credit record, the court listings of the people who hold a role at it, the listed
enterprises it controls through shareholdings, its latest evaluation, its broken commitments
the caller may read) and the measure catalogue. Output: RESTRICTED if any active RESTRICT
hit, else CAUTION if any active CAUTION hit, else CLEAR; hits under objection on ``as_of`` come
back as suspended and do not count; incentives never hide a hit. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graph_seed.model import RoleName
from hub.rules.commitments import CommitmentView, broken_measure, cautions
from hub.rules.listings import IN_FORCE, ListingState, aggravated
from hub.rules.measures import MeasureEffect, PartyToken, Reach, Scenario, applies, governs

# Reach tokens of the two check-time rules (not produced by propagation):
RELATED_COURT_LISTED = "RELATED_COURT_LISTED"  # 中办发〔2016〕64号: an officer is court-listed
SUSPECTED_CONTROLLER = "SUSPECTED_CONTROLLER"  # inferred controller (effective share > 50 %)
# The roles through which a court listing of the person reaches the enterprise (RELATED): its
# legal representative, principal, declared actual controller, directors, supervisors and senior
# managers (DESIGN.md, Decision).
RELATED_ROLES = (
    RoleName.LEGAL_REPRESENTATIVE,
    RoleName.PRINCIPAL,
    RoleName.ACTUAL_CONTROLLER,
    RoleName.DIRECTOR,
    RoleName.SUPERVISOR,
    RoleName.SENIOR_MANAGER,
)


class Decision(StrEnum):
    CLEAR = "CLEAR"
    CAUTION = "CAUTION"
    RESTRICTED = "RESTRICTED"


class ReachKind(StrEnum):
    OWN = "OWN"  # the subject's own listing
    DERIVED = "DERIVED"  # an entry of its personal credit record (a listed enterprise's person)
    RELATED = "RELATED"  # a person in a role at it is court-listed (upward, CAUTION)
    SUSPECTED = "SUSPECTED"  # it controls a listed enterprise through shareholdings (CAUTION)
    EVALUATION = "EVALUATION"  # its public credit evaluation grade
    COMMITMENT = "COMMITMENT"  # it broke a credit commitment made for this scenario


@dataclass(frozen=True)
class Step:
    """One hop of a path: ``holder`` --relationship/role--> ``target``, with its dates."""

    holder_label: str
    holder_key: str
    holder_name: str
    target_label: str
    target_key: str
    target_name: str
    relationship: str  # LEGAL_REPRESENTATIVE_OF, HOLDS_SHARES, LIABLE, ...
    role: str | None = None
    share: float | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    path: int | None = None  # SUSPECTED: the ownership path (1, 2, …) this step belongs to


@dataclass(frozen=True)
class OwnershipPath:
    """One shareholding path from the checked subject to a listed enterprise, and its product
    (the share it adds to the effective share)."""

    steps: tuple[Step, ...]
    product: float


@dataclass(frozen=True)
class ListingView:
    """A listing as a check sees it, with its state on ``as_of``."""

    id: str
    list: str
    domain: str
    source: str
    state: ListingState
    department: str | None
    department_name: str | None
    subject_label: str
    subject_key: str
    subject_name: str
    subject_kind: str
    effective_from: dt.date
    expires_on: dt.date | None = None
    basis: str | None = None
    case_number: str | None = None


@dataclass(frozen=True)
class Entry:
    """One way a listing reaches the checked subject."""

    kind: ReachKind
    listing: ListingView
    parties: tuple[str, ...]
    via: tuple[Step, ...] = ()
    share: float | None = None  # SUSPECTED: the effective share
    # SUSPECTED: the ownership paths were more than the cap, so ``share`` counts only those
    # read (a lower bound) and control cannot be ruled out
    truncated: bool = False
    # SUSPECTED: the paths that add to ``share``, largest first (at most the check's cap of
    # paths shown; ``path_count`` says how many there were in all)
    paths: tuple[OwnershipPath, ...] = ()
    path_count: int = 0


@dataclass(frozen=True)
class Evaluation:
    id: str
    grade: str
    evaluated_on: dt.date
    source: str | None = None


@dataclass(frozen=True)
class Subject:
    label: str  # Enterprise or Person
    key: str
    name: str
    kind: str  # a SubjectKind value, or PERSON
    public_servant: bool = False


@dataclass(frozen=True)
class Hit:
    measure: Mapping[str, Any]
    entry: Entry | None
    evaluation: Evaluation | None = None
    commitment: CommitmentView | None = None

    @property
    def effect(self) -> str:
        return str(self.measure["effect"])

    @property
    def via(self) -> tuple[Step, ...]:
        return self.entry.via if self.entry else ()


@dataclass
class Outcome:
    decision: Decision
    aggravated: bool
    hits: list[Hit] = field(default_factory=list)
    suspended: list[Hit] = field(default_factory=list)
    incentives: list[Hit] = field(default_factory=list)


def _reach(entry: Entry, subject: Subject) -> Reach:
    listed = entry.listing
    return Reach(
        list=listed.list,
        source=listed.source,
        parties=entry.parties,
        subject_kind=listed.subject_kind,
        public_servant=subject.public_servant and entry.kind == ReachKind.OWN,
    )


def _grade_applies(measure: Mapping[str, Any], scenario: Scenario, grade: str) -> bool:
    return (
        grade in (measure.get("grades") or [])
        and governs(measure.get("scenarios") or [], scenario)
        and PartyToken.SUBJECT.value in (measure.get("reaches") or [])
    )


def decide(
    subject: Subject,
    scenario: Scenario,
    entries: Sequence[Entry],
    evaluation: Evaluation | None,
    measures: Sequence[Mapping[str, Any]],
    commitments: Sequence[CommitmentView] = (),
    as_of: dt.date | None = None,
) -> Outcome:
    """``commitments``: the subject's broken commitments the caller may read; each cautions
    the checks of its scenario for a year from the breach (hub/rules/commitments.py), on
    ``as_of``."""
    hits: list[Hit] = []
    suspended: list[Hit] = []
    incentives: list[Hit] = []
    for entry in entries:
        state = entry.listing.state
        if state not in IN_FORCE:
            continue
        reach = _reach(entry, subject)
        for measure in measures:
            if not applies(measure, scenario, reach):
                continue
            hit = Hit(measure, entry)
            if measure["effect"] == MeasureEffect.INCENTIVE:
                if state == ListingState.ACTIVE:
                    incentives.append(hit)
            elif state == ListingState.SUSPENDED:
                suspended.append(hit)
            else:
                hits.append(hit)
    if evaluation is not None:
        for measure in measures:
            if _grade_applies(measure, scenario, evaluation.grade):
                hit = Hit(measure, None, evaluation)
                (incentives if measure["effect"] == MeasureEffect.INCENTIVE else hits).append(hit)
    if as_of is not None:
        for commitment in commitments:
            if cautions(commitment, scenario.value, as_of):
                hits.append(Hit(broken_measure(commitment), None, commitment=commitment))
    effects = {h.effect for h in hits}
    if MeasureEffect.RESTRICT in effects:
        decision = Decision.RESTRICTED
    elif MeasureEffect.CAUTION in effects:
        decision = Decision.CAUTION
    else:
        decision = Decision.CLEAR
    own = [
        (e.listing.list, e.listing.domain, e.listing.state)
        for e in entries
        if e.kind == ReachKind.OWN
    ]
    order = {MeasureEffect.RESTRICT: 0, MeasureEffect.CAUTION: 1, MeasureEffect.INCENTIVE: 2}
    for group in (hits, suspended, incentives):
        group.sort(
            key=lambda h: (
                order.get(MeasureEffect(h.effect), 3),
                h.measure["code"],
                h.entry.listing.id if h.entry else (h.commitment.code if h.commitment else ""),
            )
        )
    return Outcome(decision, aggravated(own), hits, suspended, incentives)
