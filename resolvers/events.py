"""The event log for its readers: pages, the live stream, watchlists (docs/feeds.md).

What a caller sees: PUBLIC only public events (BLACK and RED listings, not derived entries),
without reasons; a keyed caller every event, personal identifiers masked unless its role sees
personal data (whose reads of persons' events are audited, as every other read of them).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from graph_seed.reference_data import load_domains
from hub.errors import Forbidden, InvalidInput, Unauthenticated
from hub.identifiers import mask_id_number, mask_id_numbers_in
from hub.policy import sees_unpublished, warning_scope
from hub.store import event_reads
from hub.store import events as store_events
from hub.store.event_reads import EventRow
from resolvers import subjects
from resolvers.audit import record_reads
from resolvers.context import HubContext
from resolvers.paging import page_size
from resolvers.warnings import warning_of

EVENT_TYPES = store_events.EVENT_TYPES  # for the GraphQL enum (schema/events.py)
POLL_SECONDS = 0.2  # how often a live subscription looks for new events once it has caught up
MAX_FILTER_VALUES = 1000  # subjects or domains in one filter, or in one watchlist change


@dataclass(frozen=True)
class EventQuery:
    """What to select: None where a filter is not given; ``watchlist``: the caller's own."""

    subjects: list[str] | None = None
    domains: list[str] | None = None
    types: list[str] | None = None
    grades: list[str] | None = None  # evaluation changes into or out of these grades
    watchlist: bool = False
    warned_for: str | None = None  # only early warnings naming this department


def subject_key(uscc: str | None, id_number: str | None, field: str = "subjects") -> str:
    """The key of a SubjectRef (exactly one of uscc and idNumber), validated."""
    return subjects.subject_key(uscc, id_number, field)[1]


def _bounded(values: list[str] | None, field: str) -> list[str] | None:
    if values is not None and len(values) > MAX_FILTER_VALUES:
        raise InvalidInput(f"at most {MAX_FILTER_VALUES} values", field=field)
    return values


async def _filters(ctx: HubContext, query: EventQuery) -> dict[str, Any]:
    watch_subjects: list[str] | None = None
    watch_domains: list[str] | None = None
    if query.watchlist:
        if ctx.actor.key_id is None:
            raise Unauthenticated("a watchlist belongs to an API key: send one")
        watch_subjects, watch_domains = await ctx.store.read(
            store_events.watchlist, ctx.actor.key_id
        )
    every_warning, warning_department = warning_scope(ctx.actor)
    return {
        "warningsAll": every_warning,
        "warningDepartment": warning_department,
        "warnedFor": query.warned_for,
        "public": not sees_unpublished(ctx.actor),
        "grades": query.grades,
        "subjects": _bounded(query.subjects, "subjects"),
        "domains": _bounded(query.domains, "domains"),
        "types": query.types,
        "watchSubjects": watch_subjects,
        "watchDomains": watch_domains or [],
    }


def view(ctx: HubContext, row: EventRow) -> EventRow:
    """An event as this caller may see it: masked, reasons only for keyed callers."""
    full = ctx.actor.sees_personal_data
    subject_key, listing_id, source_id = row.subject_key, row.listing_id, row.source_id
    if row.subject_label == "Person":
        if full:
            ctx.audited.append(("Person", subject_key))
        else:
            subject_key = mask_id_number(subject_key)
    if not full:
        listing_id = mask_id_numbers_in(listing_id) if listing_id else listing_id
        source_id = mask_id_numbers_in(source_id) if source_id else source_id
    reason = row.reason
    if not sees_unpublished(ctx.actor):
        reason = None
    elif reason is not None and not full:
        reason = mask_id_numbers_in(reason)
    return replace(
        row,
        subject_key=subject_key,
        listing_id=listing_id,
        source_id=source_id,
        reason=reason,
        warning=warning_of(ctx, row.warning),
    )


@dataclass(frozen=True)
class EventPage:
    events: list[EventRow]
    last: int  # the number to ask after next time
    has_more: bool


