"""The department desk's reads (hub/policy.py: DEPARTMENT for its own department, ADMIN for
any): a department's listings in every state, and the open objections to them."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.errors import Forbidden, InvalidInput
from hub.policy import department_scope
from hub.store.desk_reads import department_listings, open_objections
from resolvers.paging import decode_cursor, encode_cursor, page_size
from schema.common import PageInfo
from schema.listings import HubInfo, Listing, Objection
from schema.public import ListingConnection

MAX_OBJECTIONS = 500


def _department(info: HubInfo, asked: str | None) -> str:
    actor = info.context.actor
    found = department_scope(actor, asked or None)
    if found is None:
        if asked:
            raise Forbidden(f"this key reads {actor.department}'s listings only")
        raise InvalidInput("name a department", field="department")
    return found


def _position(after: str | None) -> tuple[dt.date, str] | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return dt.date.fromisoformat(cursor[0]), str(cursor[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


@strawberry.type
class DeskQueries:
    @strawberry.field(
        description="A department's own listings in every state (its own key: its department; "
        "ADMIN: any), newest effectiveFrom first, with a cursor; status on asOf (today)."
    )
    async def department_listings(
        self,
        info: HubInfo,
        department: str | None = None,
        first: int = 20,
        after: str | None = None,
        as_of: dt.date | None = None,
    ) -> ListingConnection:
        code = _department(info, department)
        size = page_size(first)
        found = await info.context.store.read(department_listings, code, size + 1, _position(after))
        more = len(found) > size
        found = found[:size]
        cursor = (
            encode_cursor([found[-1]["effectiveFrom"].isoformat(), found[-1]["id"]])
            if found and more
            else None
        )
        day = as_of or info.context.today()
        return ListingConnection(
            nodes=[Listing(raw=row, as_of=day) for row in found],
            page_info=PageInfo(has_next_page=more, end_cursor=cursor),
        )

    @strawberry.field(
        description="Open objections to a department's listings (its own key: its department; "
        "ADMIN: any), oldest filing first, at most 500."
    )
    async def open_objections(
        self, info: HubInfo, department: str | None = None
    ) -> list[Objection]:
        code = _department(info, department)
        found = await info.context.store.read(open_objections, code, MAX_OBJECTIONS)
        return [Objection(raw=row) for row in found]
