"""Credit-risk early warnings (信用风险预警) as typed values: an EARLY_WARNING event's reasons
and the paths through the graph that carried the risk (docs/feeds.md)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from hub.store.event_reads import EventRow, WarningReasonRow
from schema.links import GraphPath, paths_of
from schema.subjects import HubInfo, Subject, subject_of_row


@strawberry.enum(description="Why a subject was flagged.")
class WarningKind(Enum):
    RELATED_PARTY_LISTED = "RELATED_PARTY_LISTED"  # a tied party newly on BLACK or WATCH
    PENALTIES_ACCUMULATED = "PENALTIES_ACCUMULATED"  # penalties within a year reached the threshold
    GRADE_FELL = "GRADE_FELL"  # the current evaluation grade became worse


@strawberry.type(description="One reason of an early warning; fields of other kinds are null.")
class WarningReason:
    row: strawberry.Private[WarningReasonRow]  # as the caller may see it (resolvers/warnings.py)

    @strawberry.field
    def kind(self) -> WarningKind:
        return WarningKind(self.row.kind)

    @strawberry.field(
        description="The date of the change (a listing's decision, a penalty's, an evaluation's)."
    )
    def on(self) -> dt.date | None:
        return self.row.on

    @strawberry.field(description="RELATED_PARTY_LISTED: the new listing.")
    def listing_id(self) -> str | None:
        return self.row.listing_id

    @strawberry.field(name="list", description="RELATED_PARTY_LISTED: BLACK or WATCH.")
    def list_kind(self) -> str | None:
        return self.row.list

    @strawberry.field(description="RELATED_PARTY_LISTED: the listing's domain.")
    def domain(self) -> str | None:
        return self.row.domain

    @strawberry.field(description="RELATED_PARTY_LISTED: the listing's deciding department.")
    def listing_department(self) -> str | None:
        return self.row.department

    @strawberry.field(description="RELATED_PARTY_LISTED: the party that was listed.")
    def listed_party(self) -> Subject | None:
        return subject_of_row(self.row.listed)

    @strawberry.field(
        description="RELATED_PARTY_LISTED: the ties from the flagged subject to the listed "
        "party, shortest first (at most 3), valid on `asOf` — the investigation's GraphPath."
    )
    def paths(self, info: HubInfo) -> list[GraphPath]:
        day = self.row.as_of or self.row.on or info.context.today()
        return paths_of(info, list(self.row.paths), day)

    @strawberry.field(description="RELATED_PARTY_LISTED: the day the ties were read.")
    def as_of(self) -> dt.date | None:
        return self.row.as_of

    @strawberry.field(
        description="RELATED_PARTY_LISTED: more paths existed, or the listing's lookup reached "
        "its cap (CREDITHUB_WARNING_RELATED_CAP)."
    )
    def truncated(self) -> bool:
        return self.row.truncated

    @strawberry.field(description="PENALTIES_ACCUMULATED: penalties decided since `since`.")
    def penalties(self) -> int | None:
        return self.row.count

    @strawberry.field(description="PENALTIES_ACCUMULATED: CREDITHUB_WARNING_PENALTIES then.")
    def threshold(self) -> int | None:
        return self.row.threshold

    @strawberry.field(description="PENALTIES_ACCUMULATED: the first day of the year counted.")
    def since(self) -> dt.date | None:
        return self.row.since

    @strawberry.field(description="PENALTIES_ACCUMULATED: the penalties counted (latest 50).")
    def action_ids(self) -> list[str] | None:
        ids = self.row.action_ids
        return None if ids is None else list(ids)

    @strawberry.field(description="PENALTIES_ACCUMULATED: the new ones that set it off.")
    def new_action_ids(self) -> list[str] | None:
        ids = self.row.new_action_ids
        return None if ids is None else list(ids)

    @strawberry.field(description="GRADE_FELL: the grade before the change.")
    def from_grade(self) -> str | None:
        return self.row.from_grade

    @strawberry.field(description="GRADE_FELL: the grade now.")
    def to_grade(self) -> str | None:
        return self.row.to_grade

    @strawberry.field(description="GRADE_FELL: the evaluation now in force.")
    def evaluation_id(self) -> str | None:
        return self.row.evaluation_id


@strawberry.type(
    description="A credit-risk early warning (信用风险预警): information for the departments "
    "that supervise the subject, never a measure (no check reads it)."
)
class EarlyWarning:
    row: strawberry.Private[EventRow]  # the EARLY_WARNING event (resolvers/events.py view)

    @strawberry.field(description="The event's number (EARLY_WARNING in `events`).")
    def seq(self) -> int:
        return self.row.seq

    @strawberry.field(description="When the change that caused it was recorded.")
    def at(self) -> dt.datetime:
        return self.row.recorded_at

    @strawberry.field(description="The date of the latest change among its reasons.")
    def on(self) -> dt.date | None:
        return self.row.on

    @strawberry.field(
        description="The flagged subject (its ID number masked unless the role sees personal data)."
    )
    def subject_key(self) -> str:
        return self.row.subject_key

    @strawberry.field(description="Enterprise or Person.")
    def subject_kind(self) -> str:
        return self.row.subject_label or ""

    @strawberry.field(
        description="The departments that supervise the subject (an administrative action "
        "about it or a listing of it): those whose keys read the warning."
    )
    def departments(self) -> list[str]:
        warning = self.row.warning
        return [] if warning is None else list(warning.departments)

    @strawberry.field
    def reasons(self) -> list[WarningReason]:
        warning = self.row.warning
        return [] if warning is None else [WarningReason(row=r) for r in warning.reasons]

    @strawberry.field(description="The reasons in one line.")
    def summary(self) -> str | None:
        return self.row.reason


@strawberry.type
class EarlyWarningPage:
    warnings: list[EarlyWarning]
    last: int = strawberry.field(description="Ask `after: last` for the next page.")
    has_more: bool
