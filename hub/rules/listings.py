"""Listings as pure rules: the state at a date, terms, the loan and minor rules, who may end.

Nothing here does I/O. A listing's stored facts (``effectiveFrom``, ``expiresOn``, ``endedOn``
and its objections) decide its state at any date; a derived entry has no state of its own and
is always read through its source listing (docs/punishment.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from graph_seed.reference_data import load_domains
from hub.rules.publicity import add_months


class ListKind(StrEnum):
    BLACK = "BLACK"  # 失信联合惩戒对象名单
    WATCH = "WATCH"  # 重点关注名单
    RED = "RED"  # 守信激励(红名单)


class ListingSource(StrEnum):
    ADMINISTRATIVE = "ADMINISTRATIVE"  # a department's decision (kind `listing`)
    COURT = "COURT"  # 失信被执行人 (kind `courtDefault`)
    LOAN = "LOAN"  # bank loan default confirmed by the financial regulator (kind `loanDefault`)


class ListingState(StrEnum):
    NOT_YET = "NOT_YET"  # the asked date is before effectiveFrom
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"  # an objection is being verified: measures are not applied
    ENDED = "ENDED"  # expired, removed by the court, revoked, repaired or ended


# The states in which a listing is in force (measures apply, or are only paused by an objection).
IN_FORCE = frozenset({ListingState.ACTIVE, ListingState.SUSPENDED})


class EndReason(StrEnum):
    """Why a listing ended (stored in ``endReason``; expiry is computed, never stored)."""

    ENDED = "ENDED"  # ended by the deciding department (e.g. obligations performed)
    REMOVED = "REMOVED"  # removed by the court (court listings only)
    REVOKED = "REVOKED"  # revoked: the listing was wrong (an objection upheld, or a correction)
    REPAIRED = "REPAIRED"  # 信用修复 (never for court listings)


class ObjectionStatus(StrEnum):
    FILED = "FILED"  # recorded; the measures are suspended from the filing date
    VERIFYING = "VERIFYING"  # the deciding department verifies it (still suspended)
    UPHELD = "UPHELD"  # the record was wrong: revoked
    REJECTED = "REJECTED"  # the record stands: suspension lifted


# Objections stored before the VERIFYING step (status OPEN) are FILED ones (`credit-hub
# migrate` rewrites them; readers map them too, for a store not yet migrated).
UNRESOLVED_OBJECTION = frozenset({"FILED", "VERIFYING", "OPEN"})


def objection_status(raw: Mapping[str, Any]) -> ObjectionStatus:
    status = str(raw.get("status"))
    return ObjectionStatus.FILED if status == "OPEN" else ObjectionStatus(status)


@dataclass(frozen=True, slots=True)
class ObjectionPeriod:
    filed_on: dt.date
    resolved_on: dt.date | None = None

    def open_on(self, day: dt.date) -> bool:
        """Filed on or before ``day`` and not resolved by ``day``."""
        return self.filed_on <= day and (self.resolved_on is None or self.resolved_on > day)


@dataclass(frozen=True, slots=True)
class ListingFacts:
    effective_from: dt.date
    expires_on: dt.date | None = None  # first day it no longer applies
    ended_on: dt.date | None = None  # first day it no longer applies (removal, revocation, ...)
    objections: tuple[ObjectionPeriod, ...] = ()

    @classmethod
    def of(
        cls, listing: Mapping[str, Any], objections: Iterable[Mapping[str, Any]] = ()
    ) -> ListingFacts:
        """From stored properties (``effectiveFrom`` ...) and objection rows (``filedOn`` ...)."""
        return cls(
            effective_from=listing["effectiveFrom"],
            expires_on=listing.get("expiresOn"),
            ended_on=listing.get("endedOn"),
            objections=tuple(
                ObjectionPeriod(o["filedOn"], o.get("resolvedOn"))
                for o in objections
                if o.get("filedOn") is not None
            ),
        )

    @property
    def last_day(self) -> dt.date | None:
        """The last day the listing can apply (None: open-ended)."""
        ends = [d for d in (self.expires_on, self.ended_on) if d is not None]
        return min(ends) - dt.timedelta(days=1) if ends else None


def listing_state(facts: ListingFacts, day: dt.date) -> ListingState:
    """The state of a listing on ``day``.

    NOT_YET before effectiveFrom; ENDED from endedOn or expiresOn (each the first day it no
    longer applies, so the listing applies on [effectiveFrom, expiresOn)); SUSPENDED while an
    objection filed on or before ``day`` is unresolved on ``day``; else ACTIVE.
    """
    if day < facts.effective_from:
        return ListingState.NOT_YET
    if facts.ended_on is not None and facts.ended_on <= day:
        return ListingState.ENDED
    if facts.expires_on is not None and facts.expires_on <= day:
        return ListingState.ENDED
    if any(o.open_on(day) for o in facts.objections):
        return ListingState.SUSPENDED
    return ListingState.ACTIVE


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


# --- court listings (失信被执行人, 法释〔2017〕7号) ---

COURT_GROUNDS = range(1, 7)
OPEN_ENDED_GROUND = 1  # 有履行能力而拒不履行: listed until the court removes the listing
COURT_TERM_YEARS = 2
COURT_EXTENSION_YEARS = (1, 3)  # a term may be extended by one to three years
MIN_AGE = 18


def court_term_bounds(effective_from: dt.date) -> tuple[dt.date, dt.date]:
    """Earliest and latest allowed expiresOn for grounds 2-6 (2 years, plus 1-3 extension)."""
    base = add_years(effective_from, COURT_TERM_YEARS)
    return base, add_years(effective_from, COURT_TERM_YEARS + COURT_EXTENSION_YEARS[1])


def court_expiry(
    ground: int, effective_from: dt.date, expires_on: dt.date | None
) -> dt.date | None:
    """expiresOn of a court listing: given, 2 years by default (grounds 2-6), none for ground 1."""
    if ground == OPEN_ENDED_GROUND:
        return None
    return expires_on or add_years(effective_from, COURT_TERM_YEARS)


def court_expiry_problem(
    ground: int, effective_from: dt.date | None, expires_on: dt.date
) -> str | None:
    """Why ``expires_on`` is not allowed for a court listing on ``ground``, or None."""
    if ground == OPEN_ENDED_GROUND:
        return (
            "ground 1 (able but refuses to perform) is open-ended until the court removes the "
            "listing: leave expiresOn out"
        )
    if effective_from is None:
        return None
    earliest, latest = court_term_bounds(effective_from)
    if not earliest <= expires_on <= latest:
        return (
            f"the term is 2 years, extendable by 1 to 3 years: expiresOn must be between "
            f"{earliest.isoformat()} and {latest.isoformat()}"
        )
    return None


def minor_problem(birth_date: dt.date, on: dt.date, date_name: str = "effectiveFrom") -> str | None:
    """A minor on ``on`` is never listed as a dishonest judgment debtor (法释〔2017〕7号 第四条).

    The age counts on the court's decision: ``on`` is the decisionDate when the record gives
    one, else effectiveFrom (``date_name`` names which, for the message).
    """
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if years < MIN_AGE:
        return (
            f"a minor (aged {years} on {date_name} {on.isoformat()}) is never listed as a "
            "dishonest judgment debtor (法释〔2017〕7号 第四条)"
        )
    return None


# --- loan defaults (附件 二: 本金全部逾期达6个月以上, 由金融管理部门核实确认) ---

LOAN_OVERDUE_MONTHS = 6


def loan_qualifies_on(principal_overdue_since: dt.date) -> dt.date:
    """The first day the principal has been wholly overdue for 6 calendar months."""
    return add_months(principal_overdue_since, LOAN_OVERDUE_MONTHS)


def loan_problem(principal_overdue_since: dt.date, confirmed_on: dt.date) -> str | None:
    """Why a regulator's confirmation on ``confirmed_on`` cannot make a listing, or None."""
    earliest = loan_qualifies_on(principal_overdue_since)
    if confirmed_on < earliest:
        return (
            f"the principal is wholly overdue since {principal_overdue_since.isoformat()}, less "
            f"than {LOAN_OVERDUE_MONTHS} calendar months at confirmation; a listing can be "
            f"confirmed from {earliest.isoformat()}"
        )
    return None


