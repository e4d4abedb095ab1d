"""A subject's own listings and a person's credit record, as the caller may see them (PUBLIC:
the published listings only, no personal record), read through the request's DataLoaders."""

from __future__ import annotations

from hub.policy import refuse_unpublished, sees_unpublished
from hub.rules.listings import is_published
from hub.store.commitments import CommitmentRow
from hub.store.listing_reads import DerivedEntryRow, ListingRow
from hub.store.subjects import PersonRow
from resolvers.commitments import commitments_of
from resolvers.context import HubContext


async def own_listing_rows(
    ctx: HubContext, label: str, key: str, states_only: bool = False
) -> list[ListingRow]:
    """A subject's own listings (PUBLIC: the published ones). ``states_only``: the listings'
    own properties and objections, without what a listing's page shows (a lighter read)."""
    loaders = ctx.loaders.own_listing_states if states_only else ctx.loaders.own_listings
    rows: list[ListingRow] = await loaders[label].load(key)
    if not sees_unpublished(ctx.actor):
        today = ctx.today()
        rows = [r for r in rows if is_published(r, today)]
    return rows


def primed_listing_rows(ctx: HubContext, label: str, key: str) -> list[ListingRow] | None:
    """A subject's own listings as ``own_listing_rows(..., states_only=True)`` gives them,
    when a search read them with its hit (``HubContext.listing_states``); None otherwise."""
    rows = ctx.listing_states.get((label, key))
    if rows is None:
        return None
    if not sees_unpublished(ctx.actor):
        today = ctx.today()
        rows = [r for r in rows if is_published(r, today)]
    return rows


async def credit_record_rows(
    ctx: HubContext, id_number: str
) -> tuple[list[ListingRow], list[tuple[DerivedEntryRow, ListingRow]]]:
    """A person's own listings and derived entries (with their sources); refused to PUBLIC."""
    refuse_unpublished(ctx.actor, "a personal credit record (个人信用记录)")
    own: list[ListingRow] = await ctx.loaders.own_listings["Person"].load(id_number)
    derived = await ctx.loaders.derived_of_person.load(id_number)
    return own, derived


async def derived_entry_rows(
    ctx: HubContext, listing_id: str
) -> list[tuple[DerivedEntryRow, PersonRow]]:
    """The credit record entries a listing derived, with whose they are (reads of personal
    data: audited); refused to PUBLIC."""
    refuse_unpublished(ctx.actor, "who a listing reached (personal credit records)")
    rows = await ctx.loaders.derived_of_source.load(listing_id)
    if ctx.actor.sees_personal_data:
        ctx.audited.extend(("Person", person.id_number) for _, person in rows)
    return rows


async def broken_commitment_rows(ctx: HubContext, id_number: str) -> list[CommitmentRow]:
    """A person's broken commitments (dishonesty records) the caller may read; refused to
    PUBLIC like the rest of the personal credit record."""
    refuse_unpublished(ctx.actor, "a personal credit record (个人信用记录)")
    rows = await commitments_of(ctx, "Person", id_number)
    return [r for r in rows if r.broken_on is not None]
