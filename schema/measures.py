"""The measure catalogue (措施清单) in GraphQL, and the listing and catalogue queries."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.rules.listings import ListingSource, ListKind
from hub.rules.measures import (
    ALL_SCENARIOS,
    Grade,
    MeasureCategory,
    MeasureEffect,
    PartyToken,
    Scenario,
)
from hub.store.measures import MeasureRow
from resolvers import catalogue
from schema.common import SubjectKind
from schema.listings import HubInfo, Listing


@strawberry.type(description="An entry of the measure catalogue (graph_seed/measures.toml).")
class Measure:
    row: strawberry.Private[MeasureRow]  # as the store read it (hub/store/measures.py)

    @strawberry.field
    def code(self) -> str:
        return self.row.code

    @strawberry.field(description="The seed's wording.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def category(self) -> MeasureCategory:
        return MeasureCategory(self.row.category)

    @strawberry.field
    def effect(self) -> MeasureEffect:
        return MeasureEffect(self.row.effect)

    @strawberry.field
    def legal_basis(self) -> str:
        return self.row.legal_basis

    @strawberry.field
    def edition(self) -> str:
        return self.row.edition

    @strawberry.field(
        description="The day this version applies from (its edition's date); null: since ever."
    )
    def edition_date(self) -> dt.date | None:
        return self.row.edition_date

    @strawberry.field(
        description="The day it stopped applying: a later edition of the catalogue dropped it "
        "(null while in force). Checks on or after it no longer apply it."
    )
    def retired_on(self) -> dt.date | None:
        return self.row.retired_on

    @strawberry.field(description="The edition that dropped it.")
    def retired_in(self) -> str | None:
        return self.row.retired_in

    @strawberry.field(description="Scenarios it governs (every one when allScenarios).")
    def scenarios(self) -> list[Scenario]:
        values = self.row.scenarios
        if ALL_SCENARIOS in values:
            return list(Scenario)
        return [Scenario(v) for v in values]

    @strawberry.field(description="True when it governs every scenario, present and future.")
    def all_scenarios(self) -> bool:
        return ALL_SCENARIOS in self.row.scenarios

    @strawberry.field(description="Whom it reaches: the listed subject and/or persons behind it.")
    def reaches(self) -> list[PartyToken]:
        return [PartyToken(v) for v in self.row.reaches]

    @strawberry.field(description="Listings that trigger it.")
    def lists(self) -> list[ListKind]:
        return [ListKind(v) for v in self.row.lists]

    @strawberry.field(description="Evaluation grades that trigger it.")
    def grades(self) -> list[Grade]:
        return [Grade(v) for v in self.row.grades]

    @strawberry.field(description="Listing sources it applies to (empty: any).")
    def sources(self) -> list[ListingSource]:
        return [ListingSource(v) for v in self.row.sources]

    @strawberry.field(description="Kinds of listed subject it applies to (empty: any).")
    def subject_kinds(self) -> list[SubjectKind]:
        return [SubjectKind(v) for v in self.row.subject_kinds]

    @strawberry.field(description="Only when the listed person is a public servant (公职人员).")
    def requires_public_servant(self) -> bool:
        return self.row.requires_public_servant


@strawberry.type
class ListingQueries:
    @strawberry.field(
        description="The measure catalogue, optionally only the measures governing a scenario "
        "and applying to a kind of listed subject."
    )
    async def measures(
        self,
        info: HubInfo,
        scenario: Scenario | None = None,
        subject_kind: SubjectKind | None = None,
    ) -> list[Measure]:
        rows = await catalogue.measures(
            info.context,
            scenario.value if scenario else None,
            subject_kind.value if subject_kind else None,
        )
        return [Measure(row=r) for r in rows]

    @strawberry.field(
        description="A listing by id with its status on asOf (today by default); null when "
        "unknown, and for PUBLIC callers when it is not published (a WATCH listing, or one not "
        "in force today: ended, expired or not yet effective). Derived entries are read "
        "through person.creditRecord or derivedEntries."
    )
    async def listing(self, info: HubInfo, id: str, as_of: dt.date | None = None) -> Listing | None:
        row = await catalogue.visible_listing(info.context, id)
        if row is None:
            return None
        return Listing(row=row, as_of=as_of or info.context.today())
