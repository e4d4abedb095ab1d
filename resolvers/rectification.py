"""Rectification orders and warning interviews (限期整改, 约谈): order, record the rectification
or the interview, list a subject's orders and a department's overdue ones (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from hub.errors import InvalidInput
from hub.policy import acts_for_every_department
from hub.rules import rectification
from hub.rules.listings import Refusal, RefusalKind
from hub.store import rectifications
from hub.store.rectifications import RectificationRow
from resolvers.context import HubContext
from resolvers.lifecycle import department_asked
from resolvers.listings import change_of
from resolvers.requests import client_request, write_once
from resolvers.subjects import subject_key
from resolvers.workflow import decider, raise_refusal

MAX_TEXT = 2000


@dataclass(frozen=True)
class OrderRequest:
    uscc: str | None
    id_number: str | None
    content: str
    basis: str | None
    deadline: dt.date
    reason: str
    department: str | None
    on: dt.date | None


def _text(value: str | None, field: str, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if (required and not cleaned) or len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"{field} must be 1 to {MAX_TEXT} characters", field=field)
    return cleaned or None


async def order_rectification(
    ctx: HubContext, request: OrderRequest, request_id: str | None = None
) -> str:
    label, key = subject_key(request.uscc, request.id_number, today=ctx.today())
    department = request.department or ctx.actor.department
    if department is None:
        raise InvalidInput("department is required (the ordering department)", field="department")
    if not acts_for_every_department(ctx.actor) and department != ctx.actor.department:
        raise_refusal(
            Refusal(
                RefusalKind.NOT_ALLOWED,
                f"a {ctx.actor.department} key orders for {ctx.actor.department} only",
            )
        )
    change = change_of(ctx, request.on, request.reason)
    raise_refusal(rectification.order_problem(change.on, request.deadline, ctx.today()))
    order_id = "rect-" + uuid.uuid4().hex[:16]
    params = {
        "id": order_id,
        "deadline": request.deadline,
        "content": _text(request.content, "content", True),
        "basis": _text(request.basis, "basis", False),
        "department": department,
    }
    once = client_request(ctx, request_id, "orderRectification", request)
    done = await write_once(ctx, once, order_id, rectifications.order, label, key, params, change)
    return str(done)


async def record_step(
    ctx: HubContext,
    order_id: str,
    interview: bool,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> None:
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)
    rule = rectification.interview_refusal if interview else rectification.rectified_refusal

    def check(order: dict[str, Any]) -> None:
        raise_refusal(rule(order, change.on, who, today))

    operation = "recordInterview" if interview else "recordRectified"
    once = client_request(ctx, request_id, operation, order_id, note, on)
    await write_once(
        ctx, once, None, rectifications.record_step, order_id, interview, change, check
    )


async def overdue_orders(ctx: HubContext, department: str | None) -> list[RectificationRow]:
    code = department_asked(ctx, department)
    today = ctx.today()
    found = await ctx.store.read(rectifications.overdue_of, code, today)
    return rectification.overdue_orders(found, today)


async def orders_of(
    ctx: HubContext, uscc: str | None, id_number: str | None
) -> list[RectificationRow]:
    label, key = subject_key(uscc, id_number, today=ctx.today())
    return await ctx.store.read(rectifications.of_subject, label, key)


async def order_by_id(ctx: HubContext, order_id: str) -> RectificationRow | None:
    found = await ctx.store.read(rectifications.by_id, [order_id])
    return found[0][1] if found else None
