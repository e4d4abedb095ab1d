"""Publication compliance (pure): was an administrative action public within 7 working days of
its decision (the seed: 行政行为信息在7个工作日内上网公示)?

The deadline is hub/rules/workdays.publication_deadline (the official calendar, approximate
beyond the years it knows). An action published after its deadline is LATE; one not published
and past its deadline on ``today`` is MISSING; the others (on time, or not yet due) are not
findings. Days late are counted both as calendar days and as working days after the deadline
(to the publication, or to ``today`` while it is missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from hub.rules.workdays import Calendar, publication_deadline


class Finding(StrEnum):
    ON_TIME = "ON_TIME"
    NOT_YET_DUE = "NOT_YET_DUE"
    LATE = "LATE"
    MISSING = "MISSING"


@dataclass(frozen=True)
class Publication:
    finding: Finding
    deadline: dt.date
    approximate: bool  # the deadline or the working days late lie beyond the official calendar
    days_late: int  # calendar days after the deadline (0 when not late)
    working_days_late: int


def working_days_between(start: dt.date, end: dt.date, calendar: Calendar) -> tuple[int, bool]:
    """Working days after ``start`` up to and including ``end``; and if any was approximate."""
    count, approximate, day = 0, False, start
    while day < end:
        day += dt.timedelta(days=1)
        working, guessed = calendar.is_workday(day)
        approximate = approximate or guessed
        count += working
    return count, approximate


def publication(
    decided: dt.date, published: dt.date | None, today: dt.date, calendar: Calendar
) -> Publication:
    deadline, approximate = publication_deadline(decided, calendar)
    reached = published if published is not None else today
    if reached <= deadline:
        finding = Finding.ON_TIME if published is not None else Finding.NOT_YET_DUE
        return Publication(finding, deadline, approximate, 0, 0)
    working, guessed = working_days_between(deadline, reached, calendar)
    finding = Finding.LATE if published is not None else Finding.MISSING
    return Publication(
        finding, deadline, approximate or guessed, (reached - deadline).days, working
    )
