"""The public lists' reads: published listings (keyset pages), the newest public 双公示
records, the departments (their Cypher: hub/store/public_reads.py). The types are in
schema/public.py; the publication rule in hub/rules/listings.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hub.rules.listings import is_published
from hub.store import public_reads
from hub.store.listing_reads import ListingRow
from hub.store.public_reads import RecentActionRow
from resolvers.context import HubContext
from resolvers.paging import day_position, encode_cursor, page_size

# How far back the home page's newest 双公示 records are looked for.
RECENT_DAYS = 366


@dataclass(frozen=True)
class ListingPage:
    rows: list[ListingRow]  # the listings in force and published on ``today``
    today: dt.date
    more: bool
    cursor: str | None


async def published_listings(
    ctx: HubContext,
    list_kind: str,
    domain: str | None,
    department: str | None,
    effective_from: dt.date | None,
    effective_to: dt.date | None,
    first: int,
    after: str | None,
) -> ListingPage:
    """One page of a published list, newest effectiveFrom first (keyset cursor)."""
    size = page_size(first)
    today = ctx.today()
    rows = await ctx.store.read(
        public_reads.published_listings,
        list_kind,
        today,
        size + 1,
        day_position(after),
        domain or None,
        department or None,
        effective_from,
        effective_to,
    )
    more = len(rows) > size
    rows = rows[:size]
    cursor = (
        encode_cursor([rows[-1].effective_from.isoformat(), rows[-1].id]) if rows and more else None
    )
    return ListingPage([r for r in rows if is_published(r, today)], today, more, cursor)


async def recent_actions(ctx: HubContext, kinds: list[str], first: int) -> list[RecentActionRow]:
    """The newest public actions of ``kinds`` decided in the last RECENT_DAYS, with subjects."""
    size = page_size(first, 50)
    today = ctx.today()
    since = today - dt.timedelta(days=RECENT_DAYS)
    return await ctx.store.read(public_reads.recent_actions, kinds, today, since, size)


async def departments(ctx: HubContext) -> list[dict[str, Any]]:
    return await ctx.store.read(public_reads.departments)
