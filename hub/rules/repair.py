"""Credit repair (信用修复) as pure rules: when a record can be repaired, what an application
needs, and the outcome of an application (docs/lifecycle.md).

DESIGN "Repair and publicity periods" (国办发〔2025〕22号 / NDRC order 36): a penalty's minimum
publicity period runs from its decision date (轻微 none, 一般 3 months, 严重 1 year); a BLACK
listing's is one year from effectiveFrom (隆政办发〔2020〕6号 二(十三)). Penalties of licence
revocation or business bans in the domains marked ``earlyRepair = false`` in
graph_seed/domains.toml, and BLACK listings in those domains, are not repairable early: not
before the maximum period (three years). Every application needs the corrected conduct and a
public commitment; a BLACK listing and a serious penalty (严重失信) also a repair training and a
credit report. Court listings end only by the court, RED lists are incentives: not repaired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from graph_seed.reference_data import load_domains
from hub.rules.listings import (
    REPAIR_MAX_YEARS,
    REPAIR_MIN_YEARS,
    Decider,
    Refusal,
    RefusalKind,
    add_years,
    date_refusal,
)
from hub.rules.publicity import publicity
from hub.rules.workdays import Calendar

REPAIR_WORKING_DAYS = 10  # DESIGN: decided within 10 working days of the application
NOT_EARLY_PENALTIES = frozenset({"LICENCE_REVOCATION", "BUSINESS_BAN"})


class RepairStatus(StrEnum):
    PENDING = "PENDING"  # complete and in time: the deciding department decides it
    APPROVED = "APPROVED"  # the record ended (REPAIRED) on the decision date
    REFUSED = "REFUSED"  # at once (too early, not repairable, a condition missing) or decided


class Condition(StrEnum):
    CONDUCT_CORRECTED = "CONDUCT_CORRECTED"  # 已纠正失信行为、履行法定义务
    PUBLIC_COMMITMENT = "PUBLIC_COMMITMENT"  # 信用修复承诺
    REPAIR_TRAINING = "REPAIR_TRAINING"  # 信用修复专题培训
    CREDIT_REPORT = "CREDIT_REPORT"  # 信用报告


BASIC = (Condition.CONDUCT_CORRECTED, Condition.PUBLIC_COMMITMENT)
SERIOUS = (*BASIC, Condition.REPAIR_TRAINING, Condition.CREDIT_REPORT)


@dataclass(frozen=True, slots=True)
class RepairPath:
    """What a record allows: ``earliest`` None means it cannot be repaired (``why``)."""

    earliest: dt.date | None
    needs: tuple[Condition, ...]
    why: str
    ends_on_its_own: dt.date | None  # first day it no longer applies without repair


def _early_domain(domain: object) -> bool:
    spec = load_domains().get(str(domain))
    return spec is None or spec.early_repair


def listing_path(listing: Mapping[str, Any]) -> RepairPath:
    """How a (source) listing can be repaired (its stored map)."""
    return repair_path(
        listing.get("source"),
        listing.get("list"),
        listing.get("domain"),
        listing["effectiveFrom"],
        listing.get("expiresOn"),
    )


def repair_path(
    source: object, list_kind: object, domain: object, start: dt.date, ends: dt.date | None
) -> RepairPath:
    """How a (source) listing can be repaired: its source, list, domain, effectiveFrom and
    expiresOn."""
    if source == "COURT":
        return RepairPath(None, (), "a court listing ends only by the court that decided it", ends)
    if list_kind == "RED":
        return RepairPath(None, (), "a RED list is an incentive, not a dishonesty record", ends)
    if list_kind != "BLACK":
        return RepairPath(start, BASIC, "a WATCH listing has no minimum period", ends)
    if _early_domain(domain):
        return RepairPath(
            add_years(start, REPAIR_MIN_YEARS),
            SERIOUS,
            "the minimum publicity period of a BLACK listing is one year",
            ends,
        )
    return RepairPath(
        add_years(start, REPAIR_MAX_YEARS),
        SERIOUS,
        f"the {domain} domain is not repairable early (three years)",
        ends,
    )


def action_path(action: Mapping[str, Any]) -> RepairPath:
    """How an administrative action can be repaired: penalties only."""
    if action.get("type") != "PENALTY":
        return NOT_A_PENALTY
    return penalty_path(
        "PENALTY",
        action.get("severity"),
        action["decisionDate"],
        action.get("penalties") or (),
        action.get("domain"),
    )


NOT_A_PENALTY = RepairPath(None, (), "only a penalty is a dishonesty record to repair", None)


def penalty_path(
    kind: str,
    severity: str | None,
    decided: dt.date,
    penalties: Iterable[str],
    domain: str | None,
) -> RepairPath:
    """``action_path`` from an action's fields (a typed row's): penalties only."""
    if kind != "PENALTY":
        return NOT_A_PENALTY
    level = str(severity)
    period = publicity("PENALTY", level, decided)
    needs = SERIOUS if level == "SERIOUS" else BASIC
    if set(penalties) & NOT_EARLY_PENALTIES and not _early_domain(domain):
        return RepairPath(
            period.ends,
            needs,
            f"a licence revocation or business ban in the {domain} domain is not "
            "repairable early (not before the maximum publicity period)",
            period.ends,
        )
    minimum = {"MINOR": "none", "GENERAL": "3 months", "SERIOUS": "one year"}.get(level, "")
    return RepairPath(
        period.earliest_end,
        needs,
        f"the minimum publicity period of a {level} penalty is {minimum}",
        period.ends,
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    conduct_corrected: bool
    public_commitment: str | None = None
    repair_training: str | None = None
    credit_report: str | None = None

    def given(self) -> frozenset[Condition]:
        values = {
            Condition.CONDUCT_CORRECTED: self.conduct_corrected,
            Condition.PUBLIC_COMMITMENT: bool(self.public_commitment),
            Condition.REPAIR_TRAINING: bool(self.repair_training),
            Condition.CREDIT_REPORT: bool(self.credit_report),
        }
        return frozenset(c for c, present in values.items() if present)


def refusal_at_once(path: RepairPath, evidence: Evidence, on: dt.date, what: str) -> str | None:
    """Why an application made on ``on`` fails at once (it is recorded REFUSED), or None: it
    waits for the department's decision."""
    if path.earliest is None:
        return f"{what} cannot be repaired: {path.why}"
    if on < path.earliest:
        return f"{what} can be repaired from {path.earliest.isoformat()} on: {path.why}"
    missing = [c.value for c in path.needs if c not in evidence.given()]
    if missing:
        return f"a condition is missing: {', '.join(missing)}"
    return None


