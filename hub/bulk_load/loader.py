"""The bulk first load: validate (every core), CSV, the import tool, constraints, the rest.

Each file is one upload with its own batch, line numbers and report, exactly as
``credit-hub import`` would report it on an empty, migrated store: the lines go through
``_Importer.parse`` (duplicate keys, held lines, rejections), the held lines through
``settle_held``, the references through ``unresolved`` and the rows through the records' own
``row()`` and ``rows_of`` — only the graph reads are replaced by what the load itself knows
(the store is empty). What the import tool writes: departments, enterprises, persons and their
addresses and phones, branch links, roles, shareholdings, actions and their links. What the
transactional importer writes afterwards, on the started instance: every other kind
(listings, court and loan defaults — with the entries they derive —, evaluations, measures)
and any line that changes a record an earlier file or the reference data wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.auth import SYSTEM, Actor
from hub.bulk_load.tables import Tables
from hub.bulk_load.tool import run_import_tool
from hub.bulk_load.validate import Validator
from hub.errors import HubError
from hub.importer.parse import Outcome
from hub.importer.progress import ProgressSink
from hub.importer.records import BranchLinkRecord, Record
from hub.importer.references import settle_held, unresolved
from hub.importer.registry import WRITER_OF, record_rank
from hub.importer.report import ImportReport, Timings
from hub.importer.runner import Item, _Importer, _units
from hub.importer.writers import SEARCHED, rows_of
from hub.migrate import SYSTEM_DEPARTMENT, department_lines, migrate
from hub.neo4j_local import EmbeddedNeo4j
from hub.pinyin import pinyin_terms
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.bulk_load import strangers
from hub.store.import_writes import split_by_fingerprint
from hub.store.imports import NODE_KEYS, Provenance
from hub.store.warnings import mark_penalties

# Writer kinds the import tool writes; every other kind goes through the transactional writers.
BULK_KINDS = frozenset(
    {"department", "enterprise", "person", "branchLink", "role", "shareholding", "action"}
)
NODE_LABELS = {"department": "Department", "enterprise": "Enterprise", "person": "Person",
               "action": "Action"}  # fmt: skip


# Names repeat (people's names above all): each one's pinyin is worked out once per load.
pinyin_of = functools.lru_cache(maxsize=1 << 18)(pinyin_terms)

TOOL_ARGUMENTS = "import-tool.args"  # the tool's file arguments, one a line, in the CSV directory


class NotEmpty(RuntimeError):
    """The store holds data besides what `migrate` writes: a bulk load would destroy it."""


class BulkRefused(RuntimeError):
    """A bulk load cannot run here (not the embedded Neo4j)."""


def _stamp(prov: Provenance) -> dict[str, Any]:
    return {"batch": prov.batch, "recordedAt": prov.now, "sourceDepartment": prov.department}


def _first(prov: Provenance) -> dict[str, Any]:
    return {"firstBatch": prov.batch, "firstRecordedAt": prov.now}


class Known:
    """What the store will hold before a file's lines: reference data and earlier files.

    The keys of entities are kept as they are (a reference to one that is not there is an
    error); every line's identity only as its hash, eight bytes a line instead of a tuple of
    strings: a line whose hash an earlier line shares (about one in 10^5 loads of 10 million
    lines) is sent to the transactional writers, which write it as they would have anyway."""

    def __init__(self) -> None:
        self.keys: dict[str, set[str]] = defaultdict(set)  # label -> keys (references)
        self.identities: set[int] = set()  # hash((namespace, key)) of every line

    def holds(self, record: Record) -> bool:
        if isinstance(record, BranchLinkRecord):  # the enterprise line's link follows it
            return hash(("Enterprise", record.uscc)) in self.identities
        return hash(record.identity()) in self.identities

    def absorb(self, defined: dict[str, dict[Hashable, int]]) -> None:
        for namespace, keys in defined.items():
            if namespace in NODE_KEYS:
                self.keys[namespace].update(str(k) for k in keys)
            self.identities.update(hash((namespace, key)) for key in keys)


class FileLoad(_Importer):
    """One file of a bulk load: the transactional importer's parse and report, bulk rows."""

    tail: list[Item]
    # New penalties the import tool writes: marked new in the first transaction of the tail,
    # so that its early-warning step counts them as the importer's own create statement would
    # have (PENALTIES_ACCUMULATED, hub/store/warnings.py).
    penalties: list[str]

    def outcomes(self, lines: Iterable[Any]) -> Iterator[tuple[int, Outcome]]:
        return iter(lines)  # numbered outcomes, from the validating processes

    def prepare(
        self, outcomes: Iterator[tuple[int, Outcome]], known: Known, tables: Tables
    ) -> None:
        """Takes the file's validated lines (``Validator.files``), writes its bulk rows into
        ``tables`` and keeps the rest (``tail``) and only what writing it needs."""
        began = time.perf_counter()
        entities: list[Item] = []
        self.parse(outcomes, entities.extend)
        entities += self.leftover
        self.leftover = []
        upload = self.upload
        if upload.held:  # the graph holds only what ``known`` says: no read needed
            accepted, rejected = settle_held(
                upload.held, upload.defined, known.keys, upload.rejections
            )
            for errors in rejected:
                self.errors.add(errors)
            entities += accepted
            upload.facts.extend(
                (number, extra) for number, record in accepted for extra in record.follow_ups()
            )
            upload.held = []
        parsed = time.perf_counter()
        self.timings.validation += parsed - began
        bulk: list[Item] = []
        self.tail = []
        self.penalties = []
        for item in entities + upload.facts:
            kind = WRITER_OF[type(item[1])].kind
            if kind in BULK_KINDS and not known.holds(item[1]):
                bulk.append(item)
            else:
                self.tail.append(item)
        errors = unresolved(bulk, upload.defined, known.keys, upload.rejections)
        self.errors.add(errors)
        bad = {e.line for e in errors}
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in bulk:
            if item[0] not in bad:
                groups[WRITER_OF[type(item[1])].kind].append(item)
        # (The actions' owner check reads who decided an id before: nobody, in an empty store.)
        for kind, items in groups.items():
            new, _, counts = split_by_fingerprint(rows_of(items), {})
            self.add_rows(tables, kind, new)
            if kind == "action":
                self.penalties += [r["key"] for r in new if r["props"].get("type") == "PENALTY"]
            if WRITER_OF[type(items[0][1])].counted:
                self.report.absorb(kind, len(items), counts)
                if self.progress is not None:
                    self.progress.written(len(items), 0)
        if self.progress is not None and bad:
            self.progress.written(0, len(bad))
        known.absorb(upload.defined)
        # What the tail's commit units read: the keys its own lines define (a fulfilment's
        # commitment of the same file); whatever the import tool writes is in the graph then.
        upload.facts = []
        kept = {record.identity()[0] for _, record in self.tail}
        upload.defined = defaultdict(
            dict, {ns: keys for ns, keys in upload.defined.items() if ns in kept}
        )
        self.timings.writes += time.perf_counter() - parsed

    def add_rows(self, tables: Tables, kind: str, rows: list[dict[str, Any]]) -> None:
        """The nodes and relationships the transactional writers (hub/store/import_writes.py)
        create for these new rows, with the same properties."""
        stamp, first = _stamp(self.prov), _first(self.prov)
        link = stamp
        if kind in NODE_LABELS:
            label = NODE_LABELS[kind]
            named = label in SEARCHED
            for row in rows:
                me = (label, row["key"])
                props = {**row["props"], "fp": row["fp"], **stamp, **first}
                if label == "Enterprise":  # as the create statement does (import_writes.py)
                    props = {"tieKey": row["key"], **props}
                if named:  # as the node writer does, beside the name (hub/importer/writers.py)
                    props["pinyin"] = pinyin_of(props["name"])
                # A new key (``Known`` sent the others to the tail): no deduplication needed.
                tables.new_node(label, NODE_KEYS[label], row["key"], props)
                address, phone = row.get("address"), row.get("phone")
                if address:
                    tables.node("Address", "key", address["key"],
                                {"text": address["text"], **first, **stamp})  # fmt: skip
                    tables.rel("LOCATED_AT", me, ("Address", address["key"]), link)
                if phone:
                    tables.node("Phone", "number", phone, {**first, **stamp})
                    tables.rel("REACHABLE_AT", me, ("Phone", phone), link)
                if label == "Action":
                    tables.rel("ISSUED_BY", me, ("Department", row["department"]), link)
                    tables.rel("ABOUT", me, (row["subjectLabel"], row["subject"]), link)
        elif kind == "branchLink":  # MERGE: one link per pair
            for pair in dict.fromkeys((row["key"], row["branchOf"]) for row in rows):
                tables.rel("BRANCH_OF", ("Enterprise", pair[0]), ("Enterprise", pair[1]), link)
        else:  # roles and shareholdings
            for row in rows:
                tables.rel(
                    row["type"],
                    (row["holderLabel"], row["holder"]),
                    ("Enterprise", row["uscc"]),
                    {"key": row["key"], **row["props"], "fp": row["fp"], **stamp, **first},
                )

    async def write_tail(self, store: Store) -> HubError | None:
        """The lines the import tool did not write, through the transactional writers; the
        first of their transactions (one of its own when there are none) marks the new
        penalties, so its early-warning step sees them as the importer's would."""
        self.store = store
        todo = sorted(self.tail, key=record_rank)
        self.tail = []
        marks, self.penalties = self.penalties, []

        async def mark(tx: AsyncManagedTransaction) -> None:
            await mark_penalties(tx, marks)

        units = _units(todo, self.commit_records) or ([[]] if marks else [])
        try:
            for index, unit in enumerate(units):
                # counts its own time as writes
                await self.commit(unit, mark if index == 0 and marks else None)
        except HubError as error:
            return error
        return None


