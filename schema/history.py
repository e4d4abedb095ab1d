"""history(subject): every workflow event about a subject, newest first (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.policy import sees_unpublished
from hub.store.history import HistoryRow
from resolvers.history import history_page
from schema.common import PageInfo, SubjectRef
from schema.listings import HubInfo


@strawberry.type(description="One workflow step about a subject: what, when, who, why.")
class HistoryEvent:
    row: strawberry.Private[HistoryRow]  # as the store read it (hub/store/history.py)

    @strawberry.field(description="LISTING, ACTION or RECTIFICATION.")
    def record_kind(self) -> str:
        return self.row.record_kind

    @strawberry.field(description="The listing, action or order concerned.")
    def record_id(self) -> str:
        return self.row.record_id

    @strawberry.field
    def id(self) -> str:
        return self.row.id

    @strawberry.field(
        description="What: LISTED, OBJECTION_FILED, OBJECTION_VERIFYING, OBJECTION_UPHELD, "
        "REPAIR_APPLIED, REPAIR_APPROVED, REPAIRED, REVOKED, RECTIFICATION_ORDERED, "
        "INTERVIEW_RECORDED, RECTIFIED, ... (the types of Listing.events)."
    )
    def type(self) -> str:
        return self.row.type

    @strawberry.field(description="When it happened (the step's date).")
    def on(self) -> dt.date:
        return self.row.on

    @strawberry.field(description="When it was recorded.")
    def at(self) -> dt.datetime:
        return self.row.at

    @strawberry.field(description="Who: the department that took the step.")
    def department(self) -> str | None:
        return self.row.department

    @strawberry.field(description="Who: the API key that recorded it (not shown to PUBLIC).")
    def by(self, info: HubInfo) -> str | None:
        return self.row.by if sees_unpublished(info.context.actor) else None

    @strawberry.field(description="Why: the stated reason (not shown to PUBLIC).")
    def reason(self, info: HubInfo) -> str | None:
        return self.row.reason if sees_unpublished(info.context.actor) else None


@strawberry.type
class HistoryConnection:
    nodes: list[HistoryEvent]
    page_info: PageInfo


@strawberry.type
class HistoryQueries:
    @strawberry.field(
        description="Every workflow event about a subject (its listings, the actions about it, "
        "its rectification orders): what, when, who, why, newest first. PUBLIC sees only the "
        "events of what the site publishes today, without who and why."
    )
    async def history(
        self, info: HubInfo, subject: SubjectRef, first: int = 20, after: str | None = None
    ) -> HistoryConnection:
        found, more, end = await history_page(
            info.context, subject.uscc, subject.id_number, first, after
        )
        return HistoryConnection(
            nodes=[HistoryEvent(row=r) for r in found],
            page_info=PageInfo(has_next_page=more, end_cursor=end),
        )
