"""Rectification orders and warning interviews (限期整改, 约谈) as GraphQL (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.errors import NotFound
from hub.policy import refuse_unpublished
from hub.rules.rectification import RectificationStatus, overdue
from hub.store.rectifications import RectificationRow
from resolvers import rectification
from schema.common import REQUEST_ID, SubjectRef
from schema.listings import HubInfo

strawberry.enum(
    RectificationStatus,
    description="ORDERED (to do by the deadline), RECTIFIED, INTERVIEWED (the deadline was "
    "missed: a warning interview, in the credit record).",
)


@strawberry.type(description="A rectification order (限期整改) and what followed it.")
class Rectification:
    row: strawberry.Private[RectificationRow]  # as the store read it (hub/store/rectifications.py)

    @strawberry.field
    def id(self) -> str:
        return self.row.id

    @strawberry.field(description="Enterprise or Person (the subject is the one asked about).")
    def subject_kind(self) -> str:
        return self.row.subject_label

    @strawberry.field
    def status(self) -> RectificationStatus:
        return RectificationStatus(self.row.status)

    @strawberry.field(description="The ordering department.")
    def department(self) -> str:
        return self.row.department

    @strawberry.field
    def content(self) -> str:
        return self.row.content

    @strawberry.field
    def basis(self) -> str | None:
        return self.row.basis

    @strawberry.field
    def ordered_on(self) -> dt.date:
        return self.row.ordered_on

    @strawberry.field(description="The last day to rectify.")
    def deadline(self) -> dt.date:
        return self.row.deadline

    @strawberry.field(description="Still ORDERED after its deadline (today).")
    def overdue(self, info: HubInfo) -> bool:
        return overdue(self.row, info.context.today())

    @strawberry.field
    def rectified_on(self) -> dt.date | None:
        return self.row.rectified_on

    @strawberry.field(description="Rectified after the deadline.")
    def late(self) -> bool | None:
        done = self.row.rectified_on
        return None if done is None else done > self.row.deadline

    @strawberry.field(
        description="The warning interview (约谈), held when the deadline was missed."
    )
    def interviewed_on(self) -> dt.date | None:
        return self.row.interviewed_on

    @strawberry.field(description="What the interview recorded.")
    def interview(self) -> str | None:
        return self.row.interview


@strawberry.input(description="A rectification order (限期整改) about one subject.")
class RectificationInput:
    subject: SubjectRef
    content: str = strawberry.field(description="What must be rectified.")
    deadline: dt.date = strawberry.field(description="The last day to rectify.")
    reason: str = strawberry.field(description="Why it is ordered (the facts found).")
    basis: str | None = None
    department: str | None = strawberry.field(
        default=None, description="Ordering department; a DEPARTMENT key's own by default."
    )
    on: dt.date | None = strawberry.field(default=None, description="Ordered on (today).")

    def request(self) -> rectification.OrderRequest:
        return rectification.OrderRequest(
            uscc=self.subject.uscc,
            id_number=self.subject.id_number,
            content=self.content,
            basis=self.basis,
            deadline=self.deadline,
            reason=self.reason,
            department=self.department,
            on=self.on,
        )


async def _order(info: HubInfo, order_id: str) -> Rectification:
    found = await rectification.order_by_id(info.context, order_id)
    if found is None:
        raise NotFound(f"rectification order {order_id} does not exist", field="id")
    return Rectification(row=found)


@strawberry.type
class RectificationQueries:
    @strawberry.field(
        description="A subject's rectification orders and interviews, newest first (keyed "
        "callers: part of its credit record)."
    )
    async def rectifications(self, info: HubInfo, subject: SubjectRef) -> list[Rectification]:
        refuse_unpublished(info.context.actor, "a rectification order")
        found = await rectification.orders_of(info.context, subject.uscc, subject.id_number)
        return [Rectification(row=r) for r in found]

    @strawberry.field(
        description="A department's orders still ORDERED after their deadline, the longest "
        "overdue first (a DEPARTMENT key: its own; ADMIN names one)."
    )
    async def overdue_rectifications(
        self, info: HubInfo, department: str | None = None
    ) -> list[Rectification]:
        found = await rectification.overdue_orders(info.context, department)
        return [Rectification(row=r) for r in found]


@strawberry.type
class RectificationMutations:
    @strawberry.mutation(description="Order a subject to rectify by a deadline (限期整改).")
    async def order_rectification(
        self, info: HubInfo, input: RectificationInput, request_id: REQUEST_ID = None
    ) -> Rectification:
        order_id = await rectification.order_rectification(
            info.context, input.request(), request_id
        )
        return await _order(info, order_id)

    @strawberry.mutation(description="Record that an ORDERED or INTERVIEWED order was rectified.")
    async def record_rectified(
        self,
        info: HubInfo,
        id: str,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> Rectification:
        await rectification.record_step(info.context, id.strip(), False, reason, on, request_id)
        return await _order(info, id.strip())

    @strawberry.mutation(
        description="Record the warning interview (约谈) of an ORDERED order whose deadline was "
        "missed; it enters the subject's credit record."
    )
    async def record_interview(
        self,
        info: HubInfo,
        id: str,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> Rectification:
        await rectification.record_step(info.context, id.strip(), True, reason, on, request_id)
        return await _order(info, id.strip())
