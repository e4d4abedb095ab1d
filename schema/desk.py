"""The department desk's reads (hub/policy.py: DEPARTMENT for its own department, ADMIN for
any; the service: resolvers/desk.py): a department's listings in every state, and the open
objections to them."""

from __future__ import annotations

import datetime as dt

import strawberry

from resolvers import desk
from schema.common import PageInfo
from schema.listings import HubInfo, Listing, Objection
from schema.public import ListingConnection


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
        page = await desk.department_listings(info.context, department, first, after)
        day = as_of or info.context.today()
        return ListingConnection(
            nodes=[Listing(row=row, as_of=day) for row in page.rows],
            page_info=PageInfo(has_next_page=page.more, end_cursor=page.cursor),
        )

    @strawberry.field(
        description="Open objections to a department's listings (its own key: its department; "
        "ADMIN: any), oldest filing first, at most 500."
    )
    async def open_objections(
        self, info: HubInfo, department: str | None = None
    ) -> list[Objection]:
        return [Objection(row=row) for row in await desk.open_objections(info.context, department)]
