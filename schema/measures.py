"""The measure catalogue (措施清单) in GraphQL, and the listing and catalogue queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from resolvers import catalogue
from schema.common import SubjectKind
from schema.listings import HubInfo, Listing


@strawberry.type(description="An entry of the measure catalogue (graph_seed/measures.toml).")
class Measure:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def code(self) -> str:
        return str(self.raw["code"])

    @strawberry.field(description="The seed's wording.")
    def name(self) -> str:
        return str(self.raw["name"])

    @strawberry.field
    def category(self) -> MeasureCategory:
        return MeasureCategory(self.raw["category"])

    @strawberry.field
    def effect(self) -> MeasureEffect:
        return MeasureEffect(self.raw["effect"])

    @strawberry.field
    def legal_basis(self) -> str:
        return str(self.raw["legalBasis"])

    @strawberry.field
    def edition(self) -> str:
        return str(self.raw["edition"])

    @strawberry.field(
        description="The day this version applies from (its edition's date); null: since ever."
    )
    def edition_date(self) -> dt.date | None:
        value: dt.date | None = self.raw.get("editionDate")
        return value

    @strawberry.field(
        description="The day it stopped applying: a later edition of the catalogue dropped it "
        "(null while in force). Checks on or after it no longer apply it."
    )
    def retired_on(self) -> dt.date | None:
        value: dt.date | None = self.raw.get("retiredOn")
        return value

    @strawberry.field(description="The edition that dropped it.")
    def retired_in(self) -> str | None:
        value = self.raw.get("retiredIn")
        return None if value is None else str(value)

    @strawberry.field(description="Scenarios it governs (every one when allScenarios).")
    def scenarios(self) -> list[Scenario]:
        values = self.raw.get("scenarios") or []
        if ALL_SCENARIOS in values:
            return list(Scenario)
        return [Scenario(v) for v in values]

    @strawberry.field(description="True when it governs every scenario, present and future.")
    def all_scenarios(self) -> bool:
        return ALL_SCENARIOS in (self.raw.get("scenarios") or [])

    @strawberry.field(description="Whom it reaches: the listed subject and/or persons behind it.")
    def reaches(self) -> list[PartyToken]:
        return [PartyToken(v) for v in self.raw.get("reaches") or []]

    @strawberry.field(description="Listings that trigger it.")
    def lists(self) -> list[ListKind]:
        return [ListKind(v) for v in self.raw.get("lists") or []]

    @strawberry.field(description="Evaluation grades that trigger it.")
    def grades(self) -> list[Grade]:
        return [Grade(v) for v in self.raw.get("grades") or []]

    @strawberry.field(description="Listing sources it applies to (empty: any).")
    def sources(self) -> list[ListingSource]:
        return [ListingSource(v) for v in self.raw.get("sources") or []]

    @strawberry.field(description="Kinds of listed subject it applies to (empty: any).")
    def subject_kinds(self) -> list[SubjectKind]:
        return [SubjectKind(v) for v in self.raw.get("subjectKinds") or []]

    @strawberry.field(description="Only when the listed person is a public servant (公职人员).")
    def requires_public_servant(self) -> bool:
        return bool(self.raw.get("requiresPublicServant"))


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
        return [Measure(raw=r) for r in rows]

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
