"""The grade lists (公共信用综合评价, the seed 二(六); docs/feeds.md): the grade A list that
financial institutions pull (融资便利), and the grade D focus-supervision list (重点监管) of a
department, with the interview orders made when a subject became D (hub/importer/grade_orders.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hub.errors import Forbidden, InvalidInput
from hub.policy import acts_for_every_department
from hub.store import grades as store_grades
from hub.store.grades import GradedRow
from resolvers.context import HubContext
from resolvers.paging import decode_cursor, encode_cursor, page_size


@dataclass(frozen=True)
class GradePage:
    rows: list[GradedRow]
    as_of: dt.date
    more: bool
    cursor: str | None


def _after(after: str | None) -> int:
    """The position after the previous page (a position, not a key: the keys of persons are
    ID numbers, which a cursor must not carry to a masked role)."""
    position = decode_cursor(after)
    if position is None:
        return 0
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise InvalidInput("after: not a cursor this API returned", field="after")
    return position


def _division(division: str | None) -> str | None:
    if division is not None and not (len(division) == 6 and division.isdigit()):
        raise InvalidInput("division: a 6-digit division code", field="division")
    return division


def _paged(rows: list[GradedRow], size: int, skip: int, as_of: dt.date) -> GradePage:
    more = len(rows) > size
    shown = rows[:size]
    cursor = encode_cursor(skip + len(shown)) if more else None
    return GradePage(shown, as_of, more, cursor)


async def grade_a_list(
    ctx: HubContext,
    as_of: dt.date | None,
    division: str | None,
    kind: str | None,
    department: str | None,
    first: int,
    after: str | None,
) -> GradePage:
    """Subjects whose current grade on ``as_of`` (today by default) is A, by identifier."""
    size = page_size(first)
    day = as_of or ctx.today()
    filters = {
        "asOf": day,
        "division": _division(division),
        "kind": kind,
        "department": department or None,
    }
    skip = _after(after)
    found = await ctx.store.read_statements(
        store_grades.current_grade_page, "A", filters, size + 1, skip
    )
    return _paged(found, size, skip, day)


def focus_department(ctx: HubContext, asked: str | None) -> str | None:
    """Whose focus list: a DEPARTMENT key's own only; ADMIN the one asked (None: every one)."""
    if acts_for_every_department(ctx.actor):
        return asked or None
    if ctx.actor.department is None or asked not in (None, ctx.actor.department):
        raise Forbidden(f"this key reads the focus list of {ctx.actor.department} only")
    return ctx.actor.department


async def focus_list(
    ctx: HubContext,
    department: str | None,
    as_of: dt.date | None,
    division: str | None,
    first: int,
    after: str | None,
) -> GradePage:
    """Grade D subjects on ``as_of`` supervised by ``department`` (its own for a DEPARTMENT
    key), with their supervising departments and interview orders."""
    code = focus_department(ctx, department)
    size = page_size(first)
    day = as_of or ctx.today()
    filters = {"asOf": day, "division": _division(division), "department": code}
    skip = _after(after)
    found = await ctx.store.read_statements(store_grades.focus_page, filters, size + 1, skip)
    return _paged(found, size, skip, day)
