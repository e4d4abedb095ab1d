"""Credit reports (信用报告) in the API: issue, read, verify (resolvers/reports.py)."""

from __future__ import annotations

import base64
import datetime as dt
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from hub.store.reports import ReportRow
from resolvers import reports as r
from schema.common import SubjectRef
from schema.listings import HubInfo


@strawberry.enum(description="报告用途: 自查, 专项资金申报, 招投标, 评优评先, 其他.")
class ReportPurpose(Enum):
    SELF_CHECK = "SELF_CHECK"
    SPECIAL_FUNDS = "SPECIAL_FUNDS"
    BIDDING = "BIDDING"
    HONORS = "HONORS"
    OTHER = "OTHER"


@strawberry.enum(
    description="GENUINE: as issued; ALTERED: the number exists, the file differs; "
    "UNKNOWN: no report with this number."
)
class ReportCheck(Enum):
    GENUINE = "GENUINE"
    ALTERED = "ALTERED"
    UNKNOWN = "UNKNOWN"


@strawberry.type(description="An issued credit report as it was stored.")
class CreditReport:
    row: strawberry.Private[ReportRow]  # as the store read it (hub/store/reports.py)

    @strawberry.field(description="14-digit issue time (Asia/Shanghai) + 8 base-32 characters.")
    def number(self) -> str:
        return self.row.number

    @strawberry.field
    def uscc(self) -> str:
        return self.row.subject

    @strawberry.field
    def subject_name(self) -> str:
        return self.row.subject_name

    @strawberry.field
    def as_of(self) -> dt.date:
        return self.row.as_of

    @strawberry.field
    def purpose(self) -> ReportPurpose:
        return ReportPurpose(self.row.purpose)

    @strawberry.field
    def issued_at(self) -> dt.datetime:
        return self.row.issued_at

    @strawberry.field(description="Role of the requester (PUBLIC for an anonymous request).")
    def requester_role(self) -> str:
        return self.row.requester_role

    @strawberry.field(description="SHA-256 of the canonical JSON content.")
    def content_hash(self) -> str:
        return self.row.content_hash

    @strawberry.field(description="SHA-256 of the PDF as issued.")
    def pdf_hash(self) -> str:
        return self.row.pdf_hash

    @strawberry.field(
        description="The structured content: the report's facts, the subject as the public "
        "API gave it on asOf, the domain names. The PDF shows the same."
    )
    def content(self) -> JSON:
        return cast(JSON, r.content_of(self.row))

    @strawberry.field(description="The PDF as issued, base64 (also GET /reports/{number}.pdf).")
    def pdf_base64(self) -> str:
        return base64.b64encode(self.row.pdf).decode()


@strawberry.type
class IssuedReport:
    report: CreditReport
    verification_code: str = strawberry.field(
        description="Printed on the report beside its number; shown once, stored hashed."
    )
    pdf_path: str = strawberry.field(description="Where the hub serves the PDF.")


@strawberry.type
class ReportVerification:
    result: ReportCheck
    report: CreditReport | None


@strawberry.type
class ReportQueries:
    @strawberry.field(
        description="A report by number, for the key that requested it and ADMIN; null "
        "otherwise (anyone verifies with verifyReport)."
    )
    async def credit_report(self, info: HubInfo, number: str) -> CreditReport | None:
        found = await r.for_requester(info.context, number)
        return CreditReport(row=found) if found else None

    @strawberry.field(
        description="Verification by number and verification code: GENUINE with the stored "
        "report, or UNKNOWN (no such number, or a wrong code)."
    )
    async def verify_report(self, info: HubInfo, number: str, code: str) -> ReportVerification:
        found = await r.verify(info.context, number, code)
        if found is None:
            return ReportVerification(result=ReportCheck.UNKNOWN, report=None)
        return ReportVerification(result=ReportCheck.GENUINE, report=CreditReport(row=found))

    @strawberry.field(
        description="Verification of a PDF file by its SHA-256 and the number it names: "
        "GENUINE (the PDF as issued), ALTERED (the number exists, the file differs) or UNKNOWN."
    )
    async def verify_report_document(
        self, info: HubInfo, sha256: str, number: str | None = None
    ) -> ReportVerification:
        result, found = await r.verify_document(info.context, number, sha256)
        return ReportVerification(
            result=ReportCheck(result), report=CreditReport(row=found) if found else None
        )


# A person's credit record is not public (DESIGN "Credit report": reports of organisations).
REPORTS_FOR_ORGANISATIONS = (
    "subject: 信用报告仅为组织（统一社会信用代码 uscc）出具，"
    "不为自然人（公民身份号码 idNumber）出具"
    " / credit reports are issued for organisations only: give subject.uscc, not a person's"
    " idNumber"
)


@strawberry.type
class ReportMutations:
    @strawberry.mutation(
        description="Issue a credit report (信用报告) of an organisation on asOf (today by "
        "default): the public record as the site shows it, as structured content and a PDF, "
        "stored with its hashes. Anonymous callers: purpose SELF_CHECK only, a few a minute "
        "per address (CREDITHUB_PUBLIC_REPORTS_PER_MINUTE)."
    )
    async def issue_credit_report(
        self,
        info: HubInfo,
        subject: SubjectRef,
        purpose: ReportPurpose,
        as_of: dt.date | None = None,
    ) -> IssuedReport:
        from hub.errors import InvalidInput

        if subject.uscc is None or subject.id_number is not None:
            raise InvalidInput(REPORTS_FOR_ORGANISATIONS, field="subject")
        issued = await r.issue(info.context, info.schema, subject.uscc, purpose.value, as_of)
        number = issued.stored.number
        return IssuedReport(
            report=CreditReport(row=issued.stored),
            verification_code=issued.code,
            pdf_path=f"/reports/{number}.pdf?code={issued.code}",
        )
