"""Public-servant status on a date (DESIGN.md, Lifecycle workflows: "Public-servant status is
dated"). Pure: the employments are passed in.

A person's employments (``WORKS_FOR {from, to, publicServant}``) decide: a public servant on
``day`` is one holding a public-servant employment that day (``from`` on or before it, ``to``
open or on or after it, as every role's dates). Data recorded before employments existed only
has the person's ``publicServant`` flag: for a person with **no** employment recorded the flag
still decides, so existing data keeps its meaning without a migration inventing employers;
once any employment is recorded, the flag no longer does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any


def held_on(employment: Mapping[str, Any], day: dt.date) -> bool:
    start, end = employment.get("from"), employment.get("to")
    return (start is None or start <= day) and (end is None or end >= day)


def public_servant_on(employments: Iterable[Mapping[str, Any]], flag: bool, day: dt.date) -> bool:
    """Whether the person is a public servant on ``day`` (see the module's docstring)."""
    recorded = list(employments)
    if not recorded:
        return flag
    return any(bool(e.get("publicServant")) and held_on(e, day) for e in recorded)
