"""The Mutation root: the listing workflows of a department (its own decisions) or an ADMIN."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from hub.errors import NotFound
from hub.rules.listings import EndReason, ListKind
from resolvers import lifecycle, listings
from schema.common import REQUEST_ID, SubjectRef
from schema.listings import HubInfo, Listing, Objection


@strawberry.input(description="A department's listing decision (the exchange kind `listing`).")
class ListingInput:
    id: str = strawberry.field(description="The department's id of the decision (no ':').")
    subject: SubjectRef
    list_kind: ListKind = strawberry.field(name="list")
    domain: str = strawberry.field(description="A domain code of graph_seed/domains.toml.")
    basis: str = strawberry.field(description="Legal basis and facts of the decision.")
    effective_from: dt.date
    department: str | None = strawberry.field(
        default=None, description="Deciding department; a DEPARTMENT key's own by default."
    )
    decision_date: dt.date | None = None
    expires_on: dt.date | None = strawberry.field(
        default=None, description="First day it no longer applies; null: until ended."
    )
    document_number: str | None = None
    liable_persons: list[str] | None = strawberry.field(
        default=None, description="ID numbers of persons named as directly responsible."
    )

    def record(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        subject = {"uscc": self.subject.uscc, "idNumber": self.subject.id_number}
        return {
            "id": self.id,
            "subject": {k: v for k, v in subject.items() if v is not None},
            "list": self.list_kind.value,
            "domain": self.domain,
            "department": self.department,
            "basis": self.basis,
            "documentNumber": self.document_number,
            "decisionDate": day(self.decision_date),
            "effectiveFrom": day(self.effective_from),
            "expiresOn": day(self.expires_on),
            "liablePersons": self.liable_persons,
        }


async def _listing(info: HubInfo, listing_id: str) -> Listing:
    row = await info.context.loaders.listing.load(listing_id)
    if row is None:
        raise NotFound(f"listing {listing_id} does not exist", field="id")
    return Listing(row=row, as_of=info.context.today())


async def _objection(info: HubInfo, objection_id: str) -> Objection:
    row = await info.context.loaders.objection.load(objection_id)
    if row is None:
        raise NotFound(f"objection {objection_id} does not exist", field="id")
    return Objection(row=row)


@strawberry.type
class ListingMutations:
    @strawberry.mutation(
        description="List a subject (BLACK, WATCH, RED) for the caller's department. Derived "
        "entries of the people behind a listed enterprise are written in the same transaction."
    )
    async def list_subject(self, info: HubInfo, input: ListingInput) -> Listing:
        stored = await listings.list_subject(info.context, input.record())
        info.context.loaders.listing.prime(stored.id, stored)
        return Listing(row=stored, as_of=info.context.today())

    @strawberry.mutation(
        description="End a listing from `on` (today by default) with a reason: ENDED, "
        "REVOKED, REMOVED (the court), or REPAIRED: the approval of its pending repair "
        "application (refused without one). Derived entries end with it."
    )
    async def end_listing(
        self,
        info: HubInfo,
        id: str,
        reason: str,
        on: dt.date | None = None,
        kind: EndReason = EndReason.ENDED,
        request_id: REQUEST_ID = None,
    ) -> Listing:
        if kind == EndReason.REPAIRED:  # the approval of the listing's pending application
            await lifecycle.decide_repair(
                info.context, None, True, reason, on, listing_id=id.strip(), request_id=request_id
            )
        else:
            await listings.end_listing(info.context, id.strip(), kind, reason, on, request_id)
        return await _listing(info, id.strip())

    @strawberry.mutation(
        description="Record an objection (异议) filed on `on` (today by default) against a "
        "listing or an administrative action (exactly one): a listing and everything derived "
        "from it are suspended from that day until it is resolved."
    )
    async def file_objection(
        self,
        info: HubInfo,
        reason: str,
        listing_id: str | None = None,
        action_id: str | None = None,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> Objection:
        objection_id = await lifecycle.file_any_objection(
            info.context,
            listing_id.strip() if listing_id else None,
            action_id.strip() if action_id else None,
            reason,
            on,
            request_id,
        )
        return await _objection(info, objection_id)

    @strawberry.mutation(
        description="Resolve a FILED or VERIFYING objection on `on` (today by default): upheld "
        "revokes the listing or action (derived entries end with it); rejected lifts the "
        "suspension."
    )
    async def resolve_objection(
        self,
        info: HubInfo,
        id: str,
        upheld: bool,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> Objection:
        await lifecycle.resolve_objection(info.context, id.strip(), upheld, reason, on, request_id)
        return await _objection(info, id.strip())
