"""Rectification orders and warning interviews (限期整改, 约谈; 隆政办发〔2020〕6号 二(九)) as pure
rules (docs/lifecycle.md).

ORDERED → RECTIFIED (done, in time or late), or, once the deadline has passed without it,
ORDERED → INTERVIEWED (a warning interview, which enters the credit record) → RECTIFIED.
The deadline is the order's own date (the department sets it); an order is overdue from the
day after its deadline while it is still ORDERED.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from hub.rules.listings import Decider, Refusal, RefusalKind


class RectificationStatus(StrEnum):
    ORDERED = "ORDERED"  # 限期整改: to be done by the deadline
    RECTIFIED = "RECTIFIED"  # done (rectifiedOn; late when after the deadline)
    INTERVIEWED = "INTERVIEWED"  # the deadline was missed: a warning interview (约谈) was held


def _invalid(message: str) -> Refusal:
    return Refusal(RefusalKind.INVALID, message)


def _conflict(message: str) -> Refusal:
    return Refusal(RefusalKind.CONFLICT, message)


def order_problem(ordered_on: dt.date, deadline: dt.date, today: dt.date) -> Refusal | None:
    """Why an order dated ``ordered_on`` with ``deadline`` cannot be recorded, or None."""
    if ordered_on > today:
        return _invalid(
            f"on {ordered_on.isoformat()} is in the future (today is {today.isoformat()})"
        )
    if deadline <= ordered_on:
        return _invalid(
            f"deadline {deadline.isoformat()} must be after the order's date "
            f"{ordered_on.isoformat()}"
        )
    return None


def _common(order: Mapping[str, Any], on: dt.date, who: Decider, today: dt.date) -> Refusal | None:
    if not who.admin and order.get("department") != who.department:
        return Refusal(
            RefusalKind.NOT_ALLOWED,
            f"rectification order {order['id']} was made by {order.get('department')}; only that "
            "department or an ADMIN records what followed",
        )
    if on > today:
        return _invalid(f"on {on.isoformat()} is in the future (today is {today.isoformat()})")
    ordered: dt.date = order["orderedOn"]
    if on < ordered:
        return _invalid(f"on {on.isoformat()} is before the order ({ordered.isoformat()})")
    return None


def rectified_refusal(
    order: Mapping[str, Any], on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why the rectification cannot be recorded as done on ``on``, or None."""
    common = _common(order, on, who, today)
    if common is not None:
        return common
    if order.get("status") == RectificationStatus.RECTIFIED:
        return _conflict(
            f"rectification order {order['id']} was already rectified on "
            f"{order['rectifiedOn'].isoformat()}"
        )
    interviewed: dt.date | None = order.get("interviewedOn")
    if interviewed is not None and on < interviewed:
        return _invalid(f"on {on.isoformat()} is before the interview ({interviewed.isoformat()})")
    return None


def interview_refusal(
    order: Mapping[str, Any], on: dt.date, who: Decider, today: dt.date
) -> Refusal | None:
    """Why a warning interview cannot be recorded on ``on``, or None: only for an ORDERED order
    whose deadline has passed (it was missed)."""
    common = _common(order, on, who, today)
    if common is not None:
        return common
    status = str(order.get("status"))
    if status != RectificationStatus.ORDERED:
        return _conflict(
            f"rectification order {order['id']} is {status}: an interview is recorded only for "
            "an ORDERED one whose deadline was missed"
        )
    deadline: dt.date = order["deadline"]
    if on <= deadline:
        return _conflict(
            f"the deadline of rectification order {order['id']} is {deadline.isoformat()}: it "
            f"is missed only from {(deadline + dt.timedelta(days=1)).isoformat()}"
        )
    return None


class Order(Protocol):
    """What the overdue rule reads of an order (the store's ``RectificationRow``)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def deadline(self) -> dt.date: ...


OrderT = TypeVar("OrderT", bound=Order)


def overdue(order: Order, today: dt.date) -> bool:
    return order.status == RectificationStatus.ORDERED and order.deadline < today


def overdue_orders(rows: Iterable[OrderT], today: dt.date) -> list[OrderT]:
    """ORDERED orders past their deadline, the longest overdue first."""
    found = [r for r in rows if overdue(r, today)]
    return sorted(found, key=lambda r: (r.deadline, r.id))
