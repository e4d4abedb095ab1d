"""Working days and publicity periods (pure rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph_seed.reference_data import HolidayYears, load_holidays
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


def test_across_the_end_of_the_calendars_known_years_the_seed_holidays_count() -> None:
    """2026 is the package's last year; 2027-01-01 (元旦) comes from graph_seed/holidays.toml,
    so the hub's calendar skips it with no setting, and says the deadline is approximate."""
    deadline, approximate = publication_deadline(D(2026, 12, 30), Calendar.of())
    assert approximate
    assert deadline == D(2027, 1, 11)  # 12-31, then 01-04..01-08, 01-11 (01-01 off)
    assert publication_deadline(D(2026, 12, 1), Calendar.of()) == (D(2026, 12, 10), False)


def test_national_day_in_a_known_year_and_beyond_the_calendar() -> None:
    # 2026 (official calendar): 10-01..10-07 off, 10-10 (Sat) a 调休 working day.
    assert publication_deadline(D(2026, 9, 30), Calendar.of()) == (D(2026, 10, 15), False)
    # 2027 (fallback): the statutory 10-01..10-03 off (a Friday and a weekend), approximate:
    # 09-30, 10-04..10-08, 10-11.
    assert publication_deadline(D(2027, 9, 29), Calendar.of()) == (D(2027, 10, 11), True)
    # configured days decide before the seed: 10-01 declared a working day
    told = Calendar.of(workdays=[D(2027, 10, 1)])
    assert publication_deadline(D(2027, 9, 29), told) == (D(2027, 10, 8), True)


def test_a_year_entered_in_full_is_not_approximate() -> None:
    entered = HolidayYears(
        holidays=frozenset({D(2027, 10, 1), D(2027, 10, 4)}),
        workdays=frozenset({D(2027, 10, 9)}),  # a Saturday 调休
        official_years=frozenset({2027}),
    )
    calendar = Calendar.of(seed=entered)
    assert calendar.is_workday(D(2027, 10, 9)) == (True, False)
    assert calendar.is_workday(D(2027, 10, 4)) == (False, False)
    # 09-30, 10-05, 10-06, 10-07, 10-08, 10-09 (Sat, 调休), 10-11
    assert publication_deadline(D(2027, 9, 29), calendar) == (D(2027, 10, 11), False)


def test_the_holidays_file_is_checked(tmp_path: Any) -> None:
    assert D(2027, 1, 1) in load_holidays().holidays
    assert 2027 not in load_holidays().official_years
    wrong = tmp_path / "holidays.toml"
    wrong.write_text("[[year]]\nyear = 2027\nholidays = [2028-01-01]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a date of 2027"):
        load_holidays(wrong)
    both = tmp_path / "both.toml"
    both.write_text(
        "[[year]]\nyear = 2027\nholidays = [2027-10-09]\nworkdays = [2027-10-09]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="both a holiday and a working day"):
        load_holidays(both)


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