def loan_rereport_problems(
    listing_id: str,
    confirmed_by: str,
    confirmed_on: dt.date | None,
    stored: Mapping[str, Any],
    reported: Mapping[str, Any],
) -> list[tuple[str, str]]:
    """(field, reason) for each fact a bank's re-report would change in a confirmed listing.

    Once the regulator confirmed a loan default it is the regulator's listing: the bank may
    report the same facts again (nothing changes) but not another subject, overdue date,
    report date or basis. ``stored`` and ``reported`` map exchange field names to values.
    """
    on = f" on {confirmed_on.isoformat()}" if confirmed_on is not None else ""
    problems = []
    for field, value in reported.items():
        before = stored.get(field)
        if value == before:
            continue
        what = "subject" if field.startswith("subject.") else field
        shown = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in (before, value)]
        problems.append(
            (
                field,
                f"loan listing {listing_id} was confirmed by {confirmed_by}{on}: its {what} "
                f"is {shown[0]}, not {shown[1]}; a bank's re-report may not change a confirmed "
                f"listing (only {confirmed_by} corrects it)",
            )
        )
    return problems


# --- ending and objections ---


class RefusalKind(StrEnum):
    NOT_ALLOWED = "NOT_ALLOWED"  # this caller may not do it (another department's listing)
    CONFLICT = "CONFLICT"  # the listing's state does not allow it (already ended, resolved)
    INVALID = "INVALID"  # the request itself is wrong (a date out of range)


