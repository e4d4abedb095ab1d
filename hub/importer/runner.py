"""Run one upload: validate, check references, write everything in one transaction, report.

One upload is one Neo4j transaction: either every accepted line lands or none does (a failure
mid-way rolls the whole batch back and the report says ``committed: false``). Bad lines never
stop good ones: they are listed in the report with line number, field and reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role
from hub.errors import HubError
from hub.importer.parse import LineError, Parsed, parse_lines
from hub.importer.records import Record
from hub.importer.writers import WRITERS, Writer
from hub.store import Store
from hub.store.imports import Counts, Provenance, create_batch, existing_keys, finish_batch

REF_CHUNK = 20_000


@dataclass
class KindReport:
    accepted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    batch: str
    committed: bool
    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: dict[str, KindReport] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    failure: str | None = None
    failure_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "committed": self.committed,
            "lines": self.lines,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "byKind": {k: vars(v) for k, v in sorted(self.by_kind.items())},
            "errors": [e.as_dict() for e in self.errors],
            "failure": self.failure,
            "failureCode": self.failure_code,
        }


def authorize_line(record: Record, actor: Actor) -> str | None:
    """Why this actor may not upload this record, or None when it may."""
    if actor.role == Role.ADMIN:
        return None
    if record.phase == 0:
        return "reference data (kind department) is uploaded by ADMIN only"
    decided_by = record.department_field()
    if decided_by is not None and decided_by != actor.department:
        return f"a {actor.department} key may only upload records decided by {actor.department}"
    return None


@dataclass
class _Plan:
    """Accepted records grouped for writing, after authorization and reference checks."""

    by_writer: dict[Writer, list[tuple[int, Record]]] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)


def _refs_to_check(records: list[tuple[int, Record]]) -> dict[str, set[str]]:
    defined: dict[str, set[str]] = defaultdict(set)
    for _, record in records:
        entity = record.defines()
        if entity is not None:
            defined[entity[0]].add(entity[1])
    needed: dict[str, set[str]] = defaultdict(set)
    for _, record in records:
        for _, label, key in record.refs():
            if key not in defined[label]:
                needed[label].add(key)
    return needed


async def _plan(tx: AsyncManagedTransaction, records: list[tuple[int, Record]]) -> _Plan:
    plan = _Plan()
    existing: dict[str, set[str]] = {}
    for label, keys in _refs_to_check(records).items():
        found: set[str] = set()
        ordered = sorted(keys)
        for start in range(0, len(ordered), REF_CHUNK):
            found |= await existing_keys(tx, label, ordered[start : start + REF_CHUNK])
        existing[label] = found
    defined: dict[str, set[str]] = defaultdict(set)
    for _, record in records:
        entity = record.defines()
        if entity is not None:
            defined[entity[0]].add(entity[1])
    for line, record in records:
        missing = [
            (fld, label, key)
            for fld, label, key in record.refs()
            if key not in defined[label] and key not in existing.get(label, set())
        ]
        if missing:
            for fld, label, key in missing:
                what = label.lower()
                plan.errors.append(
                    LineError(line, fld, f"{what} {key} does not exist", record.kind, record.key())
                )
            continue
        writer = WRITERS[type(record)]
        plan.by_writer.setdefault(writer, []).append((line, record))
    for writer, items in list(plan.by_writer.items()):
        if writer.check is None:
            continue
        problems = await writer.check(tx, items)
        if problems:
            plan.errors.extend(problems)
            rejected = {e.line for e in problems}
            kept = [(line, record) for line, record in items if line not in rejected]
            if kept:
                plan.by_writer[writer] = kept
            else:
                del plan.by_writer[writer]
    return plan


async def _write_all(
    tx: AsyncManagedTransaction,
    records: list[tuple[int, Record]],
    prov: Provenance,
    actor: Actor,
    source: str,
    chunk: int,
    prior_errors: list[LineError],
    lines: int,
) -> tuple[_Plan, dict[str, KindReport]]:
    plan = await _plan(tx, records)
    await create_batch(tx, prov, actor.key_id, source)
    reports: dict[str, KindReport] = {}
    for writer in sorted(plan.by_writer, key=lambda w: w.order):
        items = plan.by_writer[writer]
        report = reports.setdefault(writer.kind, KindReport())
        report.accepted += len(items)
        counts = Counts()
        for start in range(0, len(items), chunk):
            counts.add(await writer.write(tx, items[start : start + chunk], prov))
        if writer.after is not None:
            await writer.after(tx, items, prov)
        report.created += counts.created
        report.updated += counts.updated
        report.unchanged += counts.unchanged
    await finish_batch(
        tx,
        prov.batch,
        lines=lines,
        accepted=sum(r.accepted for r in reports.values()),
        rejected=len({e.line for e in [*prior_errors, *plan.errors]}),
        created=sum(r.created for r in reports.values()),
        updated=sum(r.updated for r in reports.values()),
        unchanged=sum(r.unchanged for r in reports.values()),
    )
    return plan, reports


async def run_import(
    store: Store,
    lines: Iterable[bytes],
    *,
    actor: Actor,
    department: str,
    source: str = "upload",
    chunk: int = 5000,
    max_line_bytes: int = 65_536,
    now: dt.datetime | None = None,
) -> ImportReport:
    parsed: Parsed = parse_lines(lines, max_line_bytes)
    batch = "b-" + uuid.uuid4().hex[:16]
    report = ImportReport(batch=batch, committed=False, lines=parsed.lines)
    errors = list(parsed.errors)
    allowed: list[tuple[int, Record]] = []
    for line, record in parsed.records:
        reason = authorize_line(record, actor)
        if reason is not None:
            field_name = "department" if record.department_field() is not None else "kind"
            errors.append(LineError(line, field_name, reason, record.kind, record.key()))
        else:
            allowed.append((line, record))
    prov = Provenance(batch, department, now or dt.datetime.now(dt.UTC))
    try:
        plan, by_kind = await store.write_long(
            _write_all, allowed, prov, actor, source, chunk, errors, parsed.lines
        )
    except HubError as error:
        report.failure = error.message
        report.failure_code = error.code
        report.errors = sorted(errors, key=lambda e: e.line)
        report.rejected = len({e.line for e in report.errors})
        return report
    errors.extend(plan.errors)
    report.committed = True
    report.errors = sorted(errors, key=lambda e: (e.line, e.field))
    report.rejected = len({e.line for e in report.errors})
    report.by_kind = by_kind
    report.accepted = sum(k.accepted for k in by_kind.values())
    report.created = sum(k.created for k in by_kind.values())
    report.updated = sum(k.updated for k in by_kind.values())
    report.unchanged = sum(k.unchanged for k in by_kind.values())
    return report
