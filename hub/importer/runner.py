"""Run one upload: validate every line, write in commit units, report every rejected line.

Entities (departments, enterprises, persons) are written while the rest of the file is still
being validated (a worker thread parses, the event loop writes); an entity line that refers to
another (an enterprise's ``branchOf``) is held until the whole file is parsed and lands only if
what it refers to exists (hub/importer/references.py); facts that refer to entities (roles,
shareholdings, actions, listings, ...) are written after every entity of the upload has landed,
in writer order, after a reference check. A rejected line writes nothing, and a line referring
to an entity that only a rejected line defined is rejected too, so that
``lines = accepted + rejected + blank`` in every report.

A commit unit is one Neo4j transaction of at most ``commit_records`` lines (the links an
enterprise line implies are not counted): all of its lines land or none do. An upload of at
most ``commit_records`` lines is therefore one transaction, atomic as a whole. When Neo4j
fails mid-upload the report says ``committed: false`` with the error and how many lines had
landed; sending the same file again completes it (every write is idempotent).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.auth import SYSTEM, Actor, Role
from hub.errors import Conflict, HubError, StoreUnavailable
from hub.identifiers import TODAY
from hub.importer.branches import branch_targets, reject_cycles
from hub.importer.parse import LineError, Outcome, parse_line
from hub.importer.progress import ProgressSink
from hub.importer.records import Record
from hub.importer.references import Rejections, held_lookups, lookup, missing_refs, settle_held
from hub.importer.registry import WRITER_OF, rank, record_rank
from hub.importer.report import ErrorSink, ImportReport
from hub.importer.writers import AfterFn, Writer
from hub.policy import upload_line_refusal
from hub.store import Store
from hub.store.branches import branch_links
from hub.store.imports import Counts, Provenance, create_batch, finish_batch

__all__ = ["ImportReport", "RowOutcome", "authorize_line", "run_import"]
CONFLICT_RETRIES = 3
log = logging.getLogger("credithub.import")
Item = tuple[int, Record]
# What a front end makes of one line: a record; a record and the entities it brings along
# (a tuple: a 双公示 row's action, then the subject it names, created only when unknown);
# the line's errors; or None for a blank line.
RowOutcome = Outcome | tuple[Record, ...]


def authorize_line(record: Record, actor: Actor) -> str | None:
    """Why this actor may not upload this record, or None when it may (hub/policy.py)."""
    return upload_line_refusal(actor, record.department_field(), reference_data=record.phase == 0)


# A statement a unit runs first, in its transaction (the bulk load's penalty marks).
Prelude = Callable[[AsyncManagedTransaction], Awaitable[None]]

# A line's stamp in ``_Upload.defined``: (hash of its content << 32) | line number, one int.
_HASH_BITS = (1 << 64) - 1
_LINE_BITS = (1 << 32) - 1


@dataclass
class _Upload:
    """What the parser thread hands to the writer: facts to hold, names defined, errors."""

    facts: list[Item] = field(default_factory=list)
    held: list[Item] = field(default_factory=list)  # entity lines with references
    # namespace -> key -> stamp of the first line of that key (Record.identity): duplicates are
    # found here, and the namespaces of entities are their labels, so this is also the set of
    # entities the upload defines. One int per line (~100 bytes with the key and the slot).
    defined: dict[str, dict[Hashable, int]] = field(default_factory=lambda: defaultdict(dict))
    rejections: Rejections = field(default_factory=Rejections)
    errors: ErrorSink = field(default_factory=ErrorSink)
    lines: int = 0
    blank: int = 0
    streamed: bool = False  # a full entity unit was handed to the writer during the parse


@dataclass
class _UnitResult:
    errors: list[LineError]
    counts: dict[str, tuple[int, Counts]]


async def _checked(
    tx: AsyncManagedTransaction,
    groups: dict[Writer, list[Item]],
    bad: set[int],
    defined: dict[str, dict[Hashable, int]],
    rejections: Rejections,
    prov: Provenance,
) -> list[LineError]:
    """The writers' checks, in writer order; ``groups`` keeps only the lines they accept.

    A line rejected by one check is not checked again by a later one (a row's action, after
    its subject). An entity rejected here is no longer defined by the upload: the other lines
    of the unit naming it are rejected too unless the graph already holds it.
    """
    errors: list[LineError] = []
    dropped: set[tuple[str, Hashable]] = set()
    for writer in sorted(groups, key=rank):
        if bad:
            groups[writer] = [(line, r) for line, r in groups[writer] if line not in bad]
        if writer.check is None or not groups[writer]:
            continue
        began = time.perf_counter()
        problems = await writer.check(tx, groups[writer], prov)
        log.debug(
            "%s check of %d in %.3fs", writer.kind, len(groups[writer]), time.perf_counter() - began
        )
        rejected = {e.line for e in problems}
        for line, record in groups[writer]:
            entity = record.defines()
            if line in rejected and entity is not None:
                defined[entity[0]].pop(entity[1], None)
                rejections.note(entity[0], entity[1], line)
                dropped.add(entity)
        errors += problems
        bad |= rejected
    if dropped:
        late = [
            (line, r)
            for items in groups.values()
            for line, r in items
            if line not in bad and any((label, key) in dropped for _, label, key in r.refs())
        ]
        problems = await missing_refs(tx, late, defined, rejections)
        errors += problems
        bad |= {e.line for e in problems}
    if errors:
        for writer in groups:
            groups[writer] = [(line, r) for line, r in groups[writer] if line not in bad]
    return errors


async def _write_unit(
    tx: AsyncManagedTransaction,
    items: list[Item],
    defined: dict[str, dict[Hashable, int]],
    rejections: Rejections,
    prov: Provenance,
    actor: Actor,
    source: str,
    chunk: int,
    prelude: Prelude | None = None,
) -> _UnitResult:
    """One transaction: reference check, then every writer in order, chunk by chunk."""
    await create_batch(tx, prov, actor.key_id, source)
    if prelude is not None:
        await prelude(tx)
    began = time.perf_counter()
    errors = await missing_refs(tx, items, defined, rejections)
    log.debug("references of %d items checked in %.3fs", len(items), time.perf_counter() - began)
    bad = {e.line for e in errors} | rejections.refused
    groups: dict[Writer, list[Item]] = defaultdict(list)
    for line, record in items:
        if line not in bad:
            groups[WRITER_OF[type(record)]].append((line, record))
    errors += await _checked(tx, groups, bad, defined, rejections, prov)
    counts: dict[str, tuple[int, Counts]] = {}
    # Consecutive writers with the same ``after`` (roles and shareholdings both re-derive the
    # listings at their enterprises) run it once, after the last of them, on all their items.
    after: AfterFn | None = None
    after_items: list[Item] = []
    for writer in sorted(groups, key=rank):
        todo = groups[writer]
        if after is not None and after is not writer.after:
            await after(tx, after_items, prov)
            after, after_items = None, []
        total = Counts()
        for start in range(0, len(todo), chunk):
            began = time.perf_counter()
            total.add(await writer.write(tx, todo[start : start + chunk], prov))
            log.debug(
                "%s chunk of %d in %.3fs",
                writer.kind,
                min(chunk, len(todo) - start),
                time.perf_counter() - began,
            )
        if writer.after is not None:
            after, after_items = writer.after, after_items + todo
        if writer.counted:
            counts[writer.kind] = (len(todo), total)
    if after is not None:
        await after(tx, after_items, prov)
    return _UnitResult(errors, counts)


class _Importer:
    def __init__(
        self,
        store: Store,
        actor: Actor,
        prov: Provenance,
        source: str,
        chunk: int,
        commit_records: int,
        max_line_bytes: int,
        parallel: int = 2,
        validated: bool = False,
    ) -> None:
        self.store = store
        self.validated = validated
        self.actor = actor
        self.prov = prov
        self.source = source
        self.chunk = chunk
        self.commit_records = commit_records
        self.max_line_bytes = max_line_bytes
        self.upload = _Upload()
        self.parallel = parallel
        self.leftover: list[Item] = []
        self.errors = ErrorSink()  # of the writes (the parser thread has its own)
        self.report = ImportReport(batch=prov.batch, committed=False)
        self.timings = self.report.timings
        self.progress: ProgressSink | None = None

    def parse(self, lines: Iterable[Any], put: Any) -> None:
        """Runs in a worker thread: validates lines, hands full entity units to the writer.

        The last, partial entity unit is kept (``leftover``) so that an upload that fits in one
        unit is written in one transaction together with its facts.
        """
        upload = self.upload
        unit: list[Item] = []
        for number, parsed in self.outcomes(lines):
            upload.lines += 1
            companions: tuple[Record, ...] = ()
            outcome: Record | LineError | list[LineError] | None
            if isinstance(parsed, tuple):
                outcome, companions = parsed[0], parsed[1:]
            else:
                outcome = parsed
            if outcome is None:
                upload.blank += 1
                continue
            if isinstance(outcome, LineError):
                upload.errors.add([outcome])
                continue
            if isinstance(outcome, list):
                upload.errors.add(outcome)
                upload.rejections.note_errors(outcome)
                continue
            reason = authorize_line(outcome, self.actor)
            if reason is not None:
                where = "department" if outcome.department_field() is not None else "kind"
                upload.errors.add([LineError(number, where, reason, outcome.kind, outcome.key())])
                entity = outcome.defines()
                if entity is not None:
                    upload.rejections.note(entity[0], entity[1], number)
                continue
            if not outcome.repeatable:
                conflict = self.first_line_of(number, outcome)
                if conflict is not None:  # the earlier line of the key stands
                    upload.errors.add([conflict])
                    continue
            if outcome.phase > 1:
                upload.facts.append((number, outcome))
                upload.facts.extend((number, extra) for extra in outcome.follow_ups())
            elif outcome.refs():
                upload.held.append((number, outcome))  # its follow-ups once it is settled
            else:
                unit.append((number, outcome))
            for extra in companions:  # the first line naming an entity brings it, once
                namespace, key = extra.identity()
                if key in upload.defined[namespace]:
                    continue
                upload.defined[namespace][key] = number
                unit.append((number, extra))
            if len(unit) >= self.commit_records:
                put(unit)
                unit = []
                upload.streamed = True
        self.leftover = unit

    def outcomes(self, lines: Iterable[Any]) -> Iterator[tuple[int, RowOutcome]]:
        """Each line's number and validation outcome, in line order. JSON Lines are validated
        here, one by one; a table's rows come validated, with their row numbers, from its
        reader process (``validated``: hub/importer/shuanggongshi/reading.py, which counts its
        own time); the bulk loader validates in processes too (hub/bulk_load/validate.py)."""
        watch = self.progress
        numbered = iter(lines) if self.validated else self.parsed(lines)
        for number, outcome in numbered:
            if watch is not None:
                good = outcome is None or isinstance(outcome, Record | tuple)
                watch.read(1, 0 if good else 1)
            yield number, outcome

    def parsed(self, lines: Iterable[bytes]) -> Iterator[tuple[int, Outcome]]:
        max_line_bytes = self.max_line_bytes
        for number, raw in enumerate(lines, start=1):
            began = time.perf_counter()
            outcome = parse_line(number, raw, max_line_bytes)
            self.timings.validation += time.perf_counter() - began
            yield number, outcome

    async def settle_held(self) -> None:
        """Once the file is parsed: the held entity lines whose references exist join the last
        entity unit (with their follow-up links among the facts); the others are rejected."""
        upload = self.upload
        if not upload.held:
            return
        # A line closing a branch loop is rejected first, so that the lines needing its
        # enterprise are rejected with it (settle_held).
        targets = branch_targets(upload.held)
        links = await self.store.read(branch_links, targets) if targets else {}
        held, loops = reject_cycles(upload.held, links, upload.defined, upload.rejections)
        needed = held_lookups(held, upload.defined)
        existing = await self.store.read(lookup, needed) if needed else {}
        accepted, rejected = settle_held(held, upload.defined, existing, upload.rejections)
        for errors in loops + rejected:
            self.errors.add(errors)
        self.leftover += accepted
        upload.facts.extend(
            (number, extra) for number, record in accepted for extra in record.follow_ups()
        )
        upload.held = []

    def first_line_of(self, number: int, record: Record) -> LineError | None:
        """Record the line's key; a later line of a key with other content is rejected (an
        identical one is fine: idempotent), whatever the commit units, so no line silently
        overrides another of the same upload."""
        namespace, key = record.identity()
        stamp = (record.content_hash() & _HASH_BITS) << 32 | number
        first = self.upload.defined[namespace].setdefault(key, stamp)
        if first >> 32 == stamp >> 32:
            return None
        return LineError(
            number,
            record.key_field(),
            f"same key as line {first & _LINE_BITS} with different content",
            record.kind,
            record.key(),
        )

    async def commit(self, items: list[Item], prelude: Prelude | None = None) -> bool:
        began = time.perf_counter()
        try:
            return await self._commit(items, prelude)
        finally:
            self.timings.writes += time.perf_counter() - began

    async def _commit(self, items: list[Item], prelude: Prelude | None = None) -> bool:
        for attempt in range(CONFLICT_RETRIES):
            try:
                result = await self.store.write_long(
                    _write_unit,
                    items,
                    self.upload.defined,
                    self.upload.rejections,
                    self.prov,
                    self.actor,
                    self.source,
                    self.chunk,
                    prelude,
                )
            except Conflict:
                if attempt + 1 == CONFLICT_RETRIES:
                    raise
                await asyncio.sleep(0.05 * (attempt + 1))
                continue
            self.errors.add(result.errors)
            self.upload.rejections.refused.update(e.line for e in result.errors)
            for kind, (accepted, counts) in result.counts.items():
                self.report.absorb(kind, accepted, counts)
            if self.progress is not None:
                self.progress.written(
                    sum(accepted for accepted, _ in result.counts.values()),
                    len({e.line for e in result.errors}),
                )
            return True
        return False

    async def run(self, lines: Iterable[Any]) -> ImportReport:
        """Entity units are written while the file is still parsed (in a worker thread), then
        the held lines are settled, then the facts in their order (``_fact_groups``)."""
        started = time.perf_counter()
        units = _Units(self.commit, self.parallel, self.prov.batch)
        await self._entities(lines, units)
        if not units.failures:
            try:
                await self.settle_held()
            except HubError as error:
                units.failures.append(error)
        log.info("batch %s: entities done at %.1fs", self.prov.batch, time.perf_counter() - started)
        if not units.failures:
            for group in self._fact_groups():
                await asyncio.gather(*(units.commit(unit) for unit in group))
                await units.run_again_alone()
                if units.failures:
                    break
        failure = units.failures[0] if units.failures else None
        return await self.finish(failure, time.perf_counter() - started)

    async def _entities(self, lines: Iterable[Any], units: _Units) -> None:
        """Parse in a worker thread; commit its entity units as they come, ``parallel`` at a
        time (back-pressure: the parser waits on a queue of two)."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[list[Item] | None] = asyncio.Queue(maxsize=2)

        def put(unit: list[Item] | None) -> None:
            asyncio.run_coroutine_threadsafe(queue.put(unit), loop).result()

        def produce() -> None:
            # The validators' "today" (birth dates) is the upload's, as for its other dates.
            token = TODAY.set(self.prov.today)  # this pool thread's own context: reset after
            try:
                self.parse(lines, put)
            finally:
                TODAY.reset(token)
                put(None)

        parser = loop.run_in_executor(None, produce)
        running: list[asyncio.Task[None]] = []
        while (unit := await queue.get()) is not None:
            running.append(asyncio.create_task(units.commit(unit)))
            running = [t for t in running if not t.done()]
            if len(running) >= self.parallel:
                await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        await asyncio.gather(*running)
        await parser
        await units.run_again_alone()

    def _fact_groups(self) -> list[list[list[Item]]]:
        """The last entities and the facts, as groups of units run side by side, one group
        after the other."""
        facts = sorted(self.upload.facts, key=record_rank)
        small = _lines(self.leftover) + _lines(facts) <= self.commit_records
        if small and not self.upload.streamed:
            return [[self.leftover + facts]]  # a small upload is one transaction
        # The last entities land before any fact that may refer to them. Then units of links
        # between entities (roles, shareholdings, actions) are independent and run side by
        # side; a unit holding a later kind (listings, which propagate from the ties) waits
        # for everything before it.
        entities = _units(self.leftover, self.commit_records)
        groups = [entities] if entities else []
        return groups + _independent_runs(_units(facts, self.commit_records))

    async def finish(self, failure: HubError | None, seconds: float) -> ImportReport:
        report = self.report
        report.lines = self.upload.lines
        report.blank = self.upload.blank
        errors = self.upload.errors
        errors.absorb(self.errors)
        report.errors = errors.kept
        report.errors_total = errors.total
        report.rejected = errors.rejected_lines
        report.accepted = sum(k.accepted for k in report.by_kind.values())
        report.created = sum(k.created for k in report.by_kind.values())
        report.updated = sum(k.updated for k in report.by_kind.values())
        report.unchanged = sum(k.unchanged for k in report.by_kind.values())
        report.seconds = seconds
        if failure is None:
            try:
                await self.store.write(
                    _finish,
                    self.prov,
                    self.actor,
                    self.source,
                    report.lines,
                    report.accepted,
                    report.rejected,
                    report.created,
                    report.updated,
                    report.unchanged,
                )
                report.committed = True
            except HubError as error:
                failure = error
        if failure is not None:
            report.committed = False
            report.failure = failure.message
            report.failure_code = failure.code
            report.landed = report.accepted
        log.info("batch %s: %d lines in %.1fs", report.batch, report.lines, seconds)
        return report


