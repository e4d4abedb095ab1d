"""Objections and repair applications as pure rules (hub/rules/objections.py, repair.py):
transitions, deadlines across National Day and past the calendar's years, minimum periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hub.rules.listings import Decider, RefusalKind, resolve_refusal
from hub.rules.objections import (
    action_objection_refusal,
    objection_deadline,
    open_objections,
    verification_refusal,
)
from hub.rules.rectification import (
    interview_refusal,
    order_problem,
    overdue_orders,
    rectified_refusal,
)
from hub.rules.repair import (
    Evidence,
    action_path,
    application_refusal,
    decision_refusal,
    listing_path,
    pending_applications,
    refusal_at_once,
)
from hub.rules.workdays import Calendar
from hub.store.rectifications import RectificationRow
from hub.store.repair_changes import RepairRow

D = dt.date.fromisoformat
TODAY = D("2026-12-07")
ECO = Decider("ECOENV")
CAL = Calendar.of()
FULL = Evidence(True, "承诺书 2026-1", "培训证明 88", "信用报告 X1")
BASIC = Evidence(True, "承诺书 2026-1")


def listing(**kw: Any) -> dict[str, Any]:
    return {
        "id": "ECO-1",
        "department": "ECOENV",
        "source": "ADMINISTRATIVE",
        "list": "BLACK",
        "domain": "TAX",
        "decisionDate": D("2024-03-01"),
        "effectiveFrom": D("2024-03-01"),
        **kw,
    }


def penalty(severity: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": "P-1",
        "label": "Action",
        "type": "PENALTY",
        "severity": severity,
        "department": "ECOENV",
        "decisionDate": D("2025-01-31"),
        "domain": "TAX",
        **kw,
    }


def objection(status: str = "FILED", **kw: Any) -> dict[str, Any]:
    return {"id": "obj-1", "status": status, "filedOn": D("2026-09-28"), **kw}


# --- objections ---


def test_the_deadline_skips_the_national_day_holiday() -> None:
    """Filed Monday 2026-09-28: 29 and 30 September count, 1-7 October do not, Saturday 10
    October is a 调休 working day: the tenth working day is 16 October (not 12 October)."""
    assert objection_deadline(D("2026-09-28"), CAL) == (D("2026-10-16"), False)


def test_a_deadline_past_the_calendar_years_says_it_is_approximate() -> None:
    assert objection_deadline(D("2026-12-10"), CAL) == (D("2026-12-24"), False)
    deadline, approximate = objection_deadline(D("2026-12-24"), CAL)
    assert approximate and deadline == D("2027-01-08")  # 1 January 2027 is a holiday


@pytest.mark.parametrize(
    ("status", "on", "who", "kind"),
    [
        ("FILED", "2026-09-29", ECO, None),
        ("OPEN", "2026-09-29", ECO, None),  # stored before the VERIFYING step
        ("VERIFYING", "2026-09-29", ECO, RefusalKind.CONFLICT),
        ("UPHELD", "2026-09-29", ECO, RefusalKind.CONFLICT),
        ("REJECTED", "2026-09-29", ECO, RefusalKind.CONFLICT),
        ("FILED", "2026-09-29", Decider("AMR"), RefusalKind.NOT_ALLOWED),
        ("FILED", "2026-09-27", ECO, RefusalKind.INVALID),  # before the filing
        ("FILED", "2026-12-08", ECO, RefusalKind.INVALID),  # the future
    ],
)
def test_only_a_filed_objection_starts_verification(
    status: str, on: str, who: Decider, kind: RefusalKind | None
) -> None:
    refusal = verification_refusal(objection(status), listing(), D(on), who, TODAY)
    assert (refusal.kind if refusal else None) == kind


@pytest.mark.parametrize(
    ("row", "on", "kind"),
    [
        (objection("FILED"), "2026-10-01", None),  # decided at once: allowed
        (objection("VERIFYING", verifyingOn=D("2026-10-08")), "2026-10-09", None),
        (objection("VERIFYING", verifyingOn=D("2026-10-08")), "2026-10-07", RefusalKind.INVALID),
        (objection("UPHELD"), "2026-10-09", RefusalKind.CONFLICT),
        (objection("REJECTED"), "2026-10-09", RefusalKind.CONFLICT),
    ],
)
def test_filed_or_verifying_objections_are_resolved(
    row: dict[str, Any], on: str, kind: RefusalKind | None
) -> None:
    refusal = resolve_refusal(row, listing(), D(on), ECO, TODAY)
    assert (refusal.kind if refusal else None) == kind


def test_an_objection_to_an_action_follows_its_department_and_dates() -> None:
    action = penalty("GENERAL")
    assert action_objection_refusal(action, D("2025-02-01"), ECO, TODAY) is None
    other = action_objection_refusal(action, D("2025-02-01"), Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED
    early = action_objection_refusal(action, D("2025-01-30"), ECO, TODAY)
    assert early is not None and early.kind == RefusalKind.INVALID
    revoked = {**action, "endedOn": D("2025-03-01"), "endReason": "REVOKED"}
    gone = action_objection_refusal(revoked, D("2025-03-01"), ECO, TODAY)
    assert gone is not None and gone.kind == RefusalKind.CONFLICT
    assert "revoked on 2025-03-01" in gone.message


def test_overdue_objections_come_first() -> None:
    rows = [
        {"id": "recent", "status": "FILED", "filedOn": D("2026-12-01")},
        {"id": "old", "status": "VERIFYING", "filedOn": D("2026-09-28")},
        {"id": "older", "status": "OPEN", "filedOn": D("2026-09-01")},
        {"id": "done", "status": "UPHELD", "filedOn": D("2026-08-01")},
    ]
    found = open_objections(rows, TODAY, CAL)
    assert [(o.row["id"], o.overdue) for o in found] == [
        ("older", True),
        ("old", True),
        ("recent", False),
    ]


# --- repair: minimum periods per severity, non-repairable records, conditions ---


@pytest.mark.parametrize(
    ("record", "earliest"),
    [
        (penalty("MINOR"), "2025-01-31"),  # no minimum period
        (penalty("GENERAL"), "2025-04-30"),  # 3 months (31 January → 30 April)
        (penalty("SERIOUS"), "2026-01-31"),  # one year
        (listing(), "2025-03-01"),  # a BLACK listing: one year from effectiveFrom
        (listing(domain="ENVIRONMENT"), "2027-03-01"),  # not repairable early: three years
        # a licence revocation in food/drug is not repairable early: the maximum (36 months)
        (penalty("SERIOUS", domain="FOOD_DRUG", penalties=["LICENCE_REVOCATION"]), "2028-01-31"),
        (penalty("SERIOUS", domain="FOOD_DRUG", penalties=["FINE"]), "2026-01-31"),
    ],
)
def test_repair_succeeds_exactly_on_the_minimum_period_and_not_a_day_before(
    record: dict[str, Any], earliest: str
) -> None:
    path = action_path(record) if record.get("label") == "Action" else listing_path(record)
    assert path.earliest == D(earliest)
    assert refusal_at_once(path, FULL, D(earliest), "record") is None
    before = refusal_at_once(path, FULL, D(earliest) - dt.timedelta(days=1), "record")
    assert before is not None and f"from {earliest}" in before


@pytest.mark.parametrize(
    ("record", "why"),
    [
        (listing(source="COURT", department="COURT"), "only by the court"),
        (listing(list="RED"), "incentive"),
        (penalty("GENERAL", type="LICENSE"), "only a penalty"),
    ],
)
def test_records_that_cannot_be_repaired(record: dict[str, Any], why: str) -> None:
    path = action_path(record) if record.get("label") == "Action" else listing_path(record)
    assert path.earliest is None
    refusal = refusal_at_once(path, FULL, TODAY, "record")
    assert refusal is not None and why in refusal


def test_a_missing_condition_is_named() -> None:
    serious = action_path(penalty("SERIOUS"))
    refusal = refusal_at_once(serious, BASIC, TODAY, "action P-1")
    assert refusal == "a condition is missing: REPAIR_TRAINING, CREDIT_REPORT"
    assert refusal_at_once(action_path(penalty("GENERAL")), BASIC, TODAY, "action P-1") is None
    no_commitment = refusal_at_once(listing_path(listing()), Evidence(True), TODAY, "listing")
    assert no_commitment is not None and "PUBLIC_COMMITMENT" in no_commitment


def test_an_application_is_recorded_only_once_and_decided_only_while_pending() -> None:
    target = {**listing(), "label": "Listing"}
    pending = application_refusal(target, ["rep-1"], TODAY, ECO, TODAY)
    assert pending is not None and pending.kind == RefusalKind.CONFLICT
    ended = application_refusal({**target, "endedOn": D("2026-01-01")}, [], TODAY, ECO, TODAY)
    assert ended is not None and ended.kind == RefusalKind.CONFLICT
    assert application_refusal(target, [], TODAY, ECO, TODAY) is None
    other = application_refusal(target, [], TODAY, Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED
    application = {"id": "rep-1", "status": "PENDING", "requestedOn": D("2026-12-01")}
    assert decision_refusal(application, target, True, TODAY, ECO, TODAY) is None
    for status in ("APPROVED", "REFUSED"):
        done = decision_refusal({**application, "status": status}, target, True, TODAY, ECO, TODAY)
        assert done is not None and done.kind == RefusalKind.CONFLICT
    none = decision_refusal(None, target, True, TODAY, ECO, TODAY)
    assert none is not None and none.kind == RefusalKind.CONFLICT
    assert "no pending repair application" in none.message
    early = decision_refusal(application, target, False, D("2026-11-30"), ECO, TODAY)
    assert early is not None and early.kind == RefusalKind.INVALID


# --- rectification and interviews ---


def order(**kw: Any) -> dict[str, Any]:
    return {
        "id": "rect-1",
        "status": "ORDERED",
        "department": "ECOENV",
        "orderedOn": D("2026-11-02"),
        "deadline": D("2026-11-30"),
        **kw,
    }


def test_an_order_needs_a_deadline_after_it() -> None:
    assert order_problem(D("2026-11-02"), D("2026-11-30"), TODAY) is None
    same = order_problem(D("2026-11-02"), D("2026-11-02"), TODAY)
    assert same is not None and same.kind == RefusalKind.INVALID
    future = order_problem(D("2026-12-08"), D("2026-12-30"), TODAY)
    assert future is not None and future.kind == RefusalKind.INVALID


@pytest.mark.parametrize(
    ("row", "on", "kind"),
    [
        (order(), "2026-11-30", RefusalKind.CONFLICT),  # on the deadline: not missed yet
        (order(), "2026-12-01", None),  # the day after: missed
        (
            order(status="RECTIFIED", rectifiedOn=D("2026-11-20")),
            "2026-12-01",
            RefusalKind.CONFLICT,
        ),
        (order(status="INTERVIEWED"), "2026-12-02", RefusalKind.CONFLICT),
        (order(), "2026-12-08", RefusalKind.INVALID),  # the future
    ],
)
def test_an_interview_is_recorded_only_when_the_deadline_was_missed(
    row: dict[str, Any], on: str, kind: RefusalKind | None
) -> None:
    refusal = interview_refusal(row, D(on), ECO, TODAY)
    assert (refusal.kind if refusal else None) == kind


def test_rectified_once_after_the_order_and_any_interview() -> None:
    assert rectified_refusal(order(), D("2026-11-20"), ECO, TODAY) is None
    interviewed = order(status="INTERVIEWED", interviewedOn=D("2026-12-03"))
    assert rectified_refusal(interviewed, D("2026-12-04"), ECO, TODAY) is None
    before = rectified_refusal(interviewed, D("2026-12-02"), ECO, TODAY)
    assert before is not None and before.kind == RefusalKind.INVALID
    done = rectified_refusal(
        order(status="RECTIFIED", rectifiedOn=D("2026-11-20")), TODAY, ECO, TODAY
    )
    assert done is not None and done.kind == RefusalKind.CONFLICT
    other = rectified_refusal(order(), D("2026-11-20"), Decider("AMR"), TODAY)
    assert other is not None and other.kind == RefusalKind.NOT_ALLOWED


def stored_order(**kw: Any) -> RectificationRow:
    """An order as the store reads it (``order`` is the map a write-side rule checks)."""
    given = {**order(), **kw}
    return RectificationRow(
        id=given["id"],
        subject_label="Enterprise",
        status=given["status"],
        department=given["department"],
        content="限期整改",
        ordered_on=given["orderedOn"],
        deadline=given["deadline"],
    )


def test_overdue_orders_longest_first() -> None:
    rows = [
        stored_order(id="a", deadline=D("2026-12-01")),
        stored_order(id="b", deadline=D("2026-11-01")),
        stored_order(id="c", deadline=D("2026-12-07")),  # due today: not overdue
        stored_order(id="d", deadline=D("2026-10-01"), status="INTERVIEWED"),
    ]
    assert [r.id for r in overdue_orders(rows, TODAY)] == ["b", "a"]


def test_pending_repair_applications_overdue_first() -> None:
    rows = [
        RepairRow("new", "PENDING", D("2026-12-01")),
        RepairRow("old", "PENDING", D("2026-09-28")),  # due 2026-10-16
        RepairRow("done", "APPROVED", D("2026-09-01")),
    ]
    found = pending_applications(rows, TODAY, CAL)
    assert [(row.id, late) for row, late in found] == [("old", True), ("new", False)]
