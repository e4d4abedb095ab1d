"""Publication compliance, pure: 7 working days by the official calendar, across National Day."""

from __future__ import annotations

import datetime as dt

from hub.rules.compliance import Finding, publication
from hub.rules.workdays import Calendar

CALENDAR = Calendar()
# 2024 National Day: 1-7 October off; Sunday 29 September and Saturday 12 October worked.
FRIDAY_BEFORE = dt.date(2024, 9, 27)


def test_a_decision_before_national_day_is_due_on_the_saturday_worked_after_it() -> None:
    found = publication(FRIDAY_BEFORE, dt.date(2024, 10, 12), dt.date(2024, 12, 1), CALENDAR)
    assert found == publication(FRIDAY_BEFORE, dt.date(2024, 10, 12), dt.date(2025, 1, 1), CALENDAR)
    assert (found.finding, found.deadline, found.days_late) == (
        Finding.ON_TIME,
        dt.date(2024, 10, 12),
        0,
    )
    assert not found.approximate


def test_published_the_monday_after_is_two_days_and_one_working_day_late() -> None:
    found = publication(FRIDAY_BEFORE, dt.date(2024, 10, 14), dt.date(2024, 12, 1), CALENDAR)
    assert (found.finding, found.days_late, found.working_days_late) == (Finding.LATE, 2, 1)


def test_counted_by_weekdays_alone_the_deadline_would_fall_inside_the_holiday() -> None:
    # Monday-Friday counting would give 8 October; the holiday moves it four days on.
    found = publication(FRIDAY_BEFORE, dt.date(2024, 10, 9), dt.date(2024, 12, 1), CALENDAR)
    assert found.finding == Finding.ON_TIME


def test_never_published_is_missing_once_due_and_not_before() -> None:
    due = publication(FRIDAY_BEFORE, None, dt.date(2024, 10, 12), CALENDAR)
    assert due.finding == Finding.NOT_YET_DUE
    missing = publication(FRIDAY_BEFORE, None, dt.date(2024, 10, 18), CALENDAR)
    assert (missing.finding, missing.days_late, missing.working_days_late) == (
        Finding.MISSING,
        6,
        5,
    )


def test_beyond_the_official_calendar_the_deadline_says_it_is_approximate() -> None:
    found = publication(dt.date(2031, 3, 3), dt.date(2031, 3, 20), dt.date(2031, 4, 1), CALENDAR)
    assert found.approximate and found.finding == Finding.LATE
