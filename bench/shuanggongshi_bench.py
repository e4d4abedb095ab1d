"""`credit-hub bench shuanggongshi`: a 双公示 penalty file as CSV and XLSX against JSON Lines.

The same penalties (one per row, each about an enterprise the hub does not know yet) are
written three ways: a 2.0-template CSV, the same as XLSX (shared strings, as a spreadsheet
saves it: bench/tables.py), and the exchange format's JSON Lines (an ``enterprise`` line
and an ``action`` line per row). Each file is imported by `credit-hub --instance bench import`
as a child process on a freshly wiped bench database, JSON Lines first, then CSV, then XLSX,
``--rounds`` times interleaved. Printed: rows/s, the child's peak RSS and CPU time for each
(for a table also its reader process's, which reads and validates the rows), and last the
ratio of table rows/s to JSON Lines rows/s (goal ≥ 0.8), the worse of CSV and XLSX.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.registry import register
from bench.support import bench_instance, wipe_bench
from bench.tables import PENALTY_HEADERS, csv_bytes, penalty_rows, xlsx_shared
from hub.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "bench-data"
# Runs the import command in the child and prints its peak RSS (KiB) and CPU seconds on
# stderr's last line; a table's reader process logs its own (hub/importer/shuanggongshi/).
# The peak is the child's own memory's high-water mark (VmHWM): Linux carries getrusage's
# ru_maxrss over an exec, so that would report this bench's own size when it started the child
# (1,051 MiB for every format at 100,000 rows, 2026-12-07).
CHILD = (
    "import re, resource, sys\n"
    "from hub.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF)\n"
    "with open('/proc/self/status') as status:\n"
    "    peak = re.search(r'VmHWM:\\s+(\\d+) kB', status.read())\n"
    "print(peak[1] if peak else 0, me.ru_utime + me.ru_stime, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)
READER = re.compile(r"reader process: ([0-9.]+) s CPU, peak RSS ([0-9]+) KiB")


def _jsonl(rows: int) -> bytes:
    lines = []
    for n, row in enumerate(penalty_rows(rows)):
        uscc, document, decided = row[2], row[13], row[22]
        lines.append(orjson.dumps({"kind": "enterprise", "uscc": uscc, "name": row[0]}))
        action = {
            "kind": "action",
            "id": f"AMR-2024-{n}",
            "subject": {"uscc": uscc},
            "type": "PENALTY",
            "department": "AMR",
            "decisionDate": decided,
            "severity": "GENERAL",
            "title": row[14],
            "documentNumber": document,
            "basis": row[16],
            "content": row[18],
            "penalties": ["WARNING", "FINE"],
            "amount": float(row[19]) * 10_000,
        }
        lines.append(orjson.dumps(action))
    return b"\n".join(lines) + b"\n"


def datasets(rows: int) -> dict[str, Path]:
    DATA.mkdir(exist_ok=True)
    paths = {
        "jsonl": DATA / f"sgs-penalty-{rows}.jsonl",
        "csv": DATA / f"sgs-penalty-{rows}.csv",
        "xlsx": DATA / f"sgs-penalty-{rows}.xlsx",
    }
    if not paths["jsonl"].exists():
        paths["jsonl"].write_bytes(_jsonl(rows))
    if not paths["csv"].exists():
        paths["csv"].write_bytes(csv_bytes([PENALTY_HEADERS, *penalty_rows(rows)], "gb18030"))
    if not paths["xlsx"].exists():
        table = xlsx_shared([PENALTY_HEADERS, *penalty_rows(rows)], len(PENALTY_HEADERS), rows + 1)
        paths["xlsx"].write_bytes(table)
    return paths


@dataclass
class Run:
    seconds: float
    peak_kib: int  # the hub's process (the import command)
    cpu: float  # the hub's process: user + system seconds
    report: dict[str, Any]
    reader: str  # a table's reader process: its CPU and peak RSS, as it logged them


def _run(path: Path) -> Run:
    """One import in a child process (the hub's), at log level INFO for the reader's line."""
    command = [sys.executable, "-c", CHILD, "--instance", "bench", "import", str(path)]
    command += ["--department", "AMR"]
    env = {**os.environ, "CREDITHUB_LOG_LEVEL": "INFO"}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=env)  # noqa: S603
    seconds = time.perf_counter() - started
    errors = done.stderr.decode()
    tail = errors.strip().splitlines()[-1:] or [""]
    last = tail[0].split()
    peak, cpu = (int(last[0]), float(last[1])) if len(last) == 2 and last[0].isdigit() else (0, 0)
    report = orjson.loads(done.stdout) if done.stdout.strip().startswith(b"{") else {}
    if done.returncode != 0:
        print(errors[-2000:], file=sys.stderr)
    found = READER.search(errors)
    reader = (
        f"; reader process CPU {float(found[1]):.1f} s, peak RSS {int(found[2]) / 1024:.0f} MiB"
        if found
        else ""
    )
    return Run(seconds, peak, cpu, report, reader)


def _reader_seconds(path: Path) -> tuple[float, float]:
    """(the hub's XLSX reader, openpyxl's read-only iter_rows) over the same file, reading only."""
    from openpyxl import load_workbook

    from hub.importer.shuanggongshi.sources import xlsx_rows

    started = time.perf_counter()
    ours = sum(1 for _ in xlsx_rows(path.read_bytes()))
    hub_reader = time.perf_counter() - started
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    theirs = sum(1 for _ in sheet.iter_rows(values_only=True))
    book.close()
    if ours != theirs:
        raise SystemExit(f"the readers disagree: {ours} rows against openpyxl's {theirs}")
    return hub_reader, time.perf_counter() - started


@register("shuanggongshi")
def bench_shuanggongshi(args: argparse.Namespace, settings: Settings) -> int:
    rows = args.rows
    paths = datasets(rows)
    bench_instance(settings)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}"
    )
    print(
        f"dataset: {rows} penalty rows (one new enterprise each); commit units of "
        f"{settings.import_commit_records} lines (CREDITHUB_IMPORT_COMMIT_RECORDS); files:"
    )
    for fmt, path in paths.items():
        print(f"  {fmt}: {path.stat().st_size:,} bytes")
    best: dict[str, float] = {}
    failed = False
    for round_ in range(args.rounds):
        for fmt in ("jsonl", "csv", "xlsx"):
            wipe_bench(settings)
            run = _run(paths[fmt])
            accepted = int(str(run.report.get("accepted", 0)))
            expected = 2 * rows if fmt == "jsonl" else rows
            failed = failed or accepted != expected
            rate = rows / run.seconds
            best[fmt] = max(best.get(fmt, 0.0), rate)
            print(
                f"round {round_ + 1} {fmt:5}: {run.seconds:6.1f} s, {rate:7,.0f} rows/s, "
                f"peak RSS {run.peak_kib / 1024:5.0f} MiB, CPU {run.cpu:5.1f} s, "
                f"accepted {accepted}, timings {run.report.get('timings')}{run.reader}; "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    ours, openpyxl = _reader_seconds(paths["xlsx"])
    print(
        f"xlsx reading alone: hub reader {ours:.1f} s, openpyxl read-only {openpyxl:.1f} s "
        f"({openpyxl / ours:.1f}x)"
    )
    csv_ratio = best["csv"] / best["jsonl"]
    xlsx_ratio = best["xlsx"] / best["jsonl"]
    rates = ", ".join(f"{fmt} {rate:,.0f}" for fmt, rate in best.items())
    print(f"best rows/s: {rates}")
    print(f"csv/jsonl {csv_ratio:.2f}, xlsx/jsonl {xlsx_ratio:.2f}")
    print(f"ratio (worse of csv, xlsx to jsonl; goal >= 0.8): {min(csv_ratio, xlsx_ratio):.2f}")
    return 1 if failed else 0
