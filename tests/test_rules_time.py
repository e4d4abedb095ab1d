"""Working days and publicity periods (pure rules)."""

from __future__ import annotations

import datetime as dt

from hub.rules.publicity import add_months, publicity
from hub.rules.workdays import Calendar, publication_deadline

D = dt.date


def test_seven_working_days_skip_the_national_day_holiday() -> None:
    # 2025-09-30 (Tue): 10-01..10-08 are holidays, 09-28 and 10-11 are 调休 working days.
    deadline, approximate = publication_deadline(D(2025, 9, 30), Calendar())
    assert not approximate
    # 10-09 Thu, 10-10 Fri, 10-11 Sat (调休), 10-13 Mon, 10-14, 10-15, 10-16.
    assert deadline == D(2025, 10, 16)


def test_weekend_working_day_counts() -> None:
    # 2025-09-26 (Fri) + 7: 09-28 (Sun, 调休), 09-29, 09-30, 10-09, 10-10, 10-11 (Sat, 调休), 10-13.
    deadline, _ = publication_deadline(D(2025, 9, 26), Calendar())
    assert deadline == D(2025, 10, 13)
    working, approximate = Calendar().is_workday(D(2025, 9, 28))
    assert working
    assert not approximate


def test_beyond_the_calendar_falls_back_to_weekends_and_configured_days() -> None:
    calendar = Calendar.of(holidays=[D(2027, 1, 1)])
    deadline, approximate = publication_deadline(D(2026, 12, 30), calendar)
    assert approximate
    # 12-31 (Thu), 01-01 holiday, 01-04..01-08 Mon-Fri, 01-11 -> 7th working day.
    assert deadline == D(2027, 1, 11)


def test_penalty_publicity_periods() -> None:
    decided = D(2026, 4, 15)
    minor = publicity("PENALTY", "MINOR", decided)
    assert not minor.public_on(D(2026, 4, 20), decided)
    general = publicity("PENALTY", "GENERAL", decided)
    assert general.earliest_end == D(2026, 7, 15)
    assert general.public_on(D(2027, 4, 14), decided)
    assert not general.public_on(D(2027, 4, 15), decided)
    serious = publicity("PENALTY", "SERIOUS", decided)
    assert serious.earliest_end == D(2027, 4, 15)
    assert serious.ends == D(2029, 4, 15)
    licence = publicity("LICENSE", None, decided)
    assert licence.ends is None
    assert licence.public_on(D(2040, 1, 1), decided)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
