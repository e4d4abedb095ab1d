"""Credit reports: issue (content read through the schema as PUBLIC, PDF, stored), read, verify.

The content is what the public site shows of the subject on asOf, so a report never says more
than the API says to anyone; the caller's role decides only the purposes it may name (PUBLIC:
自查 only) and whether it is rate-limited (anonymous callers, per address).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import orjson
from strawberry.schema.base import BaseSchema

from hub.auth import PUBLIC, Role
from hub.errors import Forbidden, HubError, InvalidInput, NotFound, RateLimited
from hub.ratelimit import retry_after
from hub.store import reports as q
from hub.store.reports import ReportRow, report_row
from report.content import CONTENT_DOCUMENT, assemble, canonical, content_hash
from report.numbering import NUMBER, code_hash, report_number, verification_code
from report.pdf import render_pdf
from resolvers.context import HubContext, make_context
from resolvers.subjects import valid_uscc

SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Issued:
    stored: ReportRow
    code: str


async def issue(
    ctx: HubContext, schema: BaseSchema, uscc: str, purpose: str, as_of: dt.date | None
) -> Issued:
    """``schema``: the schema this request runs on (``info.schema``); the content is read
    through it as PUBLIC."""
    code_of_subject = valid_uscc(uscc, "subject.uscc")
    today = ctx.today()
    day = as_of or today
    if day > today:
        raise InvalidInput("asOf: a report cannot be dated after today", field="asOf")
    if ctx.actor.role == Role.PUBLIC and purpose != "SELF_CHECK":
        raise Forbidden("anonymous callers may ask for a 自查 (SELF_CHECK) report only")
    if ctx.actor.role == Role.PUBLIC and ctx.reports is not None and ctx.reports.enabled:
        wait = ctx.reports.acquire(ctx.caller)
        if wait > 0:
            seconds = retry_after(wait)
            if ctx.response is not None:
                ctx.response.status_code = 429
                ctx.response.headers["Retry-After"] = seconds
            raise RateLimited(
                "too many credit reports requested from this address; try again later",
                retryAfter=int(seconds),
            )
    public = make_context(ctx.store, ctx.settings, PUBLIC, ctx.request_id, caller=ctx.caller)
    answer = await schema.execute(
        CONTENT_DOCUMENT,
        variable_values={"uscc": code_of_subject, "asOf": day.isoformat()},
        context_value=public,
    )
    if answer.errors:
        first = answer.errors[0].original_error
        if isinstance(first, HubError):
            raise first
        raise RuntimeError(f"report content: {answer.errors[0].message}")
    data = answer.data or {}
    if data.get("enterprise") is None:
        raise NotFound(f"no enterprise with USCC {code_of_subject}", field="subject.uscc")
    issued_at = dt.datetime.now(dt.UTC)
    number = report_number(issued_at)
    code = verification_code()
    content = assemble(data, number, day, purpose, issued_at)
    pdf = await asyncio.to_thread(render_pdf, content, code)
    stored = {
        "number": number,
        "subject": code_of_subject,
        "subjectName": content["subject"]["name"],
        "asOf": day,
        "purpose": purpose,
        "requester": ctx.actor.key_id or ctx.caller,
        "requesterRole": ctx.actor.role.value,
        "issuedAt": issued_at,
        "content": canonical(content).decode(),
        "contentHash": content_hash(content),
        "pdf": pdf,
        "pdfHash": hashlib.sha256(pdf).hexdigest(),
        "codeHash": code_hash(number, code),
        "department": ctx.actor.department or "PUBLIC",
    }
    await ctx.store.write(q.create_report, stored)
    return Issued(report_row(stored), code)


async def by_number(ctx: HubContext, number: str) -> ReportRow | None:
    cleaned = number.strip().upper()
    if not NUMBER.fullmatch(cleaned):
        raise InvalidInput("number: 14 digits and 8 base-32 characters", field="number")
    found: ReportRow | None = await ctx.store.read(q.report_by_number, cleaned)
    return found


async def for_requester(ctx: HubContext, number: str) -> ReportRow | None:
    """A report as its requester (the same key) or ADMIN reads it; others: null."""
    found = await by_number(ctx, number)
    if found is None:
        return None
    if ctx.actor.role == Role.ADMIN or found.requester == ctx.actor.key_id:
        return found
    return None


async def verify(ctx: HubContext, number: str, code: str) -> ReportRow | None:
    """The stored report when ``code`` is its verification code; else None."""
    found = await by_number(ctx, number)
    if found is None or found.code_hash != code_hash(found.number, code):
        return None
    return found


async def verify_document(
    ctx: HubContext, number: str | None, sha256: str
) -> tuple[str, ReportRow | None]:
    """GENUINE (the stored PDF's hash), ALTERED (the number exists, the hash differs) or
    UNKNOWN (no such number)."""
    digest = sha256.strip().lower()
    if not SHA256.fullmatch(digest):
        raise InvalidInput("sha256: 64 hexadecimal characters", field="sha256")
    if number is None or not NUMBER.fullmatch(number.strip().upper()):
        return "UNKNOWN", None
    found = await by_number(ctx, number)
    if found is None:
        return "UNKNOWN", None
    if found.pdf_hash == digest:
        return "GENUINE", found
    return "ALTERED", None


def content_of(stored: ReportRow) -> Any:
    return orjson.loads(stored.content)
