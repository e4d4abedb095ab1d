"""The Query root."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from hub.errors import InvalidInput
from hub.store.subjects import PersonRow, SearchFilter
from resolvers import subjects
from resolvers.paging import decode_cursor, encode_cursor, page_size
from schema.common import PageInfo, SubjectKind
from schema.public import PublishedList
from schema.selection import page_asks, search_asks_badges
from schema.subjects import Enterprise, HubInfo, Person, Subject, subject_of


@strawberry.enum
class MatchKind(Enum):
    IDENTIFIER = "IDENTIFIER"
    NAME = "NAME"


@strawberry.type
class SearchHit:
    subject: Subject
    score: float
    matched_by: MatchKind


@strawberry.type
class SearchConnection:
    nodes: list[SearchHit]
    page_info: PageInfo


@strawberry.type
class SubjectQueries:
    @strawberry.field(
        description="An enterprise by USCC; null when unknown, an error when invalid."
    )
    async def enterprise(self, info: HubInfo, uscc: str) -> Enterprise | None:
        row = await subjects.enterprise(info.context, uscc, page_asks(info))
        return Enterprise(row=row) if row else None

    @strawberry.field(
        description="A person by ID number; null when unknown, an error when invalid."
    )
    async def person(self, info: HubInfo, id_number: str) -> Person | None:
        row = await subjects.person(info.context, id_number)
        if row and info.context.actor.sees_personal_data:  # found: audited, whatever is selected
            info.context.audited.append(("Person", row.id_number))
        return Person(row=row) if row else None

    @strawberry.field(
        description="Exact identifier match first, then names (full-text, CJK), best first; "
        "optionally only subjects of a kind, of a division (chars 3-8 of the USCC) or on a "
        "published list today."
    )
    async def search(
        self,
        info: HubInfo,
        text: str,
        first: int = 20,
        after: str | None = None,
        kind: SubjectKind | None = None,
        division: str | None = None,
        list_kind: Annotated[
            PublishedList | None,
            strawberry.argument(
                name="list",
                description="Only subjects on this published list today (BLACK or RED).",
            ),
        ] = None,
    ) -> SearchConnection:
        size = page_size(first)
        offset = decode_cursor(after) or 0
        if not isinstance(offset, int) or offset < 0:
            offset = 0
        only = None
        if kind is not None or division or list_kind is not None:
            if division and not (len(division) == 6 and division.isdigit()):
                raise InvalidInput("division: a 6-digit division code", field="division")
            only = SearchFilter(
                kind=kind.value if kind else None,
                division=division or None,
                listed=list_kind.value if list_kind else None,
                today=info.context.today(),
            )
        hits = await subjects.search(
            info.context, text, offset, size + 1, only, badges=search_asks_badges(info)
        )
        more = len(hits) > size
        hits = hits[:size]
        if info.context.actor.sees_personal_data:  # persons found: audited, whatever is selected
            info.context.audited.extend(
                ("Person", raw.id_number) for _, raw, _, _ in hits if isinstance(raw, PersonRow)
            )
        end = encode_cursor(offset + size) if more else None
        return SearchConnection(
            nodes=[
                SearchHit(subject=subject_of(label, raw), score=score, matched_by=MatchKind(how))
                for label, raw, score, how in hits
            ],
            page_info=PageInfo(has_next_page=more, end_cursor=end),
        )
