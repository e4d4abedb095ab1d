"""Credit commitments (信用承诺) and voluntary information (自愿注册): types, the mutations of a
department, and ``commitment(code)``. Every reader sees them at its level
(hub/rules/commitments.py); docs/lifecycle.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from hub.errors import NotFound
from hub.rules.commitments import (
    CATEGORY_NAMES,
    FULFILMENT_NAMES,
    TYPE_NAMES,
    CommitmentDisclosure,
    CommitmentType,
    Fulfilment,
    VerificationStatus,
    VoluntaryCategory,
    caution_ends,
)
from hub.rules.measures import Scenario
from hub.store.commitments import CommitmentRow, VoluntaryRow
from resolvers import commitments
from resolvers.subjects import subject_key
from schema.common import REQUEST_ID, SubjectRef
from schema.subjects import HubInfo, Subject, subject_of_row

strawberry.enum(
    CommitmentType,
    description="审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他.",
)
strawberry.enum(
    CommitmentDisclosure,
    description="Who reads a commitment: PUBLIC everyone; GOVERNMENT every keyed caller; NONE "
    "its department and ADMIN.",
)
strawberry.enum(Fulfilment, description="FULFILLED, PARTLY, BROKEN (a dishonesty record).")
strawberry.enum(
    VoluntaryCategory, description="资质资格, 合同履约, 公益慈善, 其他 (self-declared information)."
)
strawberry.enum(
    VerificationStatus,
    description="PENDING until its department verifies it; only ACCEPTED is public.",
)


@strawberry.type(description="How a commitment was kept: recorded once, by its department.")
class CommitmentFulfilment:
    status: Fulfilment
    status_name: str = strawberry.field(description="已履行, 部分履行, 未履行（违诺）.")
    undone: str | None = strawberry.field(description="What was left undone (PARTLY, BROKEN).")
    confirmed_on: dt.date = strawberry.field(
        description="When it was confirmed; for BROKEN the day of the breach."
    )
    confirmed_by_raw: strawberry.Private[str | None]

    @strawberry.field(description="Who confirmed it (an official): null for PUBLIC callers.")
    def confirmed_by(self, info: HubInfo) -> str | None:
        return self.confirmed_by_raw if commitments.keyed(info.context) else None


@strawberry.type(description="A credit commitment (信用承诺), with its fulfilment once recorded.")
class Commitment:
    row: strawberry.Private[CommitmentRow]  # as the store read it (hub/store/commitments.py)

    @strawberry.field(description="6-digit division + yyyyMMdd + 6-digit sequence (20 chars).")
    def code(self) -> str:
        return self.row.code

    @strawberry.field
    def type(self) -> CommitmentType:
        return CommitmentType(self.row.type)

    @strawberry.field(description="The type in Chinese (审批替代型 …).")
    def type_name(self) -> str:
        return TYPE_NAMES[CommitmentType(self.row.type)]

    @strawberry.field
    def content(self) -> str:
        return self.row.content

    @strawberry.field(description="The liability the subject accepts for a breach.")
    def liability(self) -> str:
        return self.row.liability

    @strawberry.field(description="The approval it replaced or accompanied.")
    def scenario(self) -> Scenario | None:
        return Scenario(self.row.scenario) if self.row.scenario else None

    @strawberry.field(description="The case number of that approval.")
    def case_number(self) -> str | None:
        return self.row.case_number

    @strawberry.field
    def made_on(self) -> dt.date:
        return self.row.made_on

    @strawberry.field
    def disclosure(self) -> CommitmentDisclosure:
        return CommitmentDisclosure(str(self.row.disclosure))

    @strawberry.field(description="The department that recorded it.")
    def department(self) -> str:
        return str(self.row.department)

    @strawberry.field
    def department_name(self) -> str | None:
        return self.row.department_name

    @strawberry.field(description="Who made it.")
    def subject(self) -> Subject | None:
        return subject_of_row(self.row.subject)

    @strawberry.field(description="Null until recorded.")
    def fulfilment(self) -> CommitmentFulfilment | None:
        kept = self.row.fulfilment
        if kept is None:
            return None
        return CommitmentFulfilment(
            status=Fulfilment(kept.status),
            status_name=FULFILMENT_NAMES[Fulfilment(kept.status)],
            undone=kept.undone,
            confirmed_on=kept.confirmed_on,
            confirmed_by_raw=kept.confirmed_by,
        )

    @strawberry.field(description="BROKEN: a dishonesty record (失信记录) in the credit record.")
    def dishonest(self) -> bool:
        return self.row.broken_on is not None

    @strawberry.field(
        description="BROKEN with a scenario: the first day its CAUTION no longer applies in "
        "checks of that scenario (the breach's anniversary)."
    )
    def caution_ends_on(self) -> dt.date | None:
        broken_on = self.row.broken_on
        if broken_on is None or not self.row.scenario:
            return None
        return caution_ends(broken_on)


@strawberry.type(description="Self-declared information (自愿注册), entered by a department.")
class VoluntaryInformation:
    row: strawberry.Private[VoluntaryRow]  # as the store read it (hub/store/commitments.py)

    @strawberry.field
    def id(self) -> str:
        return self.row.id

    @strawberry.field
    def category(self) -> VoluntaryCategory:
        return VoluntaryCategory(self.row.category)

    @strawberry.field(description="资质资格, 合同履约, 公益慈善, 其他.")
    def category_name(self) -> str:
        return CATEGORY_NAMES[VoluntaryCategory(self.row.category)]

    @strawberry.field
    def content(self) -> str:
        return self.row.content

    @strawberry.field(description="The subject's commitment that the information is true.")
    def truthfulness_commitment(self) -> str:
        return self.row.truthfulness_commitment

    @strawberry.field
    def registered_on(self) -> dt.date:
        return self.row.registered_on

    @strawberry.field
    def status(self) -> VerificationStatus:
        return VerificationStatus(self.row.status)

    @strawberry.field(description="The department that entered and verifies it.")
    def department(self) -> str:
        return self.row.department

    @strawberry.field
    def department_name(self) -> str | None:
        return self.row.department_name

    @strawberry.field
    def verified_on(self) -> dt.date | None:
        return self.row.verified_on

    @strawberry.field(description="Why it was accepted or rejected.")
    def verification_reason(self) -> str | None:
        return self.row.verification_reason


@strawberry.input(description="A commitment a subject made to the caller's department.")
class CommitmentInput:
    subject: SubjectRef
    type: CommitmentType
    content: str
    liability: str = strawberry.field(description="违诺责任: what the subject accepts if broken.")
    made_on: dt.date
    scenario: Scenario | None = strawberry.field(
        default=None,
        description="The approval it replaced or accompanied (required for 审批替代型, "
        "容缺受理型 and 证明事项型).",
    )
    case_number: str | None = None
    disclosure: CommitmentDisclosure = CommitmentDisclosure.PUBLIC
    department: str | None = strawberry.field(
        default=None, description="Recording department; a DEPARTMENT key's own by default."
    )
    request_id: str | None = strawberry.field(
        default=None,
        description="The caller's id of this request: a retry with it returns the commitment "
        "already recorded (other content under it: CONFLICT).",
    )

    def record(self) -> dict[str, Any]:
        subject = {"uscc": self.subject.uscc, "idNumber": self.subject.id_number}
        return {
            "subject": {k: v for k, v in subject.items() if v is not None},
            "type": self.type.value,
            "content": self.content,
            "liability": self.liability,
            "madeOn": self.made_on.isoformat(),
            "scenario": self.scenario.value if self.scenario else None,
            "caseNumber": self.case_number,
            "disclosure": self.disclosure.value,
            "department": self.department,
        }


@strawberry.input(description="How a commitment was kept.")
class FulfilmentInput:
    status: Fulfilment
    confirmed_on: dt.date = strawberry.field(description="For BROKEN: the day of the breach.")
    confirmed_by: str = strawberry.field(description="Who confirmed it (an official).")
    undone: str | None = strawberry.field(
        default=None, description="What was left undone: required for PARTLY and BROKEN."
    )

    def record(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "confirmedOn": self.confirmed_on.isoformat(),
            "confirmedBy": self.confirmed_by,
            "undone": self.undone,
        }


@strawberry.input(description="Self-declared information a department enters for a subject.")
class VoluntaryInformationInput:
    subject: SubjectRef
    category: VoluntaryCategory
    content: str
    truthfulness_commitment: str = strawberry.field(
        description="The subject's written commitment that the information is true."
    )
    registered_on: dt.date | None = strawberry.field(default=None, description="Today by default.")
    department: str | None = strawberry.field(
        default=None, description="Entering department; a DEPARTMENT key's own (ADMIN names it)."
    )
    request_id: str | None = strawberry.field(
        default=None, description="A retry with it returns the registration already made."
    )


@strawberry.type
class CommitmentQueries:
    @strawberry.field(
        description="A commitment by its code, at the caller's level: null when there is none "
        "or the caller may not read it (PUBLIC: PUBLIC ones; keys: GOVERNMENT too; NONE: its "
        "department and ADMIN)."
    )
    async def commitment(self, info: HubInfo, code: str) -> Commitment | None:
        row = await commitments.commitment(info.context, code.strip())
        return Commitment(row=row) if row else None


@strawberry.type
class CommitmentMutations:
    @strawberry.mutation(
        description="Record a commitment for the caller's department; the hub gives its code."
    )
    async def record_commitment(self, info: HubInfo, input: CommitmentInput) -> Commitment:
        stored = await commitments.record_commitment(info.context, input.record(), input.request_id)
        row = await commitments.commitment(info.context, stored.code)
        return Commitment(row=row or stored)

    @strawberry.mutation(
        description="Record how a commitment was kept (once; BROKEN cautions its scenario for "
        "a year from confirmedOn). Its department or ADMIN."
    )
    async def record_fulfilment(
        self,
        info: HubInfo,
        code: str,
        input: FulfilmentInput,
        request_id: REQUEST_ID = None,
    ) -> Commitment:
        await commitments.record_fulfilment(info.context, code.strip(), input.record(), request_id)
        row = await commitments.commitment(info.context, code.strip())
        if row is None:
            raise NotFound(f"commitment {code} does not exist", field="code")
        return Commitment(row=row)

    @strawberry.mutation(description="Enter self-declared information for a subject: PENDING.")
    async def register_voluntary_information(
        self, info: HubInfo, input: VoluntaryInformationInput
    ) -> VoluntaryInformation:
        subject = input.subject
        stored = await commitments.register_voluntary(
            info.context,
            subject_key(subject.uscc, subject.id_number, today=info.context.today()),
            input.category,
            input.content,
            input.truthfulness_commitment,
            input.registered_on,
            input.request_id,
            input.department,
        )
        return VoluntaryInformation(
            row=await commitments.voluntary_by_id(info.context, stored["id"])
        )

    @strawberry.mutation(
        description="Accept or reject PENDING information (once): its department or ADMIN."
    )
    async def verify_voluntary_information(
        self,
        info: HubInfo,
        id: str,
        accepted: bool,
        reason: str,
        on: dt.date | None = None,
        request_id: REQUEST_ID = None,
    ) -> VoluntaryInformation:
        await commitments.verify_voluntary(
            info.context, id.strip(), accepted, reason, on, request_id
        )
        return VoluntaryInformation(row=await commitments.voluntary_by_id(info.context, id.strip()))
