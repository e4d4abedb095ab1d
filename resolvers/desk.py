"""The department desk's reads (their Cypher: hub/store/desk_reads.py): a department's own
listings in every state, newest effectiveFrom first (keyset pages), and the open objections to
them, oldest filing first. Which department: hub/policy.py department_scope."""

from __future__ import annotations

from dataclasses import dataclass

from hub.errors import Forbidden, InvalidInput
from hub.policy import department_scope
from hub.store import desk_reads
from hub.store.listing_reads import ListingRow, ObjectionRow
from resolvers.context import HubContext
from resolvers.paging import day_position, encode_cursor, page_size

MAX_OBJECTIONS = 500


@dataclass(frozen=True)
class DeskPage:
    rows: list[ListingRow]
    more: bool
    cursor: str | None


def department_of(ctx: HubContext, asked: str | None) -> str:
    """The department a desk read is about, or FORBIDDEN / BAD_USER_INPUT."""
    found = department_scope(ctx.actor, asked or None)
    if found is None:
        if asked:
            raise Forbidden(f"this key reads {ctx.actor.department}'s listings only")
        raise InvalidInput("name a department", field="department")
    return found


async def department_listings(
    ctx: HubContext, department: str | None, first: int, after: str | None
) -> DeskPage:
    code = department_of(ctx, department)
    size = page_size(first)
    found = await ctx.store.read(
        desk_reads.department_listings, code, size + 1, day_position(after)
    )
    more = len(found) > size
    found = found[:size]
    cursor = (
        encode_cursor([found[-1].effective_from.isoformat(), found[-1].id])
        if found and more
        else None
    )
    return DeskPage(found, more, cursor)


async def open_objections(ctx: HubContext, department: str | None) -> list[ObjectionRow]:
    code = department_of(ctx, department)
    found: list[ObjectionRow] = await ctx.store.read(
        desk_reads.open_objections, code, MAX_OBJECTIONS
    )
    return found
