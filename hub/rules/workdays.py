"""Working days by the official calendar (chinesecalendar), with a documented fallback.

chinesecalendar knows the State Council's holiday and 调休 arrangements year by year up to its
last published year (2026 in version 1.11). For later dates, or earlier than 2004, it raises
NotImplementedError; we then count Monday to Friday as working days, minus the holidays, plus the
adjusted working days of ``graph_seed/holidays.toml`` (data: the fixed-date statutory holidays
until the year's notice is entered) and say so (``approximate``) unless that year is entered in
full there (``official = true``). Configured extra days (CREDITHUB_EXTRA_HOLIDAYS / _WORKDAYS)
decide before everything else and are taken as exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

from graph_seed.reference_data import HolidayYears, load_holidays

PUBLICATION_WORKING_DAYS = 7  # the seed: 行政行为信息在7个工作日内上网公示


@dataclass(frozen=True)
class Calendar:
    extra_holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()
    # graph_seed/holidays.toml: the years beyond the calendar package
    seed: HolidayYears = field(default_factory=HolidayYears)

    @classmethod
    def of(
        cls,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        seed: HolidayYears | None = None,
    ) -> Calendar:
        """The hub's calendar: the configured extra days and graph_seed/holidays.toml."""
        return cls(
            frozenset(holidays), frozenset(workdays), load_holidays() if seed is None else seed
        )

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(working day?, approximate?)."""
        if day in self.extra_workdays:
            return True, False
        if day in self.extra_holidays:
            return False, False
        try:
            return bool(chinese_calendar.is_workday(day)), False
        except NotImplementedError:
            guessed = day.year not in self.seed.official_years
            if day in self.seed.workdays:
                return True, guessed
            if day in self.seed.holidays:
                return False, guessed
            return day.weekday() < 5, guessed

    def add_working_days(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """The ``days``-th working day after ``start`` (start itself not counted)."""
        day, counted, approximate = start, 0, False
        while counted < days:
            day += dt.timedelta(days=1)
            working, guessed = self.is_workday(day)
            approximate = approximate or guessed
            if working:
                counted += 1
        return day, approximate


def publication_deadline(decided: dt.date, calendar: Calendar) -> tuple[dt.date, bool]:
    """Last day an action decided on ``decided`` may go public on time, and if approximate."""
    return calendar.add_working_days(decided, PUBLICATION_WORKING_DAYS)
