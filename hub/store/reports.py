"""Cypher of credit reports: keep an issued report, read one by number (report/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.adapter import Runner, rows

CREATE_REPORT: LiteralString = """
CREATE (r:CreditReport {number: $number})
SET r.subject = $subject, r.subjectName = $subjectName, r.asOf = $asOf, r.purpose = $purpose,
    r.requester = $requester, r.requesterRole = $requesterRole, r.issuedAt = $issuedAt,
    r.content = $content, r.contentHash = $contentHash, r.pdf = $pdf, r.pdfHash = $pdfHash,
    r.codeHash = $codeHash, r.recordedAt = $issuedAt, r.sourceDepartment = $department
"""

REPORT_BY_NUMBER: LiteralString = """
MATCH (r:CreditReport {number: $number})
RETURN r {.*} AS r
"""


@dataclass(frozen=True, slots=True)
class ReportRow:
    """An issued credit report as it was stored (``CREATE_REPORT``, read by
    ``REPORT_BY_NUMBER``): its content as canonical JSON text, the PDF as issued."""

    number: str
    subject: str
    subject_name: str
    as_of: dt.date
    purpose: str
    requester: str | None
    requester_role: str
    issued_at: dt.datetime
    content: str
    content_hash: str
    pdf: bytes
    pdf_hash: str
    code_hash: str


def report_row(row: Mapping[str, Any]) -> ReportRow:
    """The store's map of a report (``r {.*}``, or the one written) as a ``ReportRow``."""
    return ReportRow(
        number=str(row["number"]),
        subject=str(row["subject"]),
        subject_name=str(row["subjectName"]),
        as_of=row["asOf"],
        purpose=str(row["purpose"]),
        requester=row.get("requester"),
        requester_role=str(row["requesterRole"]),
        issued_at=row["issuedAt"],
        content=str(row["content"]),
        content_hash=str(row["contentHash"]),
        pdf=bytes(row["pdf"]),
        pdf_hash=str(row["pdfHash"]),
        code_hash=str(row["codeHash"]),
    )


async def create_report(tx: AsyncManagedTransaction, report: dict[str, Any]) -> None:
    await (await tx.run(CREATE_REPORT, report)).consume()


async def report_by_number(tx: Runner, number: str) -> ReportRow | None:
    found = await rows(tx, REPORT_BY_NUMBER, {"number": number})
    return report_row(found[0]["r"]) if found else None