class _Units:
    """Commit units of an upload, ``parallel`` at a time, stopping at the first failure.

    A unit that failed with a transient error while another ran beside it (two units creating
    ties at the same nodes can deadlock; Neo4j aborts one and the driver's retries can run out
    on a long unit) is run again alone once its group is done."""

    def __init__(
        self, write: Callable[[list[Item]], Awaitable[bool]], parallel: int, batch: str
    ) -> None:
        self.write = write
        self.parallel = parallel
        self.batch = batch
        self.gate = asyncio.Semaphore(parallel)
        self.failures: list[HubError] = []
        self.again: list[list[Item]] = []

    async def attempt(self, unit: list[Item]) -> HubError | None:
        try:
            await self.write(unit)
        except HubError as error:
            return error
        return None

    async def commit(self, unit: list[Item]) -> None:
        async with self.gate:
            if self.failures:
                return
            error = await self.attempt(unit)
            if isinstance(error, StoreUnavailable) and self.parallel > 1:
                log.warning(
                    "batch %s: a unit of %d lines failed beside another (%s); it runs again alone",
                    self.batch,
                    len(unit),
                    error.message,
                )
                self.again.append(unit)
            elif error is not None:
                self.failures.append(error)

    async def run_again_alone(self) -> None:
        while self.again and not self.failures:
            error = await self.attempt(self.again.pop(0))
            if error is not None:
                self.failures.append(error)


