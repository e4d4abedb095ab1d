"""Validity intervals: every role, shareholding, listing and objection is valid on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def active_on(raw: Mapping[str, Any], day: dt.date, start: str = "from", end: str = "to") -> bool:
    """True when ``day`` lies in [start, end]; both bounds inclusive, a missing bound is open.

    ``to`` is the last day a role or share was held (the day before a successor's ``from``).
    """
    return within(raw.get(start), raw.get(end), day)


def within(first: dt.date | None, last: dt.date | None, day: dt.date) -> bool:
    """True when ``day`` lies in [first, last], both inclusive, a missing bound open: a typed
    row's validity (``active_on`` reads the bounds off a map)."""
    return (first is None or first <= day) and (last is None or last >= day)
