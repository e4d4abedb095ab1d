"""Listings, objections, events and the personal credit record (docs/punishment.md)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graphql_engine.execution import PLAIN_READ
from hub.policy import sees_unpublished
from hub.rules.listings import (
    EndReason,
    ListingFacts,
    ListingSource,
    ListingState,
    ListKind,
    ObjectionStatus,
    objection_status,
    state_of,
)
from hub.rules.objections import objection_deadline
from resolvers.context import HubContext
from resolvers.records import derived_entry_rows
from schema.common import Department, Provenance
from schema.subjects import Person, Subject, person_of, subject_of
from schema.way_back import WayBack, listing_way_back

if TYPE_CHECKING:
    from schema.credit_record import CreditRecordEntry

HubInfo = Info[HubContext, None]

# Events recorded together (one upload or mutation) are shown cause before effect.
EVENT_ORDER = {
    name: rank
    for rank, name in enumerate(
        [
            "LISTED",
            "REPORTED",
            "CONFIRMED",
            "UPDATED",
            "OBJECTION_FILED",
            "OBJECTION_VERIFYING",
            "OBJECTION_REJECTED",
            "OBJECTION_UPHELD",
            "REPAIR_APPLIED",
            "REPAIR_REFUSED",
            "REPAIR_APPROVED",
            "ENDED",
            "REMOVED",
            "REVOKED",
            "REPAIRED",
        ]
    )
}


def _sees_reasons(info: HubInfo) -> bool:
    return sees_unpublished(info.context.actor)


@strawberry.type(description="A period, both days inclusive; `to` null means open-ended.")
class Period:
    valid_from: dt.date = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Period:
        facts = ListingFacts.of(raw)
        return cls(valid_from=facts.effective_from, valid_to=facts.last_day)


@strawberry.type(description="A dated change of a listing's state (可查可核可溯).")
class ListingEvent:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def id(self) -> str:
        return str(self.raw["id"])

    @strawberry.field(
        description="LISTED REPORTED CONFIRMED UPDATED ENDED REMOVED REVOKED REPAIRED "
        "OBJECTION_FILED OBJECTION_VERIFYING OBJECTION_REJECTED OBJECTION_UPHELD "
        "REPAIR_APPLIED REPAIR_REFUSED REPAIR_APPROVED"
    )
    def type(self) -> str:
        return str(self.raw["type"])

    @strawberry.field
    def on(self) -> dt.date:
        day: dt.date = self.raw["on"]
        return day

    @strawberry.field(description="Department that made the change.")
    def department(self) -> str | None:
        return self.raw.get("department")

    @strawberry.field(description="The stated reason (not shown to PUBLIC).")
    def reason(self, info: HubInfo) -> str | None:
        return self.raw.get("reason") if _sees_reasons(info) else None

    @strawberry.field(description="When it was recorded.")
    def at(self) -> dt.datetime | None:
        return self.raw.get("at")


@strawberry.type(
    description="An objection (异议) to a listing or an administrative action: FILED → "
    "VERIFYING → UPHELD | REJECTED; a listing's measures are suspended from filing to decision."
)
class Objection:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def id(self) -> str:
        return str(self.raw["id"])

    @strawberry.field(description="The listing objected to (null for an action).")
    def listing_id(self) -> str | None:
        return self.raw.get("listingId")

    @strawberry.field(description="The administrative action objected to (null for a listing).")
    def action_id(self) -> str | None:
        return self.raw.get("actionId")

    @strawberry.field
    def status(self) -> ObjectionStatus:
        return objection_status(self.raw)

    @strawberry.field
    def filed_on(self) -> dt.date:
        day: dt.date = self.raw["filedOn"]
        return day

    @strawberry.field(description="The day verification began (VERIFYING).")
    def verifying_on(self) -> dt.date | None:
        return self.raw.get("verifyingOn")

    @strawberry.field
    def resolved_on(self) -> dt.date | None:
        return self.raw.get("resolvedOn")

    @strawberry.field(
        description="The last day it is decided on time: 10 working days after filing."
    )
    def deadline(self, info: HubInfo) -> dt.date:
        return objection_deadline(self.raw["filedOn"], info.context.calendar)[0]

    @strawberry.field(
        description="True when the deadline counted days beyond the official calendar's years "
        "(weekends plus graph_seed/holidays.toml)."
    )
    def deadline_approximate(self, info: HubInfo) -> bool:
        return objection_deadline(self.raw["filedOn"], info.context.calendar)[1]

    @strawberry.field(description="Not decided and past its deadline today.")
    def overdue(self, info: HubInfo) -> bool:
        deadline = objection_deadline(self.raw["filedOn"], info.context.calendar)[0]
        unresolved = objection_status(self.raw) in (
            ObjectionStatus.FILED,
            ObjectionStatus.VERIFYING,
        )
        return unresolved and deadline < info.context.today()

    @strawberry.field(description="The objection's grounds (not shown to PUBLIC).")
    def reason(self, info: HubInfo) -> str | None:
        return self.raw.get("reason") if _sees_reasons(info) else None

    @strawberry.field(description="The verifying department's answer (not shown to PUBLIC).")
    def resolution(self, info: HubInfo) -> str | None:
        return self.raw.get("resolution") if _sees_reasons(info) else None

    @strawberry.field(description="The listing, with its state today (null for an action).")
    async def listing(self, info: HubInfo) -> Listing | None:
        if not self.raw.get("listingId"):
            return None
        row = await info.context.loaders.listing.load(str(self.raw["listingId"]))
        return Listing(raw=row["l"], as_of=info.context.today()) if row else None


@strawberry.type(description="Court listing details (失信被执行人, 法释〔2017〕7号).")
class CourtListing:
    ground: int = strawberry.field(description="1-6, 法释〔2017〕7号 第一条; 1 is open-ended.")
    case_number: str


@strawberry.type(
    description="Loan default details: reported by a bank, confirmed by the regulator."
)
class LoanListing:
    bank: str
    principal_overdue_since: dt.date
    reported_on: dt.date
    confirmed_by: str
    confirmed_on: dt.date


def listed_subject(label: str | None, raw: dict[str, Any] | None) -> Subject | None:
    """The listed subject, typed by its key; fails closed. A listing without ``subjectLabel``
    was once rendered as an Enterprise, which would have shown a person with the address and
    phone an enterprise shows: the key decides the type, and a label that disagrees with the
    key, or a subject with neither key, gives null rather than a guess."""
    if not raw:
        return None
    kind = label or ("Person" if "idNumber" in raw else "Enterprise" if "uscc" in raw else None)
    if kind == "Person" and raw.get("idNumber") and "uscc" not in raw:
        return subject_of("Person", raw)
    if kind == "Enterprise" and raw.get("uscc") and "idNumber" not in raw:
        return subject_of("Enterprise", raw)
    return None


@strawberry.type(
    description="A listing (名单) of a subject. `status` is its state on `asOf` (the date the "
    "query asked for, today by default)."
)
class Listing:
    raw: strawberry.Private[dict[str, Any]]
    as_of: dt.date

    # The fields a badge reads (schema/subjects.py LISTING_STATE_FIELDS) are plain reads
    # (graphql_engine/execution.py PLAIN_READ): a search's badges complete in its loop.
    @strawberry.field(metadata=PLAIN_READ)
    def id(self) -> str:
        return str(self.raw["id"])

    @strawberry.field(name="list", metadata=PLAIN_READ)
    def list_kind(self) -> ListKind:
        return ListKind(self.raw["list"])

    @strawberry.field(description="Domain code (graph_seed/domains.toml).", metadata=PLAIN_READ)
    def domain(self) -> str:
        return str(self.raw["domain"])

    @strawberry.field(metadata=PLAIN_READ)
    def source(self) -> ListingSource:
        return ListingSource(self.raw["source"])

    @strawberry.field(
        description="State on asOf, computed from the dates and objections.", metadata=PLAIN_READ
    )
    def status(self) -> ListingState:
        return state_of(self.raw, self.as_of)

    @strawberry.field(description="The deciding department (court, regulator, ...).")
    def department(self) -> Department | None:
        code = self.raw.get("department")
        return Department(code=code, name=self.raw.get("departmentName")) if code else None

    @strawberry.field
    def basis(self) -> str | None:
        return self.raw.get("basis")

    @strawberry.field
    def document_number(self) -> str | None:
        return self.raw.get("documentNumber")

    @strawberry.field
    def decision_date(self) -> dt.date | None:
        return self.raw.get("decisionDate")

    @strawberry.field(metadata=PLAIN_READ)
    def effective_from(self) -> dt.date:
        day: dt.date = self.raw["effectiveFrom"]
        return day

    @strawberry.field(
        description="First day it no longer applies (null: open-ended).", metadata=PLAIN_READ
    )
    def expires_on(self) -> dt.date | None:
        return self.raw.get("expiresOn")

    @strawberry.field(description="First day it no longer applies because it was ended.")
    def ended_on(self) -> dt.date | None:
        return self.raw.get("endedOn")

    @strawberry.field
    def end_reason(self) -> EndReason | None:
        reason = self.raw.get("endReason")
        return EndReason(reason) if reason else None

    @strawberry.field(description="effectiveFrom to the last day it applies (inclusive).")
    def period(self) -> Period:
        return Period.of(self.raw)

    @strawberry.field(description="The listed subject.")
    def subject(self) -> Subject | None:
        return listed_subject(self.raw.get("subjectLabel"), self.raw.get("subject"))

    @strawberry.field(description="Persons named as directly responsible (负有直接责任的人员).")
    def liable_persons(self) -> list[Person]:
        return [person_of(p) for p in self.raw.get("liable") or []]

    @strawberry.field
    def court(self) -> CourtListing | None:
        if self.raw.get("source") != ListingSource.COURT:
            return None
        return CourtListing(ground=int(self.raw["ground"]), case_number=self.raw["caseNumber"])

    @strawberry.field
    def loan(self) -> LoanListing | None:
        if self.raw.get("source") != ListingSource.LOAN:
            return None
        return LoanListing(
            bank=self.raw["bank"],
            principal_overdue_since=self.raw["principalOverdueSince"],
            reported_on=self.raw["reportedOn"],
            confirmed_by=self.raw["confirmedBy"],
            confirmed_on=self.raw["confirmedOn"],
        )

    @strawberry.field
    def objections(self) -> list[Objection]:
        rows = sorted(self.raw.get("objections") or [], key=lambda o: (o["filedOn"], o["id"]))
        return [Objection(raw={**o, "listingId": self.raw["id"]}) for o in rows]

    @strawberry.field(description="Every change of state, in the order recorded.")
    def events(self) -> list[ListingEvent]:
        rows = sorted(
            self.raw.get("events") or [],
            key=lambda e: (str(e.get("at")), EVENT_ORDER.get(e["type"], len(EVENT_ORDER))),
        )
        return [ListingEvent(raw=e) for e in rows]

    @strawberry.field(
        description="The personal credit record entries this listing derived (persons "
        "reached). Null with a FORBIDDEN error for PUBLIC callers."
    )
    async def derived_entries(
        self, info: HubInfo
    ) -> list[Annotated[CreditRecordEntry, strawberry.lazy("schema.credit_record")]] | None:
        # A type cycle (a listing's entries, an entry's listing): imported when first asked.
        from schema.credit_record import CreditRecordEntry

        rows = await derived_entry_rows(info.context, str(self.raw["id"]))
        return [
            CreditRecordEntry.of_derived(
                entry=r["entry"], source=self.raw, as_of=self.as_of, person=r["person"]
            )
            for r in rows
        ]

    @strawberry.field(
        description="When it ends on its own and how it can be repaired (the way back); for a "
        "derived entry, the way back of its source listing."
    )
    def way_back(self) -> WayBack:
        return listing_way_back(self.raw)

    @strawberry.field
    def provenance(self) -> Provenance:
        return Provenance.of(self.raw)


def listings_of(rows: list[dict[str, Any]], day: dt.date) -> list[Listing]:
    """Own listings, newest first, with their state on ``day``."""
    ordered = sorted(rows, key=lambda r: (r["effectiveFrom"], r["id"]), reverse=True)
    return [Listing(raw=r, as_of=day) for r in ordered]
