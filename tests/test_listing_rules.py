"""Pure listing rules (no Neo4j): state at a date, terms, minors, loans, who may end or object."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.rules.listings import (
    Decider,
    EndReason,
    ListingFacts,
    ListingState,
    ObjectionPeriod,
    RefusalKind,
    add_years,
    aggravated,
    court_expiry,
    court_expiry_problem,
    end_refusal,
    listing_state,
    loan_problem,
    loan_qualifies_on,
    loan_rereport_problems,
    minor_problem,
    objection_refusal,
    resolve_refusal,
)
from hub.rules.publicity import add_months

D = dt.date.fromisoformat


def facts(**kw: object) -> ListingFacts:
    base: dict[str, object] = {"effective_from": D("2024-03-01")}
    base.update(kw)
    return ListingFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ("2024-02-29", ListingState.NOT_YET),
        ("2024-03-01", ListingState.ACTIVE),  # effectiveFrom is the first day
        ("2026-02-28", ListingState.ACTIVE),  # the last day before expiresOn
        ("2026-03-01", ListingState.ENDED),  # expiresOn is the first day it no longer applies
        ("2030-01-01", ListingState.ENDED),
    ],
)
def test_state_by_date_with_expiry(day: str, state: ListingState) -> None:
    assert listing_state(facts(expires_on=D("2026-03-01")), D(day)) == state


def test_open_ended_listing_stays_active() -> None:
    assert listing_state(facts(), D("2099-01-01")) == ListingState.ACTIVE


def test_ended_on_ends_from_that_day_even_before_expiry() -> None:
    f = facts(expires_on=D("2026-03-01"), ended_on=D("2025-01-10"))
    assert listing_state(f, D("2025-01-09")) == ListingState.ACTIVE
    assert listing_state(f, D("2025-01-10")) == ListingState.ENDED
    assert f.last_day == D("2025-01-09")


def test_objection_suspends_from_filing_until_resolution() -> None:
    f = facts(objections=(ObjectionPeriod(D("2024-06-01"), D("2024-07-01")),))
    assert listing_state(f, D("2024-05-31")) == ListingState.ACTIVE
    assert listing_state(f, D("2024-06-01")) == ListingState.SUSPENDED
    assert listing_state(f, D("2024-06-30")) == ListingState.SUSPENDED
    assert listing_state(f, D("2024-07-01")) == ListingState.ACTIVE  # rejected: suspension lifted


def test_open_objection_suspends_indefinitely_but_not_before_effective() -> None:
    f = facts(objections=(ObjectionPeriod(D("2024-01-15")),))
    assert listing_state(f, D("2024-02-01")) == ListingState.NOT_YET
    assert listing_state(f, D("2030-01-01")) == ListingState.SUSPENDED


def test_ended_wins_over_an_open_objection() -> None:
    f = facts(expires_on=D("2025-01-01"), objections=(ObjectionPeriod(D("2024-06-01")),))
    assert listing_state(f, D("2025-01-01")) == ListingState.ENDED


def test_upheld_objection_revokes_from_resolution() -> None:
    # resolveObjection(upheld) records endedOn = resolution date and closes the objection.
    f = facts(
        ended_on=D("2024-07-01"), objections=(ObjectionPeriod(D("2024-06-01"), D("2024-07-01")),)
    )
    assert listing_state(f, D("2024-06-15")) == ListingState.SUSPENDED
    assert listing_state(f, D("2024-07-01")) == ListingState.ENDED


def test_facts_from_stored_rows() -> None:
    f = ListingFacts.of(
        {"effectiveFrom": D("2024-01-01"), "expiresOn": None, "endedOn": D("2024-05-01")},
        [{"filedOn": D("2024-02-01"), "resolvedOn": None}, {"filedOn": None}],
    )
    assert f.ended_on == D("2024-05-01") and len(f.objections) == 1


def test_add_years_and_months() -> None:
    assert add_years(D("2024-02-29"), 2) == D("2026-03-01")
    assert add_years(D("2024-03-01"), 2) == D("2026-03-01")
    assert add_months(D("2024-01-31"), 6) == D("2024-07-31")
    assert add_months(D("2024-08-31"), 6) == D("2025-02-28")
    assert add_months(D("2023-11-15"), 6) == D("2024-05-15")


def test_court_terms() -> None:
    start = D("2024-03-01")
    assert court_expiry(1, start, None) is None  # able but refuses: open-ended
    assert court_expiry(2, start, None) == D("2026-03-01")
    assert court_expiry(6, start, D("2027-03-01")) == D("2027-03-01")
    assert court_expiry_problem(1, start, D("2026-03-01")) is not None
    assert court_expiry_problem(3, start, D("2026-03-01")) is None
    assert court_expiry_problem(3, start, D("2029-03-01")) is None  # 2 + 3 years
    problem = court_expiry_problem(3, start, D("2025-03-01"))
    assert problem is not None and "between 2026-03-01 and 2029-03-01" in problem
    assert court_expiry_problem(3, start, D("2029-03-02")) is not None


def test_minor_is_never_listed() -> None:
    born = D("2007-03-02")
    problem = minor_problem(born, D("2025-03-01"))
    assert problem is not None and "aged 17" in problem
    assert minor_problem(born, D("2025-03-02")) is None  # 18th birthday
    on_decision = minor_problem(born, D("2025-03-01"), "decisionDate")
    assert on_decision is not None and "(aged 17 on decisionDate 2025-03-01)" in on_decision


def test_loan_needs_six_calendar_months_at_confirmation() -> None:
    since = D("2024-01-31")
    assert loan_qualifies_on(since) == D("2024-07-31")
    problem = loan_problem(since, D("2024-07-30"))
    assert problem is not None and "from 2024-07-31" in problem
    assert loan_problem(since, D("2024-07-31")) is None
    assert loan_problem(D("2024-01-01"), D("2024-06-01")) is not None  # five months


ECO = Decider("ECOENV")
ADMIN = Decider(None, admin=True)
TODAY = D("2025-06-30")


COURT = Decider("COURT")


def listing(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "ECO-1",
        "department": "ECOENV",
        "source": "ADMINISTRATIVE",
        "decisionDate": D("2024-02-20"),
        "effectiveFrom": D("2024-03-01"),
        "derived": False,
    }
    base.update(kw)
    return base


COURT_LISTING = listing(id="C-1", source="COURT", department="COURT")
TAX = Decider("TAX")
TAX_BLACK = listing(id="TAX-1", department="TAX", list="BLACK", domain="TAX")
ECO_BLACK = listing(list="BLACK", domain="ENVIRONMENT")
ECO_WATCH = listing(list="WATCH", domain="ENVIRONMENT")


def test_a_repair_too_early_says_from_when() -> None:
    refusal = end_refusal(ECO_BLACK, EndReason.REPAIRED, D("2025-06-01"), ECO, TODAY)
    assert refusal is not None
    assert "from 2027-03-01" in refusal.message
    assert "ENVIRONMENT domain is not repairable early" in refusal.message


@pytest.mark.parametrize(
    ("row", "reason", "on", "who", "kind"),
    [
        (listing(), EndReason.ENDED, "2025-01-01", ECO, None),
        (listing(), EndReason.ENDED, "2025-01-01", ADMIN, None),
        (listing(), EndReason.ENDED, "2025-01-01", Decider("AMR"), RefusalKind.NOT_ALLOWED),
        (
            listing(endedOn=D("2024-12-01")),
            EndReason.ENDED,
            "2025-01-01",
            ECO,
            RefusalKind.CONFLICT,
        ),
        (listing(), EndReason.REMOVED, "2025-01-01", ECO, RefusalKind.INVALID),
        (listing(), EndReason.ENDED, "2024-02-01", ECO, RefusalKind.INVALID),  # before decision
        (listing(), EndReason.ENDED, "2025-07-01", ECO, RefusalKind.INVALID),  # future
        (listing(derived=True), EndReason.ENDED, "2025-01-01", ADMIN, RefusalKind.INVALID),
        # Court listings end only by the court that decided them, and never by repair.
        (COURT_LISTING, EndReason.REPAIRED, "2025-01-01", COURT, RefusalKind.INVALID),
        (COURT_LISTING, EndReason.REMOVED, "2025-01-01", COURT, None),
        (COURT_LISTING, EndReason.REVOKED, "2025-01-01", COURT, None),
        (COURT_LISTING, EndReason.REMOVED, "2025-01-01", ADMIN, RefusalKind.NOT_ALLOWED),
        (COURT_LISTING, EndReason.REVOKED, "2025-01-01", ADMIN, RefusalKind.NOT_ALLOWED),
        (COURT_LISTING, EndReason.REPAIRED, "2025-01-01", ADMIN, RefusalKind.NOT_ALLOWED),
        (
            COURT_LISTING,
            EndReason.REMOVED,
            "2025-01-01",
            Decider("COURT-BS"),
            RefusalKind.NOT_ALLOWED,
        ),
        (COURT_LISTING, EndReason.REMOVED, "2025-07-01", COURT, RefusalKind.INVALID),  # future
        # 信用修复 of a BLACK listing: after its minimum publicity period (one year), and in the
        # domains that exclude early repair after their maximum (three years).
        (TAX_BLACK, EndReason.REPAIRED, "2025-02-28", TAX, RefusalKind.CONFLICT),
        (TAX_BLACK, EndReason.REPAIRED, "2025-03-01", TAX, None),
        (TAX_BLACK, EndReason.ENDED, "2024-06-01", TAX, None),  # ending is not repair
        (ECO_BLACK, EndReason.REPAIRED, "2025-06-01", ECO, RefusalKind.CONFLICT),
        (ECO_WATCH, EndReason.REPAIRED, "2024-06-01", ECO, None),  # not a BLACK listing
    ],
)
def test_who_may_end_a_listing(
    row: dict[str, object], reason: EndReason, on: str, who: Decider, kind: RefusalKind | None
) -> None:
    refusal = end_refusal(row, reason, D(on), who, TODAY)
    assert (refusal.kind if refusal else None) == kind


def test_objection_rules() -> None:
    assert objection_refusal(listing(), D("2025-01-01"), ECO, TODAY) is None
    other = objection_refusal(listing(), D("2025-01-01"), Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED
    derived = objection_refusal(listing(derived=True, sourceId="X"), D("2025-01-01"), ADMIN, TODAY)
    assert derived is not None and "source listing X" in derived.message
    ended = objection_refusal(listing(endedOn=D("2024-12-01")), D("2025-01-01"), ECO, TODAY)
    assert ended is not None and ended.kind == RefusalKind.CONFLICT


def test_no_objection_to_an_expired_listing() -> None:
    expired = listing(expiresOn=D("2025-01-01"))
    refusal = objection_refusal(expired, D("2025-01-01"), ECO, TODAY)
    assert refusal is not None and refusal.kind == RefusalKind.CONFLICT
    assert "expired on 2025-01-01" in refusal.message
    assert objection_refusal(expired, D("2024-12-31"), ECO, TODAY) is None


def test_resolution_rules() -> None:
    open_one = {"id": "obj-1", "status": "OPEN", "filedOn": D("2025-01-01")}
    assert resolve_refusal(open_one, listing(), D("2025-02-01"), ECO, TODAY) is None
    early = resolve_refusal(open_one, listing(), D("2024-12-31"), ECO, TODAY)
    assert early is not None and early.kind == RefusalKind.INVALID
    done = resolve_refusal(
        {**open_one, "status": "REJECTED"}, listing(), D("2025-02-01"), ECO, TODAY
    )
    assert done is not None and done.kind == RefusalKind.CONFLICT
    other = resolve_refusal(open_one, listing(), D("2025-02-01"), Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED
    # An objection to a court listing is resolved by the court (upheld, it revokes the listing).
    assert resolve_refusal(open_one, COURT_LISTING, D("2025-02-01"), COURT, TODAY) is None
    admin = resolve_refusal(open_one, COURT_LISTING, D("2025-02-01"), ADMIN, TODAY)
    assert admin is not None and admin.kind == RefusalKind.NOT_ALLOWED
    assert admin.message == (
        "listing C-1 is a court listing: objections to it are resolved only by the court that "
        "decided it (COURT), not by ADMIN"
    )


def test_a_bank_may_repeat_but_not_change_a_confirmed_loan_listing() -> None:
    stored = {"subject.uscc": "U1", "principalOverdueSince": D("2023-09-01"), "basis": "依据"}
    same = {"subject.uscc": "U1", "principalOverdueSince": D("2023-09-01")}
    assert loan_rereport_problems("B-1", "NFRA", D("2024-03-01"), stored, same) == []
    changed = {**same, "subject.uscc": "U2", "basis": "新依据"}
    problems = loan_rereport_problems("B-1", "NFRA", D("2024-03-01"), stored, changed)
    assert [field for field, _ in problems] == ["subject.uscc", "basis"]
    assert problems[0][1] == (
        "loan listing B-1 was confirmed by NFRA on 2024-03-01: its subject is U1, not U2; a "
        "bank's re-report may not change a confirmed listing (only NFRA corrects it)"
    )


def test_aggravated_needs_two_domains_of_active_black() -> None:
    active, suspended = ListingState.ACTIVE, ListingState.SUSPENDED
    assert not aggravated([("BLACK", "TAX", active), ("BLACK", "TAX", active)])
    assert aggravated([("BLACK", "TAX", active), ("BLACK", "ENVIRONMENT", active)])
    assert not aggravated([("BLACK", "TAX", active), ("WATCH", "ENVIRONMENT", active)])
    assert not aggravated([("BLACK", "TAX", active), ("BLACK", "ENVIRONMENT", suspended)])
