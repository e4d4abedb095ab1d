"""Publicity periods of penalty records (国办发〔2025〕22号, NDRC order No. 36, from 2026-04-01).

轻微 (MINOR): normally not published, at most 3 months; 一般 (GENERAL): at least 3 months, at most
1 year; 严重 (SERIOUS): at least 1 year, at most 3 years — counted from the decision date.
Publication stops automatically at the maximum. Other action types are published without an
end (许可 and the other 双公示 records stay public).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` calendar months later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# severity -> (minimum months, maximum months, published by default)
PERIODS: dict[str, tuple[int, int, bool]] = {
    "MINOR": (0, 3, False),
    "GENERAL": (3, 12, True),
    "SERIOUS": (12, 36, True),
}


@dataclass(frozen=True)
class Publicity:
    published_by_default: bool
    earliest_end: dt.date | None  # the minimum period ends (repair may end publication then)
    ends: dt.date | None  # publication stops automatically (None: no end)

    def public_on(self, day: dt.date, decided: dt.date) -> bool:
        if not self.published_by_default or day < decided:
            return False
        return self.ends is None or day < self.ends


def publicity(action_type: str, severity: str | None, decided: dt.date) -> Publicity:
    if action_type != "PENALTY" or severity not in PERIODS:
        return Publicity(True, None, None)
    minimum, maximum, published = PERIODS[severity]
    return Publicity(published, add_months(decided, minimum), add_months(decided, maximum))
