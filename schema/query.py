"""The Query root."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from graphql.utilities import value_from_ast_untyped

from hub.errors import InvalidInput
from hub.store.subjects import SearchFilter
from resolvers import subjects
from resolvers.paging import MAX_PAGE_SIZE, decode_cursor, encode_cursor, page_size
from schema.common import PageInfo, SubjectKind
from schema.public import PublishedList
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


def page_asks(info: HubInfo) -> subjects.PageAsks:
    """Which of an enterprise's roles, shareholders and first page of actions the field's
    selection asks for (through fragments too), so that the service reads them in the
    enterprise's own statement. A field under ``@skip``/``@include`` counts as asked (reading
    it ahead costs the statement little); a first page is read ahead only for a valid
    ``first`` without ``after`` (anything else is left to the field, which reports it)."""
    raw = info._raw_info
    # A plain dict at run time, whatever graphql-core's annotation says (VariableValues).
    values: Any = raw.variable_values
    variables: dict[str, Any] = getattr(values, "coerced", values)
    most = MAX_PAGE_SIZE
    asked: dict[str, int] = {}

    def visit(selection_set: SelectionSetNode | None) -> None:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                name = node.name.value
                if name in ("roles", "shareholders"):
                    asked[name] = 1
                elif name == "actions":
                    given = {
                        a.name.value: value_from_ast_untyped(a.value, variables)
                        for a in node.arguments or ()
                    }
                    first = given.get("first", 20)
                    if given.get("after") is None and type(first) is int and 0 < first <= most:
                        asked["actions"] = max(asked.get("actions", 0), first)
            elif isinstance(node, InlineFragmentNode):
                visit(node.selection_set)
            elif isinstance(node, FragmentSpreadNode) and node.name.value in raw.fragments:
                visit(raw.fragments[node.name.value].selection_set)

    for field_node in raw.field_nodes:
        visit(field_node.selection_set)
    return subjects.PageAsks(
        roles="roles" in asked,
        shareholders="shareholders" in asked,
        first_actions=asked.get("actions", 0),
    )


@strawberry.type
class SubjectQueries:
    @strawberry.field(
        description="An enterprise by USCC; null when unknown, an error when invalid."
    )
    async def enterprise(self, info: HubInfo, uscc: str) -> Enterprise | None:
        raw = await subjects.enterprise(info.context, uscc, page_asks(info))
        return Enterprise(raw=raw) if raw else None

    @strawberry.field(
        description="A person by ID number; null when unknown, an error when invalid."
    )
    async def person(self, info: HubInfo, id_number: str) -> Person | None:
        raw = await subjects.person(info.context, id_number)
        if raw and info.context.actor.sees_personal_data:  # found: audited, whatever is selected
            info.context.audited.append(("Person", str(raw["idNumber"])))
        return Person(raw=raw) if raw else None

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
        hits = await subjects.search(info.context, text, offset, size + 1, only)
        more = len(hits) > size
        hits = hits[:size]
        if info.context.actor.sees_personal_data:  # persons found: audited, whatever is selected
            info.context.audited.extend(
                ("Person", str(raw["idNumber"])) for label, raw, _, _ in hits if label == "Person"
            )
        end = encode_cursor(offset + size) if more else None
        return SearchConnection(
            nodes=[
                SearchHit(subject=subject_of(label, raw), score=score, matched_by=MatchKind(how))
                for label, raw, score, how in hits
            ],
            page_info=PageInfo(has_next_page=more, end_cursor=end),
        )
