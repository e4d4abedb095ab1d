"""history(subject): every workflow event about a subject, newest first (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from hub.policy import sees_unpublished
from resolvers.history import history_page
from schema.common import PageInfo, SubjectRef
from schema.listings import HubInfo


@strawberry.type(description="One workflow step about a subject: what, when, who, why.")
class HistoryEvent:
    raw: strawberry.Private[dict[str, Any]]
    record_kind: str = strawberry.field(description="LISTING, ACTION or RECTIFICATION.")
    record_id: str = strawberry.field(description="The listing, action or order concerned.")

    @strawberry.field
    def id(self) -> str:
        return str(self.raw["id"])

    @strawberry.field(
        description="What: LISTED, OBJECTION_FILED, OBJECTION_VERIFYING, OBJECTION_UPHELD, "
        "REPAIR_APPLIED, REPAIR_APPROVED, REPAIRED, REVOKED, RECTIFICATION_ORDERED, "
        "INTERVIEW_RECORDED, RECTIFIED, ... (the types of Listing.events)."
    )
    def type(self) -> str:
        return str(self.raw["type"])

    @strawberry.field(description="When it happened (the step's date).")
    def on(self) -> dt.date:
        day: dt.date = self.raw["on"]
        return day

    @strawberry.field(description="When it was recorded.")
    def at(self) -> dt.datetime:
        moment: dt.datetime = self.raw["at"]
        return moment

    @strawberry.field(description="Who: the department that took the step.")
    def department(self) -> str | None:
        return self.raw.get("department")

    @strawberry.field(description="Who: the API key that recorded it (not shown to PUBLIC).")
    def by(self, info: HubInfo) -> str | None:
        return self.raw.get("by") if sees_unpublished(info.context.actor) else None

    @strawberry.field(description="Why: the stated reason (not shown to PUBLIC).")
    def reason(self, info: HubInfo) -> str | None:
        return self.raw.get("reason") if sees_unpublished(info.context.actor) else None


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
            nodes=[
                HistoryEvent(raw=r["e"], record_kind=r["kind"], record_id=r["record"])
                for r in found
            ],
            page_info=PageInfo(has_next_page=more, end_cursor=end),
        )
