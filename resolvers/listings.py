"""Listing workflows: list a subject, end a listing, file and resolve an objection.

``listSubject`` goes through the importer (one record of kind ``listing``): the same
validation, reference checks, ownership rule, events and propagation as an upload, in one
transaction. The other workflows lock the node, apply the pure rule and write one event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson

from hub.auth import Role
from hub.errors import Conflict, Forbidden, HubError, InvalidInput
from hub.importer.runner import run_import
from hub.rules import listings as rules
from hub.rules.listings import Decider, EndReason, Refusal, RefusalKind
from hub.store import listing_changes as changes
from resolvers.context import HubContext

MAX_REASON = 2000


def _raise(refusal: Refusal | None) -> None:
    if refusal is None:
        return
    if refusal.kind == RefusalKind.NOT_ALLOWED:
        raise Forbidden(refusal.message)
    if refusal.kind == RefusalKind.CONFLICT:
        raise Conflict(refusal.message)
    raise InvalidInput(refusal.message)


def _decider(ctx: HubContext) -> Decider:
    return Decider(department=ctx.actor.department, admin=ctx.actor.role == Role.ADMIN)


def _reason(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_REASON:
        raise InvalidInput(f"reason must be 1 to {MAX_REASON} characters", field="reason")
    return cleaned


def _change(ctx: HubContext, on: dt.date | None, note: str) -> changes.Change:
    return changes.Change(
        on=on or ctx.today(),
        note=_reason(note),
        by=ctx.actor.key_id,
        department=ctx.actor.department if ctx.actor.role != Role.ADMIN else "ADMIN",
        now=dt.datetime.now(dt.UTC),
        batch="m-" + uuid.uuid4().hex[:16],
    )


async def list_subject(ctx: HubContext, record: dict[str, Any]) -> str:
    """Import one ``listing`` record for the caller; the listing id, or an error per problem."""
    department = record.get("department") or ctx.actor.department
    if department is None:
        raise InvalidInput("department is required (the deciding department)", field="department")
    if ctx.actor.role != Role.ADMIN and department != ctx.actor.department:
        raise Forbidden(f"a {ctx.actor.department} key may only list for {ctx.actor.department}")
    record = {"kind": "listing", **record, "department": department}
    line = orjson.dumps({k: v for k, v in record.items() if v is not None})
    report = await run_import(
        ctx.store,
        [line],
        actor=ctx.actor,
        department=str(department),
        source="graphql:listSubject",
        max_line_bytes=ctx.settings.max_line_bytes,
    )
    if not report.committed:
        raise HubError(report.failure or "the listing was not written", code=report.failure_code)
    if report.errors:
        first = report.errors[0]
        raise InvalidInput(
            "; ".join(f"{e.field}: {e.reason}" for e in report.errors),
            field=first.field,
            problems=[{"field": e.field, "reason": e.reason} for e in report.errors],
        )
    return str(record["id"])


async def end_listing(
    ctx: HubContext, listing_id: str, reason: EndReason, note: str, on: dt.date | None
) -> None:
    change = _change(ctx, on, note)
    today, who = ctx.today(), _decider(ctx)

    def check(listing: dict[str, Any]) -> None:
        _raise(rules.end_refusal(listing, reason, change.on, who, today))

    await ctx.store.write(changes.end_listing, listing_id, reason.value, change, check)


async def file_objection(ctx: HubContext, listing_id: str, note: str, on: dt.date | None) -> str:
    change = _change(ctx, on, note)
    today, who = ctx.today(), _decider(ctx)
    objection_id = "obj-" + uuid.uuid4().hex[:16]

    def check(listing: dict[str, Any]) -> None:
        _raise(rules.objection_refusal(listing, change.on, who, today))

    await ctx.store.write(changes.file_objection, listing_id, objection_id, change, check)
    return objection_id


async def resolve_objection(
    ctx: HubContext, objection_id: str, upheld: bool, note: str, on: dt.date | None
) -> str:
    change = _change(ctx, on, note)
    today, who = ctx.today(), _decider(ctx)

    def check(objection: dict[str, Any], listing: dict[str, Any]) -> None:
        _raise(rules.resolve_refusal(objection, listing, change.on, who, today))

    return await ctx.store.write(changes.resolve_objection, objection_id, upheld, change, check)
