"""Commitments and voluntary registration: record, fulfil, register, verify, and read at the
caller's level (hub/rules/commitments.py, docs/lifecycle.md).

``recordCommitment`` is one line of kind ``commitment`` (the same validation as an upload,
hub/importer/commitment_records.py) written in one transaction that draws its code;
``recordFulfilment`` one line of kind ``commitmentFulfilment``, checked under the commitment's
lock. Every reader filters through ``may_read`` / ``may_read_voluntary``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from hub.errors import Forbidden, InvalidInput, NotFound
from hub.importer.commitment_records import CommitmentFulfilmentRecord, CommitmentRecord
from hub.importer.parse import LineError, parse_line
from hub.importer.runner import authorize_line
from hub.policy import acts_for_every_department, commitment_reader
from hub.rules import commitments as rules
from hub.store import commitments as store
from hub.store.commitments import CommitmentRow, VoluntaryRow
from resolvers.context import HubContext
from resolvers.requests import client_request, write_once
from resolvers.workflow import decider, invalid_lines, raise_refusal, reason_text

Row = dict[str, Any]


def _parse(ctx: HubContext, kind: str, given: Row) -> Any:
    line = orjson.dumps({"kind": kind, **{k: v for k, v in given.items() if v is not None}})
    parsed = parse_line(1, line, ctx.settings.max_line_bytes)
    if isinstance(parsed, LineError):
        raise invalid_lines([parsed])
    if isinstance(parsed, list) or parsed is None:
        raise invalid_lines(parsed or [])
    return parsed


REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:_./-]{0,127}$")


def _request_id(given: str | None, prefix: str) -> str:
    """The caller's request id (the record's id: a retry finds it), or a new one."""
    if given is None:
        return prefix + uuid.uuid4().hex
    if not REQUEST_ID.match(given):
        raise InvalidInput(
            "requestId: 1 to 128 of A-Z a-z 0-9 : _ . / - (starting with a letter or digit)",
            field="requestId",
        )
    return given


def _department(ctx: HubContext, asked: str | None) -> str:
    department = asked or ctx.actor.department
    if department is None:
        raise InvalidInput("department is required (ADMIN names it)", field="department")
    return department


def _prov(ctx: HubContext, department: str) -> Row:
    return {
        "batch": "m-" + uuid.uuid4().hex[:16],
        "dept": department,
        "now": dt.datetime.now(dt.UTC),
        "by": ctx.actor.key_id,
    }


async def record_commitment(ctx: HubContext, given: Row, request_id: str | None) -> CommitmentRow:
    """Validate and store a commitment for the caller's department; the stored commitment."""
    department = _department(ctx, given.get("department"))
    commitment_id = _request_id(request_id, "cmt-")
    record = _parse(ctx, "commitment", {**given, "id": commitment_id, "department": department})
    assert isinstance(record, CommitmentRecord)  # noqa: S101 - kind "commitment" was given
    refusal = authorize_line(record, ctx.actor)
    if refusal is not None:
        raise Forbidden(refusal)
    problem = rules.made_on_refusal(record.made_on, ctx.today())
    if problem is not None:
        raise InvalidInput(problem, field="madeOn")
    division = rules.COUNTY_DIVISION
    stored, _ = await ctx.store.write(
        store.record_commitment,
        record.row(),
        division,
        rules.sequence_key(division, record.made_on),
        functools.partial(rules.commitment_code, division, record.made_on),
        _prov(ctx, department),
    )
    return store.commitment_row(stored)


async def record_fulfilment(
    ctx: HubContext, code: str, given: Row, request_id: str | None = None
) -> None:
    """Record how commitment ``code`` was kept; with ``request_id``, a retry (same key, same
    id, same input) changes nothing and answers as the first time (docs/lifecycle.md)."""
    record = _parse(ctx, "commitmentFulfilment", {**given, "code": code})
    assert isinstance(record, CommitmentFulfilmentRecord)  # noqa: S101
    who, today = decider(ctx), ctx.today()
    department = "ADMIN" if who.admin else _department(ctx, None)

    def check(commitment: Row) -> None:
        if not rules.may_read(
            str(commitment.get("disclosure")),
            commitment.get("department"),
            commitment_reader(ctx.actor),
        ):
            raise NotFound(f"commitment {code} does not exist", field="code")
        raise_refusal(rules.fulfilment_refusal(commitment, record.confirmed_on, who, today))

    request = client_request(ctx, request_id, "recordFulfilment", code, given)
    params = {**_prov(ctx, department), **record.params()}
    await write_once(ctx, request, code, _fulfil, code, params, check)


async def _fulfil(
    tx: AsyncManagedTransaction, code: str, params: Row, check: Callable[[Row], None]
) -> str:
    await store.record_fulfilment(tx, code, params, check)
    return code


def keyed(ctx: HubContext) -> bool:
    """Whether the caller reads as a keyed (government) caller."""
    return commitment_reader(ctx.actor).keyed


