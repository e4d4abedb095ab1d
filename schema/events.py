"""The event log: `events` (pull), `subscription events` (push), watchlists (docs/feeds.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from enum import Enum

import strawberry
from strawberry.types import Info

from hub.rules.measures import Grade
from hub.store.event_reads import EventRow
from resolvers import events
from resolvers.context import HubContext
from schema.common import SubjectRef
from schema.warnings import EarlyWarning, EarlyWarningPage

HubInfo = Info[HubContext, None]


@strawberry.enum(description="What changed (docs/feeds.md).")
class EventType(Enum):
    LISTED = "LISTED"
    UPDATED = "UPDATED"
    SUSPENDED = "SUSPENDED"
    ENDED = "ENDED"
    REMOVED = "REMOVED"
    REVOKED = "REVOKED"
    REPAIRED = "REPAIRED"
    OBJECTION_UPHELD = "OBJECTION_UPHELD"
    OBJECTION_REJECTED = "OBJECTION_REJECTED"
    DERIVED_ADDED = "DERIVED_ADDED"
    DERIVED_ENDED = "DERIVED_ENDED"
    EVALUATION_CHANGED = "EVALUATION_CHANGED"
    EXECUTION_RECORDED = "EXECUTION_RECORDED"
    COMMITMENT_BROKEN = "COMMITMENT_BROKEN"
    EARLY_WARNING = "EARLY_WARNING"
    # workflow steps
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_VERIFYING = "OBJECTION_VERIFYING"
    REPAIR_APPLIED = "REPAIR_APPLIED"
    REPAIR_REFUSED = "REPAIR_REFUSED"
    REPAIR_APPROVED = "REPAIR_APPROVED"
    RECTIFICATION_ORDERED = "RECTIFICATION_ORDERED"
    RECTIFIED = "RECTIFIED"
    INTERVIEW_RECORDED = "INTERVIEW_RECORDED"
    VOLUNTARY_REGISTERED = "VOLUNTARY_REGISTERED"
    VOLUNTARY_VERIFIED = "VOLUNTARY_VERIFIED"


assert {t.value for t in EventType} == set(events.EVENT_TYPES)  # noqa: S101 - declared twice, kept equal


@strawberry.input(description="Events of these subjects, domains and types (each optional, ANDed).")
class EventFilter:
    subjects: list[SubjectRef] | None = None
    domains: list[str] | None = None
    types: list[EventType] | None = None
    grades: list[Grade] | None = strawberry.field(
        default=None,
        description="Only EVALUATION_CHANGED events that moved a subject's current grade into "
        "or out of one of these: [A] is the feed of subjects entering or leaving grade A.",
    )
    watchlist: bool = strawberry.field(
        default=False,
        description="Only events of the caller's watched subjects or domains (`watch`).",
    )


def _query(given: EventFilter | None) -> events.EventQuery:
    if given is None:
        return events.EventQuery()
    subjects = (
        [events.subject_key(s.uscc, s.id_number) for s in given.subjects]
        if given.subjects is not None
        else None
    )
    return events.EventQuery(
        subjects=subjects,
        domains=given.domains,
        types=[t.value for t in given.types] if given.types is not None else None,
        grades=[g.value for g in given.grades] if given.grades is not None else None,
        watchlist=given.watchlist,
    )


@strawberry.type(description="One change, numbered: `seq` increases by one per event, no gaps.")
class Event:
    row: strawberry.Private[EventRow]  # as the caller may see it (resolvers/events.py view)

    @strawberry.field
    def seq(self) -> int:
        return self.row.seq

    @strawberry.field
    def type(self) -> EventType:
        return EventType(self.row.type)

    @strawberry.field(description="When the change was recorded.")
    def at(self) -> dt.datetime:
        return self.row.recorded_at

    @strawberry.field(description="The date the change takes effect.")
    def on(self) -> dt.date | None:
        return self.row.on

    @strawberry.field(description="USCC or ID number (masked unless the role sees personal data).")
    def subject_key(self) -> str:
        return self.row.subject_key

    @strawberry.field(description="Enterprise or Person.")
    def subject_kind(self) -> str:
        return self.row.subject_label or ""

    @strawberry.field
    def listing_id(self) -> str | None:
        return self.row.listing_id

    @strawberry.field(description="The source listing of a derived entry.")
    def source_id(self) -> str | None:
        return self.row.source_id

    @strawberry.field(description="The administrative action of an objection decided about it.")
    def action_id(self) -> str | None:
        return self.row.action_id

    @strawberry.field(description="The commitment of COMMITMENT_BROKEN (its 20-character code).")
    def commitment_code(self) -> str | None:
        return self.row.commitment_code

    @strawberry.field(
        description="The workflow record of the step: an objection, a repair application, a "
        "rectification order or voluntary information (its id)."
    )
    def record_id(self) -> str | None:
        return self.row.record_id

    @strawberry.field(name="list")
    def list_kind(self) -> str | None:
        return self.row.list

    @strawberry.field
    def domain(self) -> str | None:
        return self.row.domain

    @strawberry.field(description="The deciding (or evaluating) department.")
    def department(self) -> str | None:
        return self.row.department

    @strawberry.field
    def derived(self) -> bool:
        return self.row.derived

    @strawberry.field(description="EVALUATION_CHANGED: the new grade.")
    def grade(self) -> str | None:
        return self.row.grade

    @strawberry.field(
        description="EVALUATION_CHANGED: the subject's current grade (its latest evaluation's) "
        "before the change; null when it had none."
    )
    def previous_grade(self) -> str | None:
        return self.row.previous_grade

    @strawberry.field(description="EVALUATION_CHANGED: the subject's current grade after it.")
    def current_grade(self) -> str | None:
        return self.row.current_grade

    @strawberry.field(description="EXECUTION_RECORDED: the measure's code.")
    def measure(self) -> str | None:
        return self.row.measure

    @strawberry.field(description="EXECUTION_RECORDED: the result reported.")
    def result(self) -> str | None:
        return self.row.result

    @strawberry.field(description="Why (keyed callers only).")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field(description="Shown to anonymous callers too.")
    def public(self) -> bool:
        return self.row.public

    @strawberry.field(description="EARLY_WARNING: its reasons and paths (null otherwise).")
    def warning(self) -> EarlyWarning | None:
        return EarlyWarning(row=self.row) if self.row.warning else None


@strawberry.type
class EventPage:
    events: list[Event]
    last: int = strawberry.field(description="Ask `after: last` for the next page.")
    has_more: bool


@strawberry.type(description="What an API key follows.")
class Watchlist:
    subjects: list[str]
    domains: list[str]


@strawberry.type
class EventQueries:
    @strawberry.field(
        description="Events numbered after `after` (0: from the first), oldest first. Resume "
        "with the `last` of the previous page: every event comes once, in order."
    )
    async def events(
        self, info: HubInfo, after: int = 0, first: int = 100, filter: EventFilter | None = None
    ) -> EventPage:
        found = await events.page(info.context, after, first, _query(filter))
        return EventPage(
            events=[Event(row=e) for e in found.events], last=found.last, has_more=found.has_more
        )

    @strawberry.field(
        description="Credit-risk early warnings of the subjects a department supervises, "
        "oldest first (DEPARTMENT: its own; INVESTIGATOR, ADMIN: the department named, or "
        "every warning). Resume with the `last` of the previous page."
    )
    async def early_warnings(
        self, info: HubInfo, department: str | None = None, after: int = 0, first: int = 100
    ) -> EarlyWarningPage:
        found = await events.early_warnings(info.context, department, after, first)
        return EarlyWarningPage(
            warnings=[EarlyWarning(row=e) for e in found.events],
            last=found.last,
            has_more=found.has_more,
        )

    @strawberry.field(description="The subjects and domains the caller's key follows.")
    async def watchlist(self, info: HubInfo) -> Watchlist:
        stored = await events.own_watchlist(info.context)
        return Watchlist(subjects=stored["subjects"], domains=stored["domains"])


@strawberry.type
class EventMutations:
    @strawberry.mutation(description="Follow subjects and domains (the caller's key).")
    async def watch(
        self,
        info: HubInfo,
        subjects: list[SubjectRef] | None = None,
        domains: list[str] | None = None,
    ) -> Watchlist:
        refs = [(s.uscc, s.id_number) for s in subjects or []]
        stored = await events.change_watchlist(info.context, (refs, domains or []), ([], []))
        return Watchlist(subjects=stored["subjects"], domains=stored["domains"])

    @strawberry.mutation(description="Stop following subjects and domains.")
    async def unwatch(
        self,
        info: HubInfo,
        subjects: list[SubjectRef] | None = None,
        domains: list[str] | None = None,
    ) -> Watchlist:
        refs = [(s.uscc, s.id_number) for s in subjects or []]
        stored = await events.change_watchlist(info.context, ([], []), (refs, domains or []))
        return Watchlist(subjects=stored["subjects"], domains=stored["domains"])


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every event after `after`, in order: the stored ones, then each new one as "
        "it is committed. Over WebSocket (graphql-transport-ws) at /graphql; the key in the "
        'connection_init payload ({"authorization": "Bearer <token>"}).'
    )
    async def events(
        self, info: HubInfo, after: int = 0, filter: EventFilter | None = None
    ) -> AsyncGenerator[Event, None]:
        async for row in events.stream(info.context, after, _query(filter)):
            yield Event(row=row)
