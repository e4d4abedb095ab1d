"""Cypher of credit reports: keep an issued report, read one by number (report/)."""

from __future__ import annotations

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


async def create_report(tx: AsyncManagedTransaction, report: dict[str, Any]) -> None:
    await (await tx.run(CREATE_REPORT, report)).consume()


async def report_by_number(tx: Runner, number: str) -> dict[str, Any] | None:
    found = await rows(tx, REPORT_BY_NUMBER, {"number": number})
    return found[0]["r"] if found else None
