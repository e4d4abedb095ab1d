"""What the public credit site lists: published listings, recent 双公示 records, the domains.

Every role sees the same published data here (the site's lists are public by definition);
persons appear masked as everywhere else (schema/subjects.py ``Person``).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry

from graph_seed.reference_data import load_domains
from resolvers import public
from schema.common import Department, PageInfo
from schema.listings import HubInfo, Listing
from schema.subjects import Action, Subject, subject_of_row


@strawberry.enum(description="The lists the public site publishes (WATCH is never published).")
class PublishedList(Enum):
    BLACK = "BLACK"
    RED = "RED"


@strawberry.enum(description="双公示: 行政许可 or 行政处罚.")
class PublicActionType(Enum):
    LICENSE = "LICENSE"
    PENALTY = "PENALTY"


@strawberry.type(description="A listing domain (领域) of graph_seed/domains.toml.")
class ListingDomain:
    code: str
    name: str


@strawberry.type
class ListingConnection:
    nodes: list[Listing]
    page_info: PageInfo


@strawberry.type(description="A public 双公示 record with the subject it is about.")
class PublicAction:
    action: Action
    subject: Subject


@strawberry.type
class PublicQueries:
    @strawberry.field(
        description="A published list (失信联合惩戒对象名单 BLACK, 守信激励对象名单 RED): the "
        "listings in force today, newest effectiveFrom first; filter by domain, deciding "
        "department and effectiveFrom between from and to (inclusive). Pages are stable while "
        "the lists do not change (keyset cursor)."
    )
    async def published_listings(
        self,
        info: HubInfo,
        list_kind: Annotated[PublishedList, strawberry.argument(name="list")],
        domain: str | None = None,
        department: str | None = None,
        effective_from: dt.date | None = None,
        effective_to: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ListingConnection:
        page = await public.published_listings(
            info.context,
            list_kind.value,
            domain,
            department,
            effective_from,
            effective_to,
            first,
            after,
        )
        return ListingConnection(
            nodes=[Listing(row=r, as_of=page.today) for r in page.rows],
            page_info=PageInfo(has_next_page=page.more, end_cursor=page.cursor),
        )

    @strawberry.field(
        description="The newest public 双公示 records (许可, and 处罚 inside their publicity "
        "period), decided in the last year, newest first."
    )
    async def recent_actions(
        self,
        info: HubInfo,
        types: list[PublicActionType] | None = None,
        first: int = 10,
    ) -> list[PublicAction]:
        kinds = [t.value for t in types] if types else [t.value for t in PublicActionType]
        rows = await public.recent_actions(info.context, kinds, first)
        calendar = info.context.calendar
        return [
            PublicAction(action=Action.of(r.action, calendar), subject=subject_of_row(r.subject))
            for r in rows
        ]

    @strawberry.field(description="The listing domains (领域), in the file's order.")
    def listing_domains(self) -> list[ListingDomain]:
        return [ListingDomain(code=d.code, name=d.name) for d in load_domains().values()]

    @strawberry.field(description="The departments, courts, banks and regulators known to the hub.")
    async def departments(self, info: HubInfo) -> list[Department]:
        rows = await public.departments(info.context)
        return [Department(code=r["code"], name=r["name"]) for r in rows]
