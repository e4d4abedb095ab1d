"""The personal credit record (个人信用记录): own listings and derived entries, on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from hub.errors import Forbidden
from hub.identifiers import mask_id_number
from hub.policy import sees_unpublished
from hub.rules.catalogue import PartyToken
from hub.rules.listings import IN_FORCE, ListingState, aggravated
from schema.listings import HubInfo, Listing, Period, state_of
from schema.subjects import Enterprise, Person


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
    enterprise_raw: strawberry.Private[dict[str, Any] | None]
    person_raw: strawberry.Private[dict[str, Any] | None]

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
        return Enterprise(raw=self.enterprise_raw) if self.enterprise_raw else None

    @strawberry.field(description="Whose record this entry is in.")
    def person(self) -> Person | None:
        return Person(raw=self.person_raw) if self.person_raw else None

    @classmethod
    def of_own(cls, raw: dict[str, Any], as_of: dt.date) -> CreditRecordEntry:
        return cls(
            raw_id=str(raw["id"]),
            derived=False,
            listing=Listing(raw=raw, as_of=as_of),
            parties=[PartyToken.SUBJECT],
            roles=[],
            liable=False,
            period=Period.of(raw),
            status=state_of(raw, as_of),
            enterprise_raw=None,
            person_raw=raw.get("subject"),
        )

    @classmethod
    def of_derived(
        cls,
        entry: dict[str, Any],
        source: dict[str, Any],
        as_of: dt.date,
        person: dict[str, Any] | None = None,
    ) -> CreditRecordEntry:
        subject = source.get("subject") or {"uscc": entry.get("via")}
        return cls(
            raw_id=str(entry["id"]),
            derived=True,
            listing=Listing(raw=source, as_of=as_of),
            parties=[PartyToken(p) for p in entry.get("parties") or []],
            roles=list(entry.get("roles") or []),
            liable=bool(entry.get("liable")),
            period=Period.of(source),
            status=state_of(source, as_of),
            enterprise_raw=subject,
            person_raw=person,
        )


@strawberry.type(description="A person's credit record on a date: own and derived entries.")
class CreditRecord:
    as_of: dt.date
    aggravated: bool = strawberry.field(
        description="Active BLACK listings of the person in two or more domains (own only)."
    )
    entries: list[CreditRecordEntry]


def _day(info: HubInfo, as_of: dt.date | None) -> dt.date:
    return as_of or info.context.today()


# States in which a listing is in force. SUSPENDED stays published: an objection suspends the
# measures while it is verified (联合惩戒措施在信息核实期间暂不执行), not the listing, which ends
# only when the objection is upheld (REVOKED); `status` tells the site it is being verified.


def published(raw: dict[str, Any], today: dt.date) -> bool:
    """What the public credit site shows: BLACK and RED lists (a WATCH list is for supervisors)
    in force today. An ended listing — repaired (repair ends publication), revoked, removed by
    the court, ended by its department, or expired (publication stops at the maximum) — and
    one not yet in force are not published, whatever date the caller asks about."""
    return (
        raw.get("list") in ("BLACK", "RED")
        and not raw.get("derived")
        and state_of(raw, today) in IN_FORCE
    )


def refuse_public(info: HubInfo, what: str) -> None:
    if not sees_unpublished(info.context.actor):
        raise Forbidden(f"{what} is not published; it needs an API key")


async def _own_rows(info: HubInfo, label: str, key: str) -> list[dict[str, Any]]:
    """A subject's own listings as the caller may see them (PUBLIC: the published ones)."""
    rows: list[dict[str, Any]] = await info.context.loaders.own_listings[label].load(key)
    if not sees_unpublished(info.context.actor):
        today = info.context.today()
        rows = [r for r in rows if published(r, today)]
    return rows


async def own_listings(info: HubInfo, label: str, key: str, as_of: dt.date | None) -> list[Listing]:
    day = _day(info, as_of)
    rows = await _own_rows(info, label, key)
    ordered = sorted(rows, key=lambda r: (r["effectiveFrom"], r["id"]), reverse=True)
    return [Listing(raw=r, as_of=day) for r in ordered]


async def is_aggravated(info: HubInfo, label: str, key: str, as_of: dt.date | None) -> bool:
    """PUBLIC: over the published listings only (an ended listing is not published)."""
    day = _day(info, as_of)
    rows = await _own_rows(info, label, key)
    return aggravated((r["list"], r["domain"], state_of(r, day)) for r in rows)


async def credit_record(info: HubInfo, id_number: str, as_of: dt.date | None) -> CreditRecord:
    refuse_public(info, "a personal credit record (个人信用记录)")
    day = _day(info, as_of)
    own = await info.context.loaders.own_listings["Person"].load(id_number)
    derived = await info.context.loaders.derived_of_person.load(id_number)
    entries = [CreditRecordEntry.of_own(r, day) for r in own]
    entries += [CreditRecordEntry.of_derived(r["entry"], r["source"], day) for r in derived]
    entries.sort(key=lambda e: (e.period.valid_from, e.raw_id), reverse=True)
    return CreditRecord(
        as_of=day,
        aggravated=aggravated((r["list"], r["domain"], state_of(r, day)) for r in own),
        entries=entries,
    )
