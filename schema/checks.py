"""checkBeforeApproval, checkBatch, receipts: the contract approval systems are written against."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from hub.identifiers import mask_id_number
from hub.rules import decision
from hub.rules.decision import Decision, ReachKind, Step
from hub.rules.explain import reason
from hub.rules.listings import ListingState
from hub.rules.measures import Grade, MeasureEffect, Scenario
from hub.store.checks import MAX_OWNERSHIP_PATHS, MAX_PATHS_SHOWN, ReceiptRow
from resolvers.checks import (
    Checked,
    Request,
    check,
    check_day,
    load_receipt,
    record_approval_outcome,
)
from schema.common import SubjectRef
from schema.subjects import HubInfo
from schema.way_back import WayBack, listing_way_back

strawberry.enum(Decision, description="CLEAR, CAUTION (审慎) or RESTRICTED (限制).")


strawberry.enum(ReachKind, description="How a listing reached the checked subject.")


@strawberry.enum(description="What an approval system finally decided after the check.")
class ApprovalOutcome(Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    APPROVED_WITH_CONDITIONS = "APPROVED_WITH_CONDITIONS"
    WITHDRAWN = "WITHDRAWN"


@strawberry.input(description="One check of a batch.")
class CheckRequest:
    subject: SubjectRef
    scenario: Scenario


@strawberry.type(description="The measure a hit applies.")
class HitMeasure:
    code: str
    name: str
    effect: MeasureEffect
    legal_basis: str
    category: str
    edition: str | None = strawberry.field(
        default=None,
        description="The catalogue edition this hit was decided under (the version of the "
        "measure in force on asOf).",
    )


@strawberry.type(description="The listing behind a hit, with its state on asOf.")
class HitListing:
    id: str
    list: str
    domain: str
    status: ListingState
    source: str
    department: str | None
    department_name: str | None
    effective_from: dt.date
    expires_on: dt.date | None


@strawberry.type(description="The evaluation behind a grade hit.")
class HitEvaluation:
    grade: Grade
    evaluated_on: dt.date
    source: str | None


@strawberry.type(description="The broken commitment behind a COMMITMENT hit (信用承诺).")
class HitCommitment:
    code: str
    type: str
    made_on: dt.date
    broken_on: dt.date = strawberry.field(description="The day the breach was confirmed.")
    ends_on: dt.date = strawberry.field(
        description="The first day the caution no longer applies (the breach's anniversary)."
    )
    scenario: Scenario
    case_number: str | None
    department: str | None
    department_name: str | None


@strawberry.type(description="One hop from the checked subject towards the listed party.")
class PathStep:
    holder_kind: str
    holder_key: str = strawberry.field(description="USCC, or ID number (masked unless allowed).")
    holder_name: str
    target_kind: str
    target_key: str
    target_name: str
    relationship: str
    role: str | None
    share: float | None
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")
    path: int | None = strawberry.field(
        default=None,
        description="SUSPECTED hits: the shareholding path (1, 2, … as in `ownership.paths`) "
        "this step belongs to; null for other reaches.",
    )


@strawberry.type(description="One shareholding path of a suspected-controller hit.")
class HitOwnershipPath:
    product: float = strawberry.field(description="The share this path adds (its shares' product).")
    steps: list[PathStep]


@strawberry.type(description="How a suspected controller's effective share adds up.")
class HitOwnership:
    share: float = strawberry.field(description="The effective share: the sum of every path.")
    path_count: int = strawberry.field(description="The paths that add to it (all were summed).")
    paths: list[HitOwnershipPath] = strawberry.field(
        description=f"The largest {MAX_PATHS_SHOWN} paths, largest first; `pathCount` beyond "
        "them are summed in the reason."
    )


@strawberry.type(description="A measure that reaches the subject, why, and through what.")
class Hit:
    measure: HitMeasure
    listing: HitListing | None
    evaluation: HitEvaluation | None
    reach: ReachKind
    via: list[PathStep] = strawberry.field(
        description="Empty when the subject itself is listed; for a SUSPECTED hit the steps of "
        "every path shown, in order (each step's `path` says which)."
    )
    reason: str = strawberry.field(description="One line in Chinese for the approval file.")
    ownership: HitOwnership | None = strawberry.field(
        default=None, description="SUSPECTED hits: every path that adds to the share, and the sum."
    )
    way_back: WayBack | None = strawberry.field(
        default=None,
        description="A listing's hit: when the listing ends on its own and, where it can be "
        "repaired (by its listed subject), the earliest day an application can succeed and "
        "what it needs. Null for a grade hit (it ends with the next evaluation) and a "
        "commitment hit (it ends one year after the breach).",
    )
    commitment: HitCommitment | None = strawberry.field(
        default=None,
        description="COMMITMENT hits: the broken commitment (its content and liability are the "
        "measure's legal basis).",
    )


@strawberry.type(description="The subject as checked (ID number masked unless allowed).")
class CheckedSubject:
    kind: str
    uscc: str | None
    id_number: str | None
    name: str | None


@strawberry.type(description="Why one item of a batch could not be checked.")
class CheckError:
    code: str
    message: str
    field: str | None


@strawberry.type(description="The answer to one check, with its receipt.")
class CheckResult:
    found: bool
    decision: Decision | None = strawberry.field(
        description="Null only when `error` is set (an invalid item of a batch)."
    )
    aggravated: bool = strawberry.field(
        description="Active BLACK listings in two or more domains (加大惩戒力度)."
    )
    hits: list[Hit]
    suspended_hits: list[Hit] = strawberry.field(
        description="Hits whose listing is under objection on asOf: not counted (暂不执行)."
    )
    incentives: list[Hit] = strawberry.field(description="RED list and grade A; never hide a hit.")
    receipt_id: str | None
    as_of: dt.date
    scenario: Scenario
    subject: CheckedSubject | None
    error: CheckError | None
    truncated: bool = strawberry.field(
        default=False,
        description="The search for listed enterprises the subject holds through shareholdings "
        f"read its cap of {MAX_OWNERSHIP_PATHS:,} paths: the shares of its SUSPECTED hits are "
        "then lower bounds, and every listed enterprise it reached is such a hit (CAUTION), so "
        "that the cap never gives a CLEAR.",
    )


def _key(kind: str, key: str, full: bool) -> str:
    return key if kind == "Enterprise" or full else mask_id_number(key)


def _steps(steps: tuple[Step, ...], full: bool) -> list[PathStep]:
    return [
        PathStep(
            holder_kind=s.holder_label,
            holder_key=_key(s.holder_label, s.holder_key, full),
            holder_name=s.holder_name,
            target_kind=s.target_label,
            target_key=_key(s.target_label, s.target_key, full),
            target_name=s.target_name,
            relationship=s.relationship,
            role=s.role,
            share=s.share,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
            path=s.path,
        )
        for s in steps
    ]


def _ownership(entry: decision.Entry | None, full: bool) -> HitOwnership | None:
    if entry is None or entry.kind != ReachKind.SUSPECTED:
        return None
    return HitOwnership(
        share=entry.share or 0.0,
        path_count=entry.path_count,
        paths=[
            HitOwnershipPath(product=p.product, steps=_steps(p.steps, full)) for p in entry.paths
        ],
    )


def _hit(hit: decision.Hit, full: bool) -> Hit:
    m = hit.measure
    listing = None
    if hit.entry is not None:
        view = hit.entry.listing
        listing = HitListing(
            id=view.id,
            list=view.list,
            domain=view.domain,
            status=view.state,
            source=view.source,
            department=view.department,
            department_name=view.department_name,
            effective_from=view.effective_from,
            expires_on=view.expires_on,
        )
    evaluation = None
    if hit.evaluation is not None:
        evaluation = HitEvaluation(
            grade=Grade(hit.evaluation.grade),
            evaluated_on=hit.evaluation.evaluated_on,
            source=hit.evaluation.source,
        )
    commitment = None
    if hit.commitment is not None:
        c = hit.commitment
        commitment = HitCommitment(
            code=c.code,
            type=c.type,
            made_on=c.made_on,
            broken_on=c.broken_on,
            ends_on=c.ends_on,
            scenario=Scenario(str(c.scenario)),  # a hit only arises in its scenario
            case_number=c.case_number,
            department=c.department,
            department_name=c.department_name,
        )
    reach = ReachKind.COMMITMENT if hit.commitment is not None else ReachKind.EVALUATION
    return Hit(
        measure=HitMeasure(
            code=m["code"],
            name=m["name"],
            effect=MeasureEffect(m["effect"]),
            legal_basis=m["legalBasis"],
            category=m["category"],
            edition=m.get("edition"),
        ),
        listing=listing,
        evaluation=evaluation,
        reach=hit.entry.kind if hit.entry else reach,
        via=_steps(hit.via, full),
        reason=reason(hit),  # names enterprises by USCC and people by name, never by ID number
        ownership=_ownership(hit.entry, full),
        way_back=None if hit.entry is None else _way_back(hit.entry.listing),
        commitment=commitment,
    )


def _way_back(view: decision.ListingView) -> WayBack:
    return listing_way_back(
        view.source, view.list, view.domain, view.effective_from, view.expires_on
    )


def _people(checked: Checked) -> list[str]:
    """ID numbers an unmasked answer shows: the subject and every person on a path."""
    assert checked.outcome is not None  # noqa: S101 - only for valid items
    outcome = checked.outcome
    shown = {checked.key} if checked.label == "Person" and checked.key else set()
    for hit in (*outcome.hits, *outcome.suspended, *outcome.incentives):
        for step in hit.via:
            shown.update(
                key
                for label, key in (
                    (step.holder_label, step.holder_key),
                    (step.target_label, step.target_key),
                )
                if label == "Person"
            )
    return sorted(shown)


def result(info: HubInfo, checked: Checked) -> CheckResult:
    full = info.context.actor.sees_personal_data
    if checked.error is not None:
        return CheckResult(
            found=False,
            decision=None,
            aggravated=False,
            hits=[],
            suspended_hits=[],
            incentives=[],
            receipt_id=None,
            as_of=checked.as_of,
            scenario=checked.scenario,
            subject=None,
            error=CheckError(
                code=checked.error.code,
                message=checked.error.message,
                field=checked.error.details.get("field"),
            ),
        )
    assert checked.outcome is not None  # noqa: S101 - set for every valid item
    if full:
        info.context.audited.extend(("Person", key) for key in _people(checked))
    outcome = checked.outcome
    node = checked.subject
    subject = CheckedSubject(
        kind=str((node.kind if node else None) or ("PERSON" if checked.label == "Person" else "")),
        uscc=checked.key if checked.label == "Enterprise" else None,
        id_number=_key("Person", str(checked.key), full) if checked.label == "Person" else None,
        name=node.name if node else None,
    )
    return CheckResult(
        found=checked.found,
        decision=checked.outcome.decision,
        aggravated=checked.outcome.aggravated,
        hits=[_hit(h, full) for h in outcome.hits],
        suspended_hits=[_hit(h, full) for h in outcome.suspended],
        incentives=[_hit(h, full) for h in outcome.incentives],
        receipt_id=checked.receipt_id,
        as_of=checked.as_of,
        scenario=checked.scenario,
        subject=subject,
        error=None,
        truncated=checked.truncated,
    )


@strawberry.type(description="Proof that a check was made (应查必查), with what it answered.")
class Receipt:
    id: str
    asked_at: dt.datetime
    key_id: str
    department: str | None
    subject_kind: str
    subject_key: str = strawberry.field(description="ID numbers masked unless allowed.")
    scenario: Scenario
    as_of: dt.date
    found: bool
    decision: Decision
    aggravated: bool
    hits: list[str] = strawberry.field(description="measure|effect|listing|reach of each hit.")
    suspended_hits: list[str]
    incentives: list[str]
    truncated: bool = strawberry.field(description="As CheckResult.truncated.")
    editions: list[str] = strawberry.field(
        description="The catalogue editions the hits were decided under (empty for receipts "
        "written before editions were recorded, and for an answer without hits)."
    )
    outcome: ApprovalOutcome | None
    outcome_at: dt.datetime | None
    outcome_note: str | None


def _receipt(row: ReceiptRow, info: HubInfo) -> Receipt:
    full = info.context.actor.sees_personal_data
    label = str(row.subject_label)
    if full and label == "Person":  # an unmasked ID number: the read is audited
        info.context.audited.append(("Person", str(row.subject_key)))
    return Receipt(
        id=row.id,
        asked_at=row.asked_at,
        key_id=row.key_id,
        department=row.department,
        subject_kind=label,
        subject_key=_key(label, str(row.subject_key), full),
        scenario=Scenario(row.scenario),
        as_of=row.as_of,
        found=row.found,
        decision=Decision(row.decision),
        aggravated=row.aggravated,
        hits=list(row.hits),
        suspended_hits=list(row.suspended_hits),
        incentives=list(row.incentives),
        truncated=row.truncated,
        editions=list(row.editions),
        outcome=ApprovalOutcome(row.outcome) if row.outcome else None,
        outcome_at=row.outcome_at,
        outcome_note=row.outcome_note,
    )


@strawberry.type
class CheckQueries:
    @strawberry.field(
        description="May this subject have this? Every reason, its legal basis and graph path, "
        "and a receipt. asOf defaults to today (Asia/Shanghai). Unknown valid identifier: "
        "found false, CLEAR. Invalid identifier: an error INVALID_USCC / INVALID_ID_NUMBER."
    )
    async def check_before_approval(
        self, info: HubInfo, subject: SubjectRef, scenario: Scenario, as_of: dt.date | None = None
    ) -> CheckResult:
        day = check_day(info.context, as_of)
        request = Request(subject.uscc, subject.id_number, scenario)
        answers = await check(
            info.context.store,
            info.context.actor,
            info.context.request_id,
            [request],
            day,
            per_item_errors=False,
            today=info.context.today(),
        )
        return result(info, answers[0])

    @strawberry.field(
        description="Up to 1,000 checks in one call, answers in request order; an invalid item "
        "gets its own error (CheckResult.error), not the batch."
    )
    async def check_batch(
        self, info: HubInfo, requests: list[CheckRequest], as_of: dt.date | None = None
    ) -> list[CheckResult]:
        day = check_day(info.context, as_of)
        batch = [Request(q.subject.uscc, q.subject.id_number, q.scenario) for q in requests]
        answers = await check(
            info.context.store,
            info.context.actor,
            info.context.request_id,
            batch,
            day,
            per_item_errors=True,
            today=info.context.today(),
        )
        return [result(info, a) for a in answers]

    @strawberry.field(description="A receipt, for the key and department that asked, and ADMIN.")
    async def receipt(self, info: HubInfo, id: str) -> Receipt:
        return _receipt(await load_receipt(info.context, id), info)


@strawberry.type
class CheckMutations:
    @strawberry.mutation(
        description="Report what the approval system decided after a check: the key that "
        "asked, its department, or ADMIN."
    )
    async def record_approval_outcome(
        self, info: HubInfo, receipt_id: str, outcome: ApprovalOutcome, note: str | None = None
    ) -> Receipt:
        updated = await record_approval_outcome(info.context, receipt_id, outcome.value, note)
        return _receipt(updated, info)
