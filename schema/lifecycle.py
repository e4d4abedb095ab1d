"""Objections to listings and actions (VERIFYING, deadlines, the overdue list) and repair
applications, as GraphQL (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.errors import NotFound
from hub.policy import sees_unpublished
from hub.rules.repair import Condition, RepairStatus, decision_deadline
from hub.store.repair_changes import RepairRow
from resolvers import lifecycle
from schema.common import REQUEST_ID
from schema.listings import HubInfo, Listing, Objection

strawberry.enum(RepairStatus, description="PENDING, APPROVED (the record ended), REFUSED.")


@strawberry.type(
    description="A credit repair application (信用修复) against a listing or a penalty."
)
class RepairApplication:
    row: strawberry.Private[RepairRow]  # as the store read it (hub/store/repair_changes.py)

    @strawberry.field
    def id(self) -> str:
        return self.row.id

    @strawberry.field
    def listing_id(self) -> str | None:
        return self.row.target_id if self.row.target_label == "Listing" else None

    @strawberry.field
    def action_id(self) -> str | None:
        return self.row.target_id if self.row.target_label == "Action" else None

    @strawberry.field
    def status(self) -> RepairStatus:
        return RepairStatus(self.row.status)

    @strawberry.field
    def applied_on(self) -> dt.date:
        return self.row.requested_on

    @strawberry.field(description="Why it was refused at once, or null.")
    def refusal(self) -> str | None:
        return self.row.refusal

    @strawberry.field(
        description="The first day an application against the record can succeed (null: the "
        "record cannot be repaired)."
    )
    def earliest_success(self) -> dt.date | None:
        return self.row.earliest

    @strawberry.field(description="The last day it is decided on time: 10 working days.")
    def deadline(self, info: HubInfo) -> dt.date:
        return decision_deadline(self.row.requested_on, info.context.calendar)[0]

    @strawberry.field(description="True when the deadline counted beyond the official calendar.")
    def deadline_approximate(self, info: HubInfo) -> bool:
        return decision_deadline(self.row.requested_on, info.context.calendar)[1]

    @strawberry.field(description="PENDING and past its deadline today.")
    def overdue(self, info: HubInfo) -> bool:
        deadline = decision_deadline(self.row.requested_on, info.context.calendar)[0]
        return self.row.status == RepairStatus.PENDING and deadline < info.context.today()

    @strawberry.field
    def decided_on(self) -> dt.date | None:
        return self.row.decided_on

    @strawberry.field(description="The deciding department's reason (not shown to PUBLIC).")
    def decision(self, info: HubInfo) -> str | None:
        return self.row.decision if sees_unpublished(info.context.actor) else None

    @strawberry.field(description="What the applicant stated (not shown to PUBLIC).")
    def statement(self, info: HubInfo) -> str | None:
        return self.row.reason if sees_unpublished(info.context.actor) else None

    @strawberry.field(
        description="The listing applied against, with its state today (null for a penalty)."
    )
    async def listing(self, info: HubInfo) -> Listing | None:
        if self.row.target_label != "Listing":
            return None
        row = await info.context.loaders.listing.load(str(self.row.target_id))
        return Listing(row=row, as_of=info.context.today()) if row else None

    @strawberry.field(description="The conditions the application gave evidence of.")
    def evidence(self) -> list[Condition]:
        given = [
            (Condition.CONDUCT_CORRECTED, self.row.conduct_corrected),
            (Condition.PUBLIC_COMMITMENT, self.row.public_commitment),
            (Condition.REPAIR_TRAINING, self.row.repair_training),
            (Condition.CREDIT_REPORT, self.row.credit_report),
        ]
        return [c for c, value in given if value]


@strawberry.input(description="A repair application against exactly one listing or penalty.")
class RepairInput:
    listing_id: str | None = None
    action_id: str | None = None
    conduct_corrected: bool = strawberry.field(
        description="The dishonest conduct was corrected and the obligations performed."
    )
    public_commitment: str | None = strawberry.field(
        default=None, description="The public credit repair commitment (text or its number)."
    )
    repair_training: str | None = strawberry.field(
        default=None, description="The repair training taken (certificate number)."
    )
    credit_report: str | None = strawberry.field(
        default=None, description="The credit report given (its number)."
    )
    reason: str = strawberry.field(description="What the applicant states.")
    on: dt.date | None = strawberry.field(default=None, description="Applied on (today).")

    def request(self) -> lifecycle.RepairRequest:
        return lifecycle.RepairRequest(
            listing_id=self.listing_id.strip() if self.listing_id else None,
            action_id=self.action_id.strip() if self.action_id else None,
            conduct_corrected=self.conduct_corrected,
            public_commitment=self.public_commitment,
            repair_training=self.repair_training,
            credit_report=self.credit_report,
            reason=self.reason,
            on=self.on,
        )


async def repair_application(info: HubInfo, repair_id: str) -> RepairApplication:
    found = await lifecycle.repair_by_id(info.context, repair_id)
    if found is None:
        raise NotFound(f"repair application {repair_id} does not exist", field="id")
    return RepairApplication(row=found)


async def _objection(info: HubInfo, objection_id: str) -> Objection:
    row = await info.context.loaders.objection.load(objection_id)
    if row is None:
        raise NotFound(f"objection {objection_id} does not exist", field="id")
    return Objection(row=row)


@strawberry.type
class LifecycleQueries:
    @strawberry.field(
        description="The undecided objections to a department's listings and actions (a "
        "DEPARTMENT key: its own; ADMIN names one), overdue ones first (longest overdue first), "
        "then by deadline."
    )
    async def overdue_objections(
        self, info: HubInfo, department: str | None = None
    ) -> list[Objection]:
        found = await lifecycle.open_objections(info.context, department)
        return [Objection(row=o.row) for o in found]

    @strawberry.field(
        description="The PENDING repair applications a department decides (a DEPARTMENT key: "
        "its own; ADMIN names one), overdue ones first, then by deadline."
    )
    async def pending_repairs(
        self, info: HubInfo, department: str | None = None
    ) -> list[RepairApplication]:
        found = await lifecycle.pending_repairs(info.context, department)
        return [RepairApplication(row=r) for r in found]

    @strawberry.field(
        description="A repair application by id: the deciding department's (or ADMIN's)."
    )
    async def repair_application(self, info: HubInfo, id: str) -> RepairApplication:
        found = await repair_application(info, id.strip())
        lifecycle.department_asked(info.context, found.row.decider)
        return found


@strawberry.type
class LifecycleMutations:
    @strawberry.mutation(
        description="The deciding department starts verifying a FILED objection (VERIFYING)."
    )
    async def start_verification(
        self,
        info: HubInfo,
        id: str,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> Objection:
        await lifecycle.start_verification(info.context, id.strip(), reason, on, request_id)
        return await _objection(info, id.strip())

    @strawberry.mutation(
        description="Record a repair application: REFUSED at once with the reason when too "
        "early, not repairable or a condition is missing; else PENDING for decideRepair."
    )
    async def apply_for_repair(
        self, info: HubInfo, input: RepairInput, request_id: REQUEST_ID = None
    ) -> RepairApplication:
        repair_id = await lifecycle.apply_for_repair(info.context, input.request(), request_id)
        return await repair_application(info, repair_id)

    @strawberry.mutation(
        description="Decide a PENDING repair application on `on` (today): approval ends the "
        "record (REPAIRED) and everything derived from it that day."
    )
    async def decide_repair(
        self,
        info: HubInfo,
        id: str,
        approved: bool,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> RepairApplication:
        repair_id = await lifecycle.decide_repair(
            info.context, id.strip(), approved, reason, on, request_id=request_id
        )
        return await repair_application(info, repair_id)