def decision_deadline(applied_on: dt.date, calendar: Calendar) -> tuple[dt.date, bool]:
    """The last day the application is decided on time, and whether the fallback counted."""
    return calendar.add_working_days(applied_on, REPAIR_WORKING_DAYS)


def _what(target: Mapping[str, Any]) -> str:
    return f"{str(target.get('label', 'listing')).lower()} {target.get('id')}"


def _other(target: Mapping[str, Any], who: Decider) -> bool:
    return not who.admin and target.get("department") != who.department


def application_refusal(
    target: Mapping[str, Any], pending: list[str], on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why an application against ``target`` cannot even be recorded (an error; nothing is
    written), or None. The outcome of a recorded one is ``refusal_at_once``."""
    what = _what(target)
    if target.get("derived"):
        return Refusal(
            RefusalKind.INVALID,
            f"a derived entry follows its source listing: apply against {target.get('sourceId')}",
        )
    if _other(target, who):
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"repair of {what} is decided by {target.get('department')} (谁认定、谁负责); "
            "the application is recorded there",
        )
    if pending:
        return Refusal(
            RefusalKind.CONFLICT,
            f"{what} already has a pending repair application ({pending[0]}): decide it first",
        )
    for field in ("endedOn", "expiresOn"):
        ended: dt.date | None = target.get(field)
        if ended is not None and ended <= on:
            return Refusal(
                RefusalKind.CONFLICT,
                f"{what} no longer applies since {ended.isoformat()}: nothing to repair",
            )
    return date_refusal(target, on, today)


def decision_refusal(
    repair: Mapping[str, Any] | None,
    target: Mapping[str, Any],
    approved: bool,
    on: dt.date,
    who: Decider,
    today: dt.date,
) -> Refusal | None:
    """Why ``who`` may not decide ``repair`` (None: the listing has no pending application,
    the case of ``endListing(kind: REPAIRED)``) on ``on``, or None."""
    what = _what(target)
    if _other(target, who):
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"repair of {what} is decided by {target.get('department')} (谁认定、谁负责)",
        )
    if repair is None:
        return Refusal(
            RefusalKind.CONFLICT,
            f"{what} has no pending repair application: a repair is decided on an application "
            "(applyForRepair, then decideRepair or endListing(kind: REPAIRED))",
        )
    if repair.get("status") != RepairStatus.PENDING:
        return Refusal(
            RefusalKind.CONFLICT,
            f"repair application {repair['id']} is already {repair.get('status')}: only a "
            "PENDING application is decided",
        )
    applied: dt.date = repair["requestedOn"]
    if on < applied:
        return Refusal(
            RefusalKind.INVALID,
            f"on {on.isoformat()} is before the application ({applied.isoformat()})",
        )
    if on > today:
        return Refusal(
            RefusalKind.INVALID,
            f"on {on.isoformat()} is in the future (today is {today.isoformat()})",
        )
    ended: dt.date | None = target.get("endedOn")
    if approved and ended is not None and ended <= on:
        return Refusal(
            RefusalKind.CONFLICT,
            f"{what} already ended on {ended.isoformat()} ({target.get('endReason')}); refuse "
            "the application instead",
        )
    return None


class Application(Protocol):
    """What ordering applications reads of one (the store's ``RepairRow``)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def requested_on(self) -> dt.date: ...


ApplicationT = TypeVar("ApplicationT", bound=Application)


def pending_applications(
    rows: Iterable[ApplicationT], today: dt.date, calendar: Calendar
) -> list[tuple[ApplicationT, bool]]:
    """PENDING applications with whether each is past its decision deadline: overdue ones
    first (the oldest deadline first), then by deadline, then by id."""
    found = []
    for row in rows:
        if row.status != RepairStatus.PENDING:
            continue
        deadline, _ = decision_deadline(row.requested_on, calendar)
        found.append((row, deadline))
    found.sort(key=lambda p: (not p[1] < today, p[1], p[0].id))
    return [(row, deadline < today) for row, deadline in found]
