"""The personal credit record (个人信用记录): own listings and derived entries, on a date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from hub.identifiers import mask_id_number
from hub.rules.listings import ListingState, aggravated_among, listing_state
from hub.rules.measures import PartyToken
from hub.store.commitments import CommitmentRow
from hub.store.listing_reads import DerivedEntryRow, ListingRow
from hub.store.subjects import EnterpriseRow, PersonRow
from resolvers.rectification import orders_of
from schema.listings import HubInfo, Listing, Period
from schema.rectification import Rectification
from schema.subjects import Enterprise, Person

if TYPE_CHECKING:
    from schema.commitments import Commitment


@strawberry.type(
    description="One entry of a personal credit record (个人信用记录): a listing of the person, "
    "or an entry derived from the listing of an enterprise the person was responsible for. A "
    "derived entry has no state of its own: its status is its source listing's."
)
class CreditRecordEntry:
    raw_id: strawberry.Private[str]
    derived: bool
    listing: Listing = strawberry.field(description="The own listing, or the source listing.")
    parties: list[PartyToken] = strawberry.field(
        description="How the person is reached (SUBJECT for an own listing)."
    )
    roles: list[str] = strawberry.field(
        description="Roles held on the source's effectiveFrom that reached the person."
    )
    liable: bool = strawberry.field(description="Named as directly responsible.")
    period: Period
    status: ListingState = strawberry.field(description="State on asOf (the source's).")
    enterprise_row: strawberry.Private[EnterpriseRow | None]
    person_row: strawberry.Private[PersonRow | None]

    @strawberry.field(
        description="The listing id, or <source id>:<idNumber> for a derived entry (the ID "
        "number masked unless the caller may see personal data)."
    )
    def id(self, info: HubInfo) -> str:
        if not self.derived:
            return self.raw_id
        source, _, number = self.raw_id.rpartition(":")
        if info.context.actor.sees_personal_data:
            info.context.audited.append(("Person", number))
            return self.raw_id
        return f"{source}:{mask_id_number(number)}"

    @strawberry.field(description="The listed enterprise (derived entries).")
    def enterprise(self) -> Enterprise | None:
        return Enterprise(row=self.enterprise_row) if self.enterprise_row else None

    @strawberry.field(description="Whose record this entry is in.")
    def person(self) -> Person | None:
        return Person(row=self.person_row) if self.person_row else None

    @classmethod
    def of_own(cls, row: ListingRow, as_of: dt.date) -> CreditRecordEntry:
        subject = row.subject
        return cls(
            raw_id=row.id,
            derived=False,
            listing=Listing(row=row, as_of=as_of),
            parties=[PartyToken.SUBJECT],
            roles=[],
            liable=False,
            period=Period.of(row.facts),
            status=listing_state(row.facts, as_of),
            enterprise_row=None,
            person_row=subject if isinstance(subject, PersonRow) else None,
        )

    @classmethod
    def of_derived(
        cls,
        entry: DerivedEntryRow,
        source: ListingRow,
        as_of: dt.date,
        person: PersonRow | None = None,
    ) -> CreditRecordEntry:
        subject = source.subject
        if not isinstance(subject, EnterpriseRow):
            subject = EnterpriseRow(uscc=entry.via) if entry.via else None
        return cls(
            raw_id=entry.id,
            derived=True,
            listing=Listing(row=source, as_of=as_of),
            parties=[PartyToken(p) for p in entry.parties],
            roles=list(entry.roles),
            liable=entry.liable,
            period=Period.of(source.facts),
            status=listing_state(source.facts, as_of),
            enterprise_row=subject,
            person_row=person,
        )


@strawberry.type(description="A person's credit record on a date: own and derived entries.")
class CreditRecord:
    as_of: dt.date
    aggravated: bool = strawberry.field(
        description="Active BLACK listings of the person in two or more domains (own only)."
    )
    entries: list[CreditRecordEntry]
    id_number: strawberry.Private[str]
    broken_rows: strawberry.Private[list[CommitmentRow]]

    @strawberry.field(
        description="Warning interviews (约谈) held on or before asOf because a rectification "
        "order's deadline was missed (隆政办发〔2020〕6号 二(九)), newest first."
    )
    async def interviews(self, info: HubInfo) -> list[Rectification]:
        orders = await orders_of(info.context, None, self.id_number)
        return [
            Rectification(row=o)
            for o in orders
            if o.interviewed_on is not None and o.interviewed_on <= self.as_of
        ]

    @strawberry.field(
        description="Dishonesty records from commitments: the person's BROKEN commitments "
        "confirmed by asOf, newest first, at the caller's disclosure level."
    )
    def broken_commitments(
        self,
    ) -> list[Annotated[Commitment, strawberry.lazy("schema.commitments")]]:
        from schema.commitments import Commitment

        return [
            Commitment(row=r)
            for r in self.broken_rows
            if r.broken_on is not None and r.broken_on <= self.as_of
        ]

    @classmethod
    def of(
        cls,
        own: list[ListingRow],
        derived: list[tuple[DerivedEntryRow, ListingRow]],
        day: dt.date,
        id_number: str,
        broken: list[CommitmentRow] | None = None,
    ) -> CreditRecord:
        entries = [CreditRecordEntry.of_own(r, day) for r in own]
        entries += [CreditRecordEntry.of_derived(entry, source, day) for entry, source in derived]
        entries.sort(key=lambda e: (e.period.valid_from, e.raw_id), reverse=True)
        return cls(
            as_of=day,
            aggravated=aggravated_among(own, day),
            entries=entries,
            id_number=id_number,
            broken_rows=list(broken or []),
        )
