"""Reads behind the catalogue and listing queries: the measure catalogue (its Cypher:
hub/store/measures.py) and one listing as the caller may see it (the publication rule:
hub/rules/listings.py; who sees unpublished listings: hub/policy.py)."""

from __future__ import annotations

from hub.policy import sees_unpublished
from hub.rules.listings import is_published
from hub.store import measures as store_measures
from hub.store.listing_reads import ListingRow
from hub.store.measures import MeasureRow
from resolvers.context import HubContext


async def measures(
    ctx: HubContext, scenario: str | None, subject_kind: str | None
) -> list[MeasureRow]:
    """The catalogue's measures governing ``scenario`` and applying to ``subject_kind``."""
    return await ctx.store.read(store_measures.measures, scenario, subject_kind)


async def visible_listing(ctx: HubContext, listing_id: str) -> ListingRow | None:
    """The listing ``listing_id`` (not a derived entry), or None when it is unknown or, for a
    caller who sees published listings only, not published today."""
    listing = await ctx.loaders.listing.load(listing_id.strip())
    if listing is None or listing.derived:
        return None
    if not sees_unpublished(ctx.actor) and not is_published(listing, ctx.today()):
        return None
    return listing