@dataclasses.dataclass
class Upload:
    """One file of a bulk load."""

    source: str
    lines: Iterable[bytes]
    department: str


def _file_load(
    store: Store, actor: Actor, department: str, source: str, settings: Settings, today: dt.date
) -> FileLoad:
    prov = Provenance(
        "b-" + uuid.uuid4().hex[:16], department, dt.datetime.now(dt.UTC), admin=False, day=today
    )
    return FileLoad(
        store,
        actor,
        prov,
        source,
        settings.import_chunk_size,
        settings.import_commit_records,
        settings.max_line_bytes,
        parallel=1,
    )


async def bulk_load(
    settings: Settings,
    instance_name: str,
    uploads: Iterable[Upload],
    *,
    say: Callable[[str], None] = print,
    progress: ProgressSink | None = None,
    heap: str = "1g",
    workers: int | None = None,
    csv_dir: Path | None = None,
) -> list[ImportReport]:
    """Loads an empty embedded instance from ``uploads`` (one report each, in order).

    Raises BulkRefused with NEO4J_URI set (the import tool writes a local store), NotEmpty
    when the store holds anything `migrate` did not write. ``csv_dir``: keep the import
    tool's CSV files there (and its arguments in ``import-tool.args``), else a temporary
    directory is removed afterwards.
    """
    if settings.neo4j_uri is not None:
        raise BulkRefused(
            "import --initial writes the embedded instance's store with Neo4j's import tool; "
            "with NEO4J_URI set use `credit-hub import` (or run neo4j-admin on that server)"
        )
    started = time.perf_counter()
    local = EmbeddedNeo4j(settings, instance_name)
    if not local.running:
        say(f"starting the {instance_name} instance to check that its store is empty")
        local.start()
    driver = open_driver(settings, instance_name)
    try:
        store = Store(driver, settings)
        found = await store.read(strangers)
        if found:
            what = ", ".join(f"{n} {':'.join(labels) or '(no label)'}" for labels, n in found)
            raise NotEmpty(
                f"the {instance_name} instance's store is not empty (it holds {what}); "
                "import --initial loads an empty store only: use `credit-hub import` to add "
                "to it, or empty it first"
            )
    finally:
        await driver.close()
    today = settings.today()
    validator = Validator(today, settings.max_line_bytes, workers)
    timings = Timings()
    loads: list[FileLoad] = []
    phases: dict[str, float] = {}  # wall time of each step, said at the end
    # The instance stops while the files are validated (nothing reads it meanwhile).
    say(f"stopping the {instance_name} instance for the import tool (while validating)")
    stopper = ThreadPoolExecutor(1)
    stopping = stopper.submit(local.stop)
    try:
        with tempfile.TemporaryDirectory(prefix="credithub-bulk-") as temporary:
            work = csv_dir or Path(temporary)
            work.mkdir(parents=True, exist_ok=True)
            tables = Tables(work)
            known = Known()
            # The reference data `migrate` loads first, as migrate does (SYSTEM's upload).
            # Its tail is empty (nothing is there before it), and migrate loads it again.
            reference = Upload("migrate", department_lines(), SYSTEM_DEPARTMENT)
            files = itertools.chain([reference], uploads)  # taken one by one, never listed
            read_began = time.perf_counter()
            for upload, outcomes in validator.files(((u, u.lines) for u in files), progress):
                load = _file_load(store, SYSTEM, upload.department, upload.source, settings, today)
                if upload is not reference:
                    if progress is not None:
                        progress.phase(f"validation: {upload.source}")
                    load.progress = progress
                    loads.append(load)
                load.prepare(outcomes, known, tables)
            arguments = tables.close()
            phases["validation and CSV"] = time.perf_counter() - read_began
            (work / TOOL_ARGUMENTS).write_text("\n".join(arguments) + "\n")
            nodes, rels = tables.counts
            if progress is not None:
                progress.phase("import tool")
            stop_began = time.perf_counter()
            stopping.result()  # what is left of the stop: counted as restart time
            timings.restart += time.perf_counter() - stop_began
            tool_began = time.perf_counter()
            try:
                summary = run_import_tool(local, settings.neo4j_database, arguments, work, heap)
            finally:
                tool_seconds = time.perf_counter() - tool_began
                timings.writes += tool_seconds
                phases["import tool"] = tool_seconds
                say(f"starting the {instance_name} instance")
                start_began = time.perf_counter()
                local.start()
                timings.restart += time.perf_counter() - start_began
                phases["stop and start"] = timings.restart
            say(f"the import tool wrote {nodes:,} nodes and {rels:,} relationships in "
                f"{tool_seconds:.1f} s ({', '.join(summary) or 'no summary'})")  # fmt: skip
    finally:
        validator.close()
        stopper.shutdown()
        if not local.running:  # a failed validation or CSV: the instance runs again
            local.start()
    driver = open_driver(settings, instance_name)
    reports: list[ImportReport] = []
    try:
        store = Store(driver, settings)
        say("applying constraints and indexes (migrate)")
        if progress is not None:
            progress.phase("indexes")
        began = time.perf_counter()
        await migrate(store)
        timings.indexes += time.perf_counter() - began
        phases["migrate"] = timings.indexes
        began = time.perf_counter()
        tails = [load for load in loads if load.tail]
        if tails:
            lines = sum(len(load.tail) for load in tails)
            say(f"{lines:,} lines of {len(tails):,} files through the transactional writers")
        for load in loads:
            if load.tail and progress is not None:
                progress.phase(f"transactional part: {load.source}")
            failure = await load.write_tail(store)
            for name in ("writes", "indexes", "restart"):
                value = getattr(timings, name)
                setattr(load.timings, name, getattr(load.timings, name) + value)
            reports.append(await load.finish(failure, time.perf_counter() - started))
        phases["transactional part and batches"] = time.perf_counter() - began
    finally:
        await driver.close()
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
    say(f"loaded in {time.perf_counter() - started:.1f} s: {spent}")
    return reports
