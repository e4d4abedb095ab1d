"""The hub's clock: "today" is a date in one time zone (DESIGN.md: Asia/Shanghai by default,
``CREDITHUB_TIMEZONE``). Code that holds the settings uses ``Settings.clock``; Cypher gets the
day as the parameter ``$today``, never the host's date or a zone of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

COUNTY_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Clock:
    zone: ZoneInfo

    def now(self) -> dt.datetime:
        """This moment, in UTC (what is stored as recordedAt)."""
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return dt.datetime.now(self.zone).date()

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The date a moment falls on in this clock's zone."""
        return moment.astimezone(self.zone).date()


# The clock of code that is given no settings (the default of CREDITHUB_TIMEZONE).
COUNTY_CLOCK = Clock(ZoneInfo(COUNTY_TIMEZONE))