@dataclass(frozen=True, slots=True)
class Refusal:
    kind: RefusalKind
    message: str


@dataclass(frozen=True, slots=True)
class Decider:
    """Who acts on a listing: the caller's department (None for ADMIN, who may act for any)."""

    department: str | None
    admin: bool = False


def _not_allowed(message: str) -> Refusal:
    return Refusal(RefusalKind.NOT_ALLOWED, message)


def _conflict(message: str) -> Refusal:
    return Refusal(RefusalKind.CONFLICT, message)


def _invalid(message: str) -> Refusal:
    return Refusal(RefusalKind.INVALID, message)


def _other_department(listing: Mapping[str, Any], who: Decider) -> bool:
    return not who.admin and listing.get("department") != who.department


def court_only_refusal(listing: Mapping[str, Any], who: Decider, what: str) -> Refusal | None:
    """A court listing ends only by the court that decided it: not by ADMIN, not by others.

    ``what`` names the act refused ("it ends", "objections to it are resolved"): the removal or
    revocation of a court listing, by mutation or upload, and the resolution of an objection
    to it (an upheld objection revokes it) are the court's.
    """
    if listing.get("source") != ListingSource.COURT:
        return None
    court = listing.get("department")
    if not who.admin and who.department == court:
        return None
    caller = "ADMIN" if who.admin else (who.department or "this caller")
    return _not_allowed(
        f"listing {listing.get('id')} is a court listing: {what} only by the court that "
        f"decided it ({court}), not by {caller}"
    )