def _lines(items: list[Item]) -> int:
    """Lines among the items (a follow-up link of an enterprise line is not one)."""
    return sum(1 for _, record in items if WRITER_OF[type(record)].counted)


def _units(items: list[Item], size: int) -> list[list[Item]]:
    """Consecutive units of at most ``size`` lines (follow-up links ride along uncounted)."""
    units: list[list[Item]] = []
    unit: list[Item] = []
    lines = 0
    for item in items:
        counted = WRITER_OF[type(item[1])].counted
        if counted and lines >= size:
            units.append(unit)
            unit, lines = [], 0
        unit.append(item)
        lines += counted
    if unit:
        units.append(unit)
    return units


def _late(unit: list[Item]) -> bool:
    """The unit holds lines of a writer whose units run alone (``Writer.alone``)."""
    return any(WRITER_OF[type(record)].alone for _, record in unit)


def _independent_runs(units: list[list[Item]]) -> list[list[list[Item]]]:
    """Consecutive units without late kinds form one group; each late unit is a group alone."""
    groups: list[list[list[Item]]] = []
    for unit in units:
        if groups and not _late(unit) and not any(_late(u) for u in groups[-1]):
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return groups


async def _finish(
    tx: AsyncManagedTransaction,
    prov: Provenance,
    actor: Actor,
    source: str,
    lines: int,
    accepted: int,
    rejected: int,
    created: int,
    updated: int,
    unchanged: int,
) -> None:
    await create_batch(tx, prov, actor.key_id, source)
    await finish_batch(
        tx,
        prov.batch,
        lines=lines,
        accepted=accepted,
        rejected=rejected,
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


async def run_import(
    store: Store,
    lines: Iterable[bytes] | Iterable[tuple[int, RowOutcome]],
    *,
    actor: Actor,
    department: str,
    source: str = "upload",
    chunk: int = 5000,
    commit_records: int = 50_000,
    max_line_bytes: int = 65_536,
    now: dt.datetime | None = None,
    parallel: int = 2,
    today: dt.date | None = None,
    validated: bool = False,
    progress: ProgressSink | None = None,
) -> ImportReport:
    """``today``: today in the hub's time zone (``Settings.today()``): no decision, ending or
    birth date of the upload may be after it (``Provenance.today``); None: Asia/Shanghai's.

    ``lines`` are JSON Lines (bytes), or with ``validated`` the (line number, outcome) pairs of
    a front end that validated them already: a 双公示 table's rows, numbered as the
    spreadsheet shows them, from its reader process (hub/importer/shuanggongshi/reading.py)."""
    batch = "b-" + uuid.uuid4().hex[:16]
    # An ADMIN key's upload may name any department (POST /api/import?department=…), so it is
    # never a court's own. The command line (SYSTEM) loads a department's file for it: whoever
    # runs it holds the server, and the database, anyway.
    by_admin_key = actor.role == Role.ADMIN and actor != SYSTEM
    prov = Provenance(
        batch, department, now or dt.datetime.now(dt.UTC), admin=by_admin_key, day=today
    )
    importer = _Importer(
        store,
        actor,
        prov,
        source,
        chunk,
        commit_records,
        max_line_bytes,
        parallel,
        validated,
    )
    importer.progress = progress
    return await importer.run(lines)