async def page(ctx: HubContext, after: int, first: int, query: EventQuery) -> EventPage:
    if after < 0:
        raise InvalidInput("after: an event number, 0 for the first", field="after")
    size = page_size(first, 1000)
    filters = await _filters(ctx, query)
    found = await ctx.store.read(event_reads.page, after, size + 1, filters)
    shown = found[:size]
    last = shown[-1].seq if shown else after
    return EventPage([view(ctx, e) for e in shown], last, len(found) > size)


async def early_warnings(
    ctx: HubContext, department: str | None, after: int, first: int
) -> EventPage:
    """The EARLY_WARNING events of one department's supervised subjects (``department``; every
    warning for INVESTIGATOR and ADMIN when not given), oldest first. A DEPARTMENT key reads its
    own department's only; asking for another is FORBIDDEN."""
    every_warning, own = warning_scope(ctx.actor)
    if not every_warning and (own is None or department not in (None, own)):
        raise Forbidden(f"this key reads the early warnings of {own or 'no department'} only")
    code = (department or "").strip() or (None if every_warning else own)
    return await page(ctx, after, first, EventQuery(types=["EARLY_WARNING"], warned_for=code))


async def stream(ctx: HubContext, after: int, query: EventQuery) -> AsyncIterator[EventRow]:
    """Every event after ``after`` in order: first those stored, then each new one as it is
    committed (looked for every POLL_SECONDS; any worker of the hub serves any subscriber,
    since the log is in the graph). The watchlist is read once, when the stream starts."""
    if after < 0:
        raise InvalidInput("after: an event number, 0 for the first", field="after")
    filters = await _filters(ctx, query)
    last = after
    while True:
        found = await ctx.store.read(event_reads.page, last, 500, filters)
        shown = [view(ctx, raw) for raw in found]
        if ctx.audited:
            # A subscription can last for days: its unmasked reads of persons are audited as
            # they are sent, batch by batch, not when it ends.
            await record_reads(ctx, "subscription events", fields=["events"])
        for event in shown:
            last = event.seq
            yield event
        if len(found) < 500:
            await asyncio.sleep(POLL_SECONDS)


def _keys(subjects: list[tuple[str | None, str | None]]) -> list[str]:
    return [subject_key(u, i) for u, i in subjects]


async def change_watchlist(
    ctx: HubContext,
    add: tuple[list[tuple[str | None, str | None]], list[str]],
    drop: tuple[list[tuple[str | None, str | None]], list[str]],
) -> dict[str, Any]:
    """Add or drop subjects and domains of the caller's watchlist; the watchlist after."""
    if ctx.actor.key_id is None:
        raise Unauthenticated("a watchlist belongs to an API key: send one")
    for values, field in ((add[0], "subjects"), (add[1], "domains")):
        if len(values) > MAX_FILTER_VALUES:
            raise InvalidInput(f"at most {MAX_FILTER_VALUES} values", field=field)
    known = load_domains()
    for domain in add[1]:
        if domain.strip() not in known:
            raise InvalidInput(
                f"domains: no domain {domain!r} (graph_seed/domains.toml)", field="domains"
            )
    adding = (_keys(add[0]), [d.strip() for d in add[1] if d.strip()])
    dropping = (_keys(drop[0]), [d.strip() for d in drop[1] if d.strip()])
    stored = await ctx.store.write(
        store_events.change_watchlist, ctx.actor.key_id, adding, dropping, dt.datetime.now(dt.UTC)
    )
    return shown_watchlist(ctx, stored)


def shown_watchlist(ctx: HubContext, stored: dict[str, Any]) -> dict[str, Any]:
    """A watchlist as its caller sees it: persons' ID numbers masked for masked roles."""
    full = ctx.actor.sees_personal_data
    return {
        "subjects": [s if full else mask_id_numbers_in(s) for s in stored["subjects"]],
        "domains": list(stored["domains"]),
    }


async def own_watchlist(ctx: HubContext) -> dict[str, Any]:
    if ctx.actor.key_id is None:
        raise Unauthenticated("a watchlist belongs to an API key: send one")
    subjects, domains = await ctx.store.read(store_events.watchlist, ctx.actor.key_id)
    return shown_watchlist(ctx, {"subjects": subjects, "domains": domains})
