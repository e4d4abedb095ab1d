"""The grade lists: `gradeAList` (融资便利) and `focusSupervision` (重点监管), docs/feeds.md."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.rules.measures import Grade
from hub.store.grades import EvaluationRow
from resolvers import grades
from schema.common import PageInfo, SubjectKind
from schema.listings import HubInfo
from schema.rectification import Rectification
from schema.subjects import Subject, subject_of_row


@strawberry.type(description="The evaluation that gives a subject its current grade.")
class CurrentEvaluation:
    row: strawberry.Private[EvaluationRow]  # as the store read it (hub/store/grades.py)

    @strawberry.field
    def id(self) -> str:
        return self.row.id

    @strawberry.field
    def grade(self) -> Grade:
        return Grade(self.row.grade)

    @strawberry.field
    def evaluated_on(self) -> dt.date:
        return self.row.evaluated_on

    @strawberry.field(description="The evaluating department (or platform).")
    def source(self) -> str:
        return self.row.source

    @strawberry.field
    def source_name(self) -> str | None:
        return self.row.source_name


@strawberry.type(description="A subject whose current grade is A.")
class GradedSubject:
    subject: Subject
    evaluation: CurrentEvaluation


@strawberry.type
class GradedConnection:
    nodes: list[GradedSubject]
    page_info: PageInfo
    as_of: dt.date


@strawberry.type(description="A grade D subject on a department's focus-supervision list.")
class FocusSubject:
    subject: Subject
    evaluation: CurrentEvaluation
    departments: list[str] = strawberry.field(
        description="The departments that supervise it (decided an action about it or a "
        "listing on it; else the evaluating department)."
    )
    interview_orders: list[Rectification] = strawberry.field(
        description="The interview orders (约谈) made when it became grade D, of the department "
        "asked (every department's for ADMIN without one), newest first."
    )


@strawberry.type
class FocusConnection:
    nodes: list[FocusSubject]
    page_info: PageInfo
    as_of: dt.date


@strawberry.type
class GradeQueries:
    @strawberry.field(
        description="公共信用综合评价 grade A subjects (优级, pushed to financial institutions "
        "for 融资便利): those whose latest evaluation on `asOf` (today by default) is A, by "
        "identifier; filter by division (chars 3-8 of the USCC), kind and evaluating "
        "department. Any key; persons masked unless the role sees personal data. The feed of "
        "subjects entering or leaving A: `events(filter: {grades: [A]})`."
    )
    async def grade_a_list(
        self,
        info: HubInfo,
        as_of: dt.date | None = None,
        division: str | None = None,
        kind: SubjectKind | None = None,
        department: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> GradedConnection:
        page = await grades.grade_a_list(
            info.context,
            as_of,
            division,
            kind.value if kind else None,
            department,
            first,
            after,
        )
        return GradedConnection(
            nodes=[
                GradedSubject(
                    subject=subject_of_row(r.subject),
                    evaluation=CurrentEvaluation(row=r.evaluation),
                )
                for r in page.rows
            ],
            page_info=PageInfo(has_next_page=page.more, end_cursor=page.cursor),
            as_of=page.as_of,
        )

    @strawberry.field(
        description="重点监管: grade D subjects (latest evaluation on `asOf` is D) supervised by "
        "the department, each with its interview orders (约谈并督促整改). A DEPARTMENT key "
        "reads its own department's list; ADMIN any (every department's without one)."
    )
    async def focus_supervision(
        self,
        info: HubInfo,
        department: str | None = None,
        as_of: dt.date | None = None,
        division: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> FocusConnection:
        page = await grades.focus_list(info.context, department, as_of, division, first, after)
        return FocusConnection(
            nodes=[
                FocusSubject(
                    subject=subject_of_row(r.subject),
                    evaluation=CurrentEvaluation(row=r.evaluation),
                    departments=sorted(r.departments),
                    interview_orders=[
                        Rectification(row=o)
                        for o in sorted(r.orders, key=lambda o: (o.ordered_on, o.id), reverse=True)
                    ],
                )
                for r in page.rows
            ],
            page_info=PageInfo(has_next_page=page.more, end_cursor=page.cursor),
            as_of=page.as_of,
        )
