"""Listing workflows: list a subject, end a listing, file and resolve an objection.

``listSubject`` is one record of kind ``listing``: the same validation, authorization,
reference checks, ownership rule, events and propagation as an upload, in one transaction of
two round trips (hub/importer/listing_single.py). The other workflows lock the node, apply
the pure rule and write one event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson

from hub.errors import Forbidden, InvalidInput
from hub.importer.listing_records import ListingRecord
from hub.importer.listing_single import ListingRejected, write_listing
from hub.importer.parse import LineError, parse_line
from hub.importer.runner import authorize_line
from hub.policy import acts_for_every_department
from hub.rules import listings
from hub.rules.listings import EndReason
from hub.store import listing_changes
from hub.store.imports import Provenance
from hub.store.listing_reads import ListingRow
from resolvers.context import HubContext
from resolvers.requests import client_request, write_once
from resolvers.workflow import decider, invalid_lines, raise_refusal, reason_text


def change_of(ctx: HubContext, on: dt.date | None, note: str) -> listing_changes.Change:
    return listing_changes.Change(
        on=on or ctx.today(),
        note=reason_text(note),
        by=ctx.actor.key_id,
        department="ADMIN" if acts_for_every_department(ctx.actor) else ctx.actor.department,
        now=dt.datetime.now(dt.UTC),
        batch="m-" + uuid.uuid4().hex[:16],
    )


async def list_subject(ctx: HubContext, record: dict[str, Any]) -> ListingRow:
    """Validate and write one ``listing`` record for the caller; the listing as stored."""
    department = record.get("department") or ctx.actor.department
    if department is None:
        raise InvalidInput("department is required (the deciding department)", field="department")
    given = {k: v for k, v in record.items() if v is not None}
    line = orjson.dumps({"kind": "listing", **given, "department": department})
    parsed = parse_line(1, line, ctx.settings.max_line_bytes)
    if isinstance(parsed, LineError):
        parsed = [parsed]
    if isinstance(parsed, list) or parsed is None:
        raise invalid_lines(parsed or [])
    assert isinstance(parsed, ListingRecord)  # noqa: S101 - kind "listing" was given
    refusal = authorize_line(parsed, ctx.actor)
    if refusal is not None:
        raise Forbidden(refusal)
    prov = Provenance("b-" + uuid.uuid4().hex[:16], str(department), dt.datetime.now(dt.UTC))
    try:
        written: ListingRow = await ctx.store.write(
            write_listing, parsed, prov, ctx.actor.key_id, "graphql:listSubject"
        )
        return written
    except ListingRejected as rejected:
        raise invalid_lines(rejected.errors) from None


async def end_listing(
    ctx: HubContext,
    listing_id: str,
    reason: EndReason,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> None:
    """End a listing as ENDED, REVOKED or REMOVED (REPAIRED is the approval of a repair
    application: resolvers/lifecycle.py)."""
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)

    def check(listing: dict[str, Any]) -> None:
        raise_refusal(listings.end_refusal(listing, reason, change.on, who, today))

    request = client_request(ctx, request_id, "endListing", listing_id, reason, note, on)
    await write_once(
        ctx, request, None, listing_changes.end_listing, listing_id, reason.value, change, check
    )


async def file_objection(
    ctx: HubContext,
    listing_id: str,
    note: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> str:
    change = change_of(ctx, on, note)
    today, who = ctx.today(), decider(ctx)
    objection_id = "obj-" + uuid.uuid4().hex[:16]

    def check(listing: dict[str, Any]) -> None:
        raise_refusal(listings.objection_refusal(listing, change.on, who, today))

    request = client_request(ctx, request_id, "fileObjection", listing_id, None, note, on)
    done = await write_once(
        ctx,
        request,
        objection_id,
        listing_changes.file_objection,
        listing_id,
        objection_id,
        change,
        check,
    )
    return str(done)
