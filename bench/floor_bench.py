"""`credit-hub bench import-floor`: the transactional import against its floor.

Both on the same file in the same run, on the embedded "bench" instance (wiped before each):

1. ``credit-hub --instance bench import FILE`` as a child process (validation, duplicate and
   reference checks, fingerprint reads, the writes), records/s;
2. the floor: the same nodes and relationships written with the importer's own UNWIND ...
   CREATE statements (hub/store/import_writes.py), in the same transactions of
   ``import_commit_records`` lines and statements of ``import_chunk_size`` rows, as many side
   by side as the importer runs (``import_parallel_units``), in writer order — with no
   validation, no reference checks and no fingerprint reads: the rows are built before the
   clock starts.

Records/s of each and the ratio (goal ≥ 0.7), printed last.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from bench.import_bench import dataset
from bench.registry import register
from bench.support import bench_instance, wipe_bench
from hub.importer.parse import parse_line
from hub.importer.records import Record
from hub.importer.registry import WRITER_OF, rank
from hub.importer.writers import rows_of
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.import_writes import CREATE_NODES, CREATE_RELS, LINK_BRANCHES
from hub.store.imports import Provenance, run_rows

Statement = tuple[LiteralString, list[dict[str, Any]]]


def floor_statements(lines: list[bytes], chunk: int, unit: int) -> list[list[list[Statement]]]:
    """Groups (writer order) of transactions of statements, built from validated rows."""
    by_order: dict[int, list[tuple[int, Record]]] = defaultdict(list)
    for number, raw in enumerate(lines, start=1):
        record = parse_line(number, raw, 1 << 20)
        if isinstance(record, Record):
            by_order[rank(WRITER_OF[type(record)])].append((number, record))
            for extra in record.follow_ups():
                by_order[rank(WRITER_OF[type(extra)])].append((number, extra))
    groups = []
    for order in sorted(by_order):
        rows = rows_of(by_order[order])
        kind = WRITER_OF[type(by_order[order][0][1])].kind
        transactions = []
        for start in range(0, len(rows), unit):
            statements: list[Statement] = []
            part = rows[start : start + unit]
            for first in range(0, len(part), chunk):
                statements.extend(_statements(kind, part[first : first + chunk]))
            transactions.append(statements)
        groups.append(transactions)
    return groups


def _statements(kind: str, rows: list[dict[str, Any]]) -> list[Statement]:
    if kind == "branchLink":
        return [(LINK_BRANCHES, rows)]
    if kind in ("role", "shareholding"):
        split: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            split[(row["type"], row["holderLabel"])].append(row)
        return [(CREATE_RELS[spec], part) for spec, part in split.items()]
    label = {"department": "Department", "enterprise": "Enterprise", "person": "Person",
             "action": "Action"}[kind]  # fmt: skip
    return [(CREATE_NODES[label], rows)]


async def _transaction(
    tx: AsyncManagedTransaction, statements: list[Statement], prov: Provenance
) -> None:
    for query, rows in statements:
        await run_rows(tx, query, rows, prov)


async def run_floor(settings: Settings, groups: list[list[list[Statement]]]) -> float:
    import datetime as dt

    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    prov = Provenance("b-floor", "AMR", dt.datetime.now(dt.UTC))
    gate = asyncio.Semaphore(settings.import_parallel_units)

    async def one(statements: list[Statement]) -> None:
        async with gate:
            await store.write_long(_transaction, statements, prov)

    try:
        began = time.perf_counter()
        for transactions in groups:
            await asyncio.gather(*(one(t) for t in transactions))
        return time.perf_counter() - began
    finally:
        await driver.close()


ROUNDS = 2  # hub, floor, hub, floor: the machine drifts (shared)


def _hub(settings: Settings, path: Path) -> tuple[float, dict[str, Any]]:
    wipe_bench(settings)
    command = [
        sys.executable, "-m", "hub.cli", "--instance", "bench", "import", str(path),
        "--department", "AMR",
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    report = orjson.loads(done.stdout) if done.stdout.strip().startswith(b"{") else {}
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode()[-3000:])
    return seconds, report


@register("import-floor")
def bench_import_floor(args: argparse.Namespace, settings: Settings) -> int:
    path, records = dataset(args.enterprises, args.seed)
    bench_instance(settings)
    groups = floor_statements(
        path.read_bytes().splitlines(), settings.import_chunk_size, settings.import_commit_records
    )
    print(f"dataset: {args.enterprises} enterprises, {records} records ({path.name})")
    hub_total = floor_total = 0.0
    for round_ in range(1, ROUNDS + 1):
        hub, report = _hub(settings, path)
        if report.get("accepted") != records:
            print(f"accepted {report.get('accepted')} of {records}", file=sys.stderr)
            return 1
        wipe_bench(settings)
        floor = asyncio.run(run_floor(settings, groups))
        hub_total += hub
        floor_total += floor
        print(f"round {round_}: credit-hub import (child process, end to end) {hub:.1f} s "
              f"({records / hub:,.0f} records/s; {report.get('timings')}), floor (the same "
              f"UNWIND CREATE statements, no validation) {floor:.1f} s "
              f"({records / floor:,.0f} records/s)")  # fmt: skip
    print(f"credit-hub import: {records * ROUNDS / hub_total:,.0f} records/s")
    print(f"floor: {records * ROUNDS / floor_total:,.0f} records/s")
    print(f"ratio import / floor (records/s, goal >= 0.7): {floor_total / hub_total:.2f}")
    return 0