def readable(ctx: HubContext, row: CommitmentRow) -> bool:
    return rules.may_read(str(row.disclosure), row.department, commitment_reader(ctx.actor))


async def commitment(ctx: HubContext, code: str) -> CommitmentRow | None:
    """A commitment by its code, or None when it does not exist or the caller may not read it
    (the same answer: a NONE commitment's existence is not disclosed)."""
    if rules.parse_commitment_code(code) is None:
        raise InvalidInput("code: not a 20-character commitment code", field="code")
    row = await ctx.store.read(store.commitment_by_code, code)
    return row if row is not None and readable(ctx, row) else None


async def commitments_of(ctx: HubContext, label: str, key: str) -> list[CommitmentRow]:
    """The commitments a subject made, those the caller may read, newest first."""
    rows: list[CommitmentRow] = await ctx.loaders.commitments[label].load(key)
    return [r for r in rows if readable(ctx, r)]


# --- voluntary registration ------------------------------------------------------------------

MAX_TEXT = 10_000


def _text(value: str, name: str, limit: int = MAX_TEXT) -> str:
    cleaned = value.strip()
    if not cleaned or len(cleaned) > limit:
        raise InvalidInput(f"{name} must be 1 to {limit} characters", field=name)
    return cleaned


async def register_voluntary(
    ctx: HubContext,
    subject: tuple[str, str],
    category: rules.VoluntaryCategory,
    content: str,
    truthfulness: str,
    registered_on: dt.date | None,
    request_id: str | None,
    asked_department: str | None = None,
) -> Row:
    """A department enters self-declared information for the subject: PENDING. A DEPARTMENT
    key enters it for its own department; ADMIN names one."""
    if asked_department not in (None, ctx.actor.department) and not acts_for_every_department(
        ctx.actor
    ):
        raise Forbidden(f"a {ctx.actor.department} key enters information for its own department")
    department = _department(ctx, asked_department)
    day = registered_on or ctx.today()
    if day > ctx.today():
        raise InvalidInput(f"registeredOn {day.isoformat()} is after today", field="registeredOn")
    props = {
        "category": category.value,
        "content": _text(content, "content"),
        "truthfulnessCommitment": _text(truthfulness, "truthfulnessCommitment", 2000),
        "registeredOn": day,
        "department": department,
        "subjectKey": subject[1],
    }
    canonical = orjson.dumps(
        {**props, "registeredOn": day.isoformat(), "subject": list(subject)},
        option=orjson.OPT_SORT_KEYS,
    )
    fp = hashlib.blake2b(canonical, digest_size=12).hexdigest()
    row = {
        "id": _request_id(request_id, "vol-"),
        "subjectLabel": subject[0],
        "subject": subject[1],
        "department": department,
        "props": props,
        "fp": fp,
    }
    return await ctx.store.write(store.register_voluntary, row, _prov(ctx, department))


async def verify_voluntary(
    ctx: HubContext,
    info_id: str,
    accepted: bool,
    reason: str,
    on: dt.date | None,
    request_id: str | None = None,
) -> None:
    """Accept or reject PENDING information, once; with ``request_id`` a retry changes
    nothing and answers as the first time."""
    who, today = decider(ctx), ctx.today()
    day = on or today
    if day > today:
        raise InvalidInput(f"on {day.isoformat()} is after today", field="on")
    note = reason_text(reason)

    def check(info: Row) -> None:
        raise_refusal(rules.verification_refusal(info, who))
        if day < info["registeredOn"]:
            raise InvalidInput(
                f"on {day.isoformat()} is before the registration "
                f"{info['registeredOn'].isoformat()}",
                field="on",
            )

    status = rules.VerificationStatus.ACCEPTED if accepted else rules.VerificationStatus.REJECTED
    department = "ADMIN" if who.admin else _department(ctx, None)
    params = {**_prov(ctx, department), "status": status.value, "on": day, "reason": note}
    request = client_request(
        ctx, request_id, "verifyVoluntaryInformation", info_id, accepted, note, on
    )
    await write_once(ctx, request, info_id, _verify, info_id, params, check)


async def _verify(
    tx: AsyncManagedTransaction, info_id: str, params: Row, check: Callable[[Row], None]
) -> str:
    await store.verify_voluntary(tx, info_id, params, check)
    return info_id


def readable_voluntary(ctx: HubContext, row: VoluntaryRow) -> bool:
    return rules.may_read_voluntary(row.status, commitment_reader(ctx.actor))


async def voluntary_of(ctx: HubContext, label: str, key: str) -> list[VoluntaryRow]:
    """Voluntary information about a subject: PUBLIC the verified only."""
    rows: list[VoluntaryRow] = await ctx.loaders.voluntary[label].load(key)
    return [r for r in rows if readable_voluntary(ctx, r)]


async def voluntary_by_id(ctx: HubContext, info_id: str) -> VoluntaryRow:
    row = await ctx.store.read(store.voluntary_by_id, info_id)
    if row is None or not readable_voluntary(ctx, row):
        raise NotFound(f"voluntary information {info_id} does not exist", field="id")
    return row
