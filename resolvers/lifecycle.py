"""Lifecycle workflows beyond listing and ending: the whole objection (to a listing or an
administrative action, with its VERIFYING step and deadline) and repair applications
(docs/lifecycle.md). Each step locks, applies the pure rule and writes one dated event."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from hub.errors import Forbidden, InvalidInput
from hub.policy import acts_for_every_department
from hub.rules import objections, repair
from hub.rules.listings import resolve_refusal
from hub.rules.repair import Evidence, RepairStatus
from hub.store import objection_changes, repair_changes
from hub.store.listing_reads import ObjectionRow
from hub.store.repair_changes import RepairRow
from resolvers.context import HubContext
from resolvers.listings import change_of, file_objection
from resolvers.requests import client_request, write_once
from resolvers.workflow import decider, raise_refusal

MAX_EVIDENCE = 2000


async def file_any_objection(
    ctx: HubContext,
    listing_id: str | None,
    action_id: str | None,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> str:
    """An objection against exactly one of a listing or an administrative action."""
    if (listing_id is None) == (action_id is None):
        raise InvalidInput("give exactly one of listingId and actionId", field="listingId")
    if listing_id is not None:
        return await file_objection(ctx, listing_id, note, on, request_id)
    assert action_id is not None  # noqa: S101 - exactly one was given
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)
    objection_id = "obj-" + uuid.uuid4().hex[:16]

    def check(action: dict[str, Any]) -> None:
        raise_refusal(objections.action_objection_refusal(action, change.on, who, today))

    request = client_request(ctx, request_id, "fileObjection", None, action_id, note, on)
    done = await write_once(
        ctx,
        request,
        objection_id,
        objection_changes.file_action_objection,
        action_id,
        objection_id,
        change,
        check,
    )
    return str(done)


async def start_verification(
    ctx: HubContext,
    objection_id: str,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> None:
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)

    def check(objection: dict[str, Any], record: dict[str, Any]) -> None:
        raise_refusal(objections.verification_refusal(objection, record, change.on, who, today))

    request = client_request(ctx, request_id, "startVerification", objection_id, note, on)
    await write_once(
        ctx, request, None, objection_changes.start_verification, objection_id, change, check
    )


async def resolve_objection(
    ctx: HubContext,
    objection_id: str,
    upheld: bool,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> None:
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)

    def check(objection: dict[str, Any], record: dict[str, Any]) -> None:
        raise_refusal(resolve_refusal(objection, record, change.on, who, today))

    request = client_request(ctx, request_id, "resolveObjection", objection_id, upheld, note, on)
    await write_once(
        ctx, request, None, objection_changes.resolve_objection, objection_id, upheld, change, check
    )


def department_asked(ctx: HubContext, asked: str | None) -> str:
    """A DEPARTMENT key asks about its own department; ADMIN about any (it must name one)."""
    if acts_for_every_department(ctx.actor):
        if asked is None:
            raise InvalidInput("name the department", field="department")
        return asked
    if asked not in (None, ctx.actor.department):
        raise Forbidden(f"a {ctx.actor.department} key sees its own department's work only")
    assert ctx.actor.department is not None  # noqa: S101 - a DEPARTMENT key has one
    return ctx.actor.department


async def open_objections(
    ctx: HubContext, department: str | None
) -> list[objections.OpenObjection[ObjectionRow]]:
    code = department_asked(ctx, department)
    found = await ctx.store.read(objection_changes.open_objections, code)
    return objections.open_in_order(
        ((o, o.status.value, o.filed_on, o.id) for o in found), ctx.today(), ctx.calendar
    )


@dataclass(frozen=True)
class RepairRequest:
    listing_id: str | None
    action_id: str | None
    conduct_corrected: bool
    public_commitment: str | None
    repair_training: str | None
    credit_report: str | None
    reason: str
    on: dt.date | None


def _evidence(request: RepairRequest) -> Evidence:
    texts = {
        "publicCommitment": request.public_commitment,
        "repairTraining": request.repair_training,
        "creditReport": request.credit_report,
    }
    for field, text in texts.items():
        if text is not None and len(text) > MAX_EVIDENCE:
            raise InvalidInput(f"{field} is longer than {MAX_EVIDENCE} characters", field=field)
    return Evidence(
        conduct_corrected=request.conduct_corrected,
        public_commitment=(request.public_commitment or "").strip() or None,
        repair_training=(request.repair_training or "").strip() or None,
        credit_report=(request.credit_report or "").strip() or None,
    )


async def apply_for_repair(
    ctx: HubContext, request: RepairRequest, request_id: str | None = None
) -> str:
    """Record an application; it is REFUSED at once (with the reason and the earliest day one
    can succeed) when too early, not repairable or incomplete, else PENDING."""
    if (request.listing_id is None) == (request.action_id is None):
        raise InvalidInput("give exactly one of listingId and actionId", field="listingId")
    label = "Listing" if request.listing_id is not None else "Action"
    target_id = str(request.listing_id or request.action_id)
    evidence = _evidence(request)
    change = change_of(ctx, request.on, request.reason)
    today, who = ctx.today(), decider(ctx)
    repair_id = "rep-" + uuid.uuid4().hex[:16]

    def check(target: dict[str, Any], pending: list[str]) -> repair_changes.Outcome:
        raise_refusal(repair.application_refusal(target, pending, change.on, who, today))
        path = repair.listing_path(target) if label == "Listing" else repair.action_path(target)
        what = f"{label.lower()} {target_id}"
        refusal = repair.refusal_at_once(path, evidence, change.on, what)
        status = RepairStatus.PENDING if refusal is None else RepairStatus.REFUSED
        return status.value, refusal, path.earliest

    stored = {
        "conductCorrected": evidence.conduct_corrected,
        "publicCommitment": evidence.public_commitment,
        "repairTraining": evidence.repair_training,
        "creditReport": evidence.credit_report,
    }
    once = client_request(ctx, request_id, "applyForRepair", request)
    done = await write_once(
        ctx,
        once,
        repair_id,
        repair_changes.apply_repair,
        label,
        target_id,
        repair_id,
        stored,
        change,
        check,
    )
    return str(done)


async def decide_repair(
    ctx: HubContext,
    repair_id: str | None,
    approved: bool,
    note: str,
    on: dt.date | None,
    listing_id: str | None = None,
    request_id: str | None = None,
) -> str:
    """Approve or refuse an application (given, or the pending one of ``listing_id``)."""
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)

    def check(application: dict[str, Any] | None, target: dict[str, Any]) -> None:
        raise_refusal(repair.decision_refusal(application, target, approved, change.on, who, today))

    operation = "decideRepair" if repair_id is not None else "endListing"
    request = client_request(ctx, request_id, operation, repair_id, listing_id, approved, note, on)
    done = await write_once(
        ctx,
        request,
        None,
        repair_changes.decide_repair,
        repair_id,
        listing_id,
        approved,
        change,
        check,
    )
    return str(done)


async def pending_repairs(ctx: HubContext, department: str | None) -> list[RepairRow]:
    """A department's PENDING applications, overdue ones first."""
    code = department_asked(ctx, department)
    found = await ctx.store.read(repair_changes.open_repairs, code)
    return [row for row, _ in repair.pending_applications(found, ctx.today(), ctx.calendar)]


async def repair_by_id(ctx: HubContext, repair_id: str) -> RepairRow | None:
    found = await ctx.store.read(repair_changes.repairs_by_id, [repair_id])
    return found[0][1] if found else None