def end_refusal(
    listing: Mapping[str, Any], reason: EndReason, on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why ``who`` may not end ``listing`` on ``on`` for ``reason``, or None when it may."""
    if listing.get("derived"):
        return _invalid(
            "a derived entry ends with its source listing; end the source listing instead"
        )
    court_only = court_only_refusal(listing, who, "it ends")
    if court_only is not None:
        return court_only
    if _other_department(listing, who):
        return _not_allowed(
            f"listing {listing['id']} was decided by {listing.get('department')}; only that "
            "department (谁认定、谁负责) or an ADMIN may end it"
        )
    if listing.get("endedOn") is not None:
        return _conflict(
            f"listing {listing['id']} already ended on {listing['endedOn'].isoformat()}"
        )
    court = listing.get("source") == ListingSource.COURT
    if court and reason in (EndReason.REPAIRED, EndReason.ENDED):
        return _invalid("a court listing ends only by the court: use REMOVED or REVOKED")
    if not court and reason == EndReason.REMOVED:
        return _invalid(
            "REMOVED is the court's removal of a court listing; use ENDED, REPAIRED or REVOKED"
        )
    return ending_refusal(listing, reason, on, today)


def ending_refusal(
    listing: Mapping[str, Any], reason: str, on: dt.date, today: dt.date, name: str = "on"
) -> Refusal | None:
    """The date rules of an ending, for the mutation and for an upload's ``endedOn``: a repair
    not before its period, and a date between the decision and today."""
    if reason == EndReason.REPAIRED:
        early = repair_refusal(listing, on)
        if early is not None:
            return early
    return date_refusal(listing, on, today, name)


# 信用修复 of a BLACK listing (严重失信): not before the minimum publicity period of serious
# penalties, one year, and where a domain excludes early repair not before their maximum,
# three years (DESIGN "Repair and publicity periods"; 隆政办发〔2020〕6号 二(十三): 方可在最短
# 公示期满后撤下). The deciding department verifies the correction and the commitment itself.
REPAIR_MIN_YEARS = 1
REPAIR_MAX_YEARS = 3


def repair_refusal(listing: Mapping[str, Any], on: dt.date) -> Refusal | None:
    """Why ``listing`` may not be ended as REPAIRED on ``on``, or None (mutations, uploads)."""
    start = listing.get("effectiveFrom")
    if listing.get("list") != "BLACK" or start is None:
        return None
    domain = load_domains().get(str(listing.get("domain")))
    early = domain is None or domain.early_repair
    earliest = add_years(start, REPAIR_MIN_YEARS if early else REPAIR_MAX_YEARS)
    if on >= earliest:
        return None
    why = (
        "its minimum publicity period of one year has not passed"
        if early
        else f"the {listing.get('domain')} domain is not repairable early (three years)"
    )
    return _conflict(
        f"listing {listing.get('id')} may be repaired from {earliest.isoformat()} on: {why}; "
        "end it as ENDED or REVOKED if that is what happened"
    )


def date_refusal(
    listing: Mapping[str, Any], on: dt.date, today: dt.date, name: str = "on"
) -> Refusal | None:
    """A change of state is dated between the decision and today (mutations and uploads).

    ``name`` is the date's field in the caller's input (``on``, or ``endedOn`` in an upload).
    """
    decided = listing.get("decisionDate") or listing.get("effectiveFrom")
    if on > today:
        return _invalid(f"{name} {on.isoformat()} is in the future (today is {today.isoformat()})")
    if decided is not None and on < decided:
        return _invalid(
            f"{name} {on.isoformat()} is before the decision date {decided.isoformat()}"
        )
    return None


def objection_refusal(
    listing: Mapping[str, Any], on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why an objection to ``listing`` may not be recorded on ``on`` by ``who``."""
    if listing.get("derived"):
        return _invalid(
            "a derived entry follows its source listing: file the objection against the source "
            f"listing {listing.get('sourceId')}"
        )
    if _other_department(listing, who):
        return _not_allowed(
            f"objections to listing {listing['id']} are recorded and verified by "
            f"{listing.get('department')} (谁认定、谁负责)"
        )
    ended = listing.get("endedOn")
    if ended is not None and ended <= on:
        return _conflict(f"listing {listing['id']} ended on {ended.isoformat()}")
    expires = listing.get("expiresOn")
    if expires is not None and expires <= on:
        return _conflict(f"listing {listing['id']} expired on {expires.isoformat()}")
    return date_refusal(listing, on, today)


def resolve_refusal(
    objection: Mapping[str, Any],
    listing: Mapping[str, Any],
    on: dt.date,
    who: Decider,
    today: dt.date,
) -> Refusal | None:
    """Why ``who`` may not resolve ``objection`` (to ``listing``) on ``on``, or None."""
    court_only = court_only_refusal(listing, who, "objections to it are resolved")
    if court_only is not None:
        return court_only
    if _other_department(listing, who):
        return _not_allowed(
            f"objection {objection['id']} is verified by {listing.get('department')}, the "
            "department that decided the listing"
        )
    status = objection_status(objection)
    if status not in (ObjectionStatus.FILED, ObjectionStatus.VERIFYING):
        return _conflict(
            f"objection {objection['id']} is already {status.value}: only a FILED or VERIFYING "
            "objection is resolved"
        )
    filed: dt.date = objection["filedOn"]
    if on < filed:
        return _invalid(f"on {on.isoformat()} is before the filing date {filed.isoformat()}")
    verifying: dt.date | None = objection.get("verifyingOn")
    if verifying is not None and on < verifying:
        return _invalid(
            f"on {on.isoformat()} is before the verification began ({verifying.isoformat()})"
        )
    if on > today:
        return _invalid(f"on {on.isoformat()} is in the future (today is {today.isoformat()})")
    return None


def aggravated(states: Iterable[tuple[str, str, ListingState]]) -> bool:
    """(list, domain, state) of a subject's own listings: active BLACK in two or more domains."""
    domains = {
        domain
        for kind, domain, state in states
        if kind == ListKind.BLACK and state == ListingState.ACTIVE
    }
    return len(domains) >= 2


def state_of(raw: Mapping[str, Any], day: dt.date) -> ListingState:
    """The state on ``day`` of a listing as the store reads it (with its objections)."""
    return listing_state(ListingFacts.of(raw, raw.get("objections") or []), day)


class StoredListing(Protocol):
    """A listing as the store reads it (hub/store/listing_reads.py ``ListingRow``): what the
    rules below read of it."""

    @property
    def list_kind(self) -> str: ...

    @property
    def domain(self) -> str: ...

    @property
    def derived(self) -> bool: ...

    @property
    def facts(self) -> ListingFacts: ...


def is_published(listing: StoredListing, today: dt.date) -> bool:
    """``published`` of a typed listing."""
    return (
        listing.list_kind in ("BLACK", "RED")
        and not listing.derived
        and listing_state(listing.facts, today) in IN_FORCE
    )


def aggravated_among(listings: Iterable[StoredListing], day: dt.date) -> bool:
    """``aggravated`` over a subject's own listings as the store reads them, on ``day``."""
    return aggravated((x.list_kind, x.domain, listing_state(x.facts, day)) for x in listings)


def published(raw: Mapping[str, Any], today: dt.date) -> bool:
    """What the public credit site shows: BLACK and RED lists (a WATCH list is for supervisors)
    in force today. An ended listing — repaired (repair ends publication), revoked, removed by
    the court, ended by its department, or expired (publication stops at the maximum) — and
    one not yet in force are not published, whatever date the caller asks about. SUSPENDED
    stays published: an objection suspends the measures while it is verified
    (联合惩戒措施在信息核实期间暂不执行), not the listing."""
    return (
        raw.get("list") in ("BLACK", "RED")
        and not raw.get("derived")
        and state_of(raw, today) in IN_FORCE
    )


def aggravated_on(rows: Iterable[Mapping[str, Any]], day: dt.date) -> bool:
    """``aggravated`` over stored listings, on ``day``."""
    return aggravated((r["list"], r["domain"], state_of(r, day)) for r in rows)
