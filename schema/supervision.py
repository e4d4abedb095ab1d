"""Supervision: publication compliance, execution feedback, punishment statistics."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import supervision
from resolvers.context import HubContext
from schema.common import SubjectRef

HubInfo = Info[HubContext, None]


@strawberry.enum
class PublicationFinding(Enum):
    LATE = "LATE"  # published after its deadline
    MISSING = "MISSING"  # not published, and the deadline has passed


@strawberry.type(description="An action published late or not at all.")
class LatePublication:
    action_id: str
    type: str
    title: str | None
    document_number: str | None
    subject_key: str = strawberry.field(description="Masked unless the role sees personal data.")
    decision_date: dt.date
    deadline: dt.date = strawberry.field(description="7 working days after the decision.")
    deadline_approximate: bool = strawberry.field(
        description="The deadline or the days late lie beyond the official calendar."
    )
    published_on: dt.date | None
    finding: PublicationFinding
    days_late: int = strawberry.field(
        description="Calendar days after the deadline (to today while missing)."
    )
    working_days_late: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> LatePublication:
        return cls(
            action_id=row["id"],
            type=row["type"],
            title=row.get("title"),
            document_number=row.get("documentNumber"),
            subject_key=row["subjectKey"],
            decision_date=row["decisionDate"],
            deadline=row["deadline"],
            deadline_approximate=row["deadlineApproximate"],
            published_on=row.get("publishedOn"),
            finding=PublicationFinding(row["finding"].value),
            days_late=row["daysLate"],
            working_days_late=row["workingDaysLate"],
        )


@strawberry.type(description="A department's actions decided in a period, judged for publication.")
class PublicationCompliance:
    department: str
    decided: int
    on_time: int
    not_yet_due: int = strawberry.field(description="Unpublished, deadline not passed yet.")
    findings: list[LatePublication]


@strawberry.input(description="A department applied a measure (执行反馈).")
class ExecutionInput:
    measure: str = strawberry.field(description="A measure code of the catalogue.")
    subject: SubjectRef
    reference: str = strawberry.field(description="Receipt or case number.")
    executed_on: dt.date
    result: str = strawberry.field(description="What was done, e.g. 不予受理 / 已限制.")
    listing_id: str | None = strawberry.field(
        default=None, description="The listing the measure was applied for (on this subject)."
    )
    note: str | None = None
    department: str | None = strawberry.field(
        default=None, description="ADMIN only: the department it is recorded for."
    )


@strawberry.type(description="A recorded execution of a measure.")
class Execution:
    id: str
    measure: str
    subject_key: str
    reference: str
    executed_on: dt.date
    result: str
    listing_id: str | None
    domain: str | None
    department: str
    note: str | None


@strawberry.enum
class StatisticsDimension(Enum):
    DEPARTMENT = "department"
    MEASURE = "measure"
    DOMAIN = "domain"
    MONTH = "month"


@strawberry.enum
class CountedKind(Enum):
    LISTING = "LISTING"
    DERIVED_ENTRY = "DERIVED_ENTRY"
    CHECK = "CHECK"
    EXECUTION = "EXECUTION"


@strawberry.type(
    description="How many records of a kind, for one value of each dimension asked for (null: "
    "not asked, or the kind has no such dimension)."
)
class PunishmentCount:
    kind: CountedKind
    decision: str | None = strawberry.field(description="CHECK: the decision given.")
    department: str | None
    measure: str | None
    domain: str | None
    month: str | None = strawberry.field(description="yyyy-MM")
    count: int


@strawberry.type
class SupervisionQueries:
    @strawberry.field(
        description="Each action the department decided from `from` to `to` (at most 366 "
        "days) that was published after 7 working days, or is not published and overdue."
    )
    async def publication_compliance(
        self,
        info: HubInfo,
        department: str,
        start: Annotated[dt.date, strawberry.argument(name="from")],
        end: Annotated[dt.date, strawberry.argument(name="to")],
    ) -> PublicationCompliance:
        found = await supervision.publication_compliance(info.context, department, start, end)
        return PublicationCompliance(
            department=found.department,
            decided=found.decided,
            on_time=found.on_time,
            not_yet_due=found.not_yet_due,
            findings=[LatePublication.of(row) for row in found.findings],
        )

    @strawberry.field(
        description="Counts of listings, derived entries, checks by decision and executions "
        "from `from` to `to` (at most 366 days), by the dimensions in `groupBy`; with "
        "`department`, only that department's (its listings, its sources' derived entries, "
        "the checks its keys asked, its executions)."
    )
    async def punishment_statistics(
        self,
        info: HubInfo,
        start: Annotated[dt.date, strawberry.argument(name="from")],
        end: Annotated[dt.date, strawberry.argument(name="to")],
        group_by: list[StatisticsDimension] | None = None,
        department: str | None = None,
    ) -> list[PunishmentCount]:
        by = [d.value for d in group_by or []]
        rows = await supervision.punishment_statistics(info.context, start, end, by, department)
        return [
            PunishmentCount(
                kind=CountedKind(r["kind"]),
                decision=r["decision"],
                department=r["department"],
                measure=r["measure"],
                domain=r["domain"],
                month=r["month"],
                count=r["count"],
            )
            for r in rows
        ]


@strawberry.type
class SupervisionMutations:
    @strawberry.mutation(description="Record that the caller's department applied a measure.")
    async def record_execution(self, info: HubInfo, input: ExecutionInput) -> Execution:
        stored = await supervision.record_execution(
            info.context,
            {
                "measure": input.measure,
                "uscc": input.subject.uscc,
                "idNumber": input.subject.id_number,
                "reference": input.reference,
                "executedOn": input.executed_on,
                "result": input.result,
                "listingId": input.listing_id,
                "note": input.note,
                "department": input.department,
            },
        )
        return Execution(
            id=stored["id"],
            measure=stored["measure"],
            subject_key=stored["subjectKey"],
            reference=stored["reference"],
            executed_on=stored["executedOn"],
            result=stored["result"],
            listing_id=stored.get("listingId"),
            domain=stored.get("domain"),
            department=stored["department"],
            note=stored.get("note"),
        )
