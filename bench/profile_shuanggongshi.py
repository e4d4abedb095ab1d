"""Where a 双公示 upload's time goes: one import under cProfile, thread by thread.

Imports one of `credit-hub bench shuanggongshi`'s files (bench-data/, written by that bench or
here) into the wiped embedded bench instance, in this process, as `credit-hub import` does
(hub/importer/uploads.py), with a profiler of CPU time on the event loop's thread (the writer) and one on
the parser thread (``_Importer.parse``: validation, or, for a table read in a reader process,
receiving its validated batches). Prints the wall time, this process's CPU time, the reader
process's CPU time (as it reports it), the report's timings, the time of the Neo4j statements
by writer (the runner's debug lines), and each thread's functions with the
most time of their own.

    .venv/bin/python -m bench.profile_shuanggongshi --rows 20000 --format xlsx
    .venv/bin/python -m bench.profile_shuanggongshi --rows 20000 --format jsonl

Start the bench instance with CREDITHUB_EMBEDDED_HEAP=2g CREDITHUB_EMBEDDED_PAGECACHE=1g on a
shared machine. docs/benchmarks.md quotes its output.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import io
import logging
import pstats
import resource
import time
from collections.abc import Iterable
from typing import Any

from bench.shuanggongshi_bench import datasets
from bench.support import bench_instance, wipe_bench
from hub.auth import SYSTEM
from hub.importer import runner
from hub.importer.uploads import import_upload
from hub.settings import Settings
from hub.store import Store, open_driver

TOP = 18


class Statements(logging.Handler):
    """Sums the runner's debug lines: each writer's chunks and checks, the reference checks
    (hub/importer/runner.py), i.e. the time in Neo4j statements, by writer kind."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.rows: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        args: tuple[Any, ...] = record.args if isinstance(record.args, tuple) else ()
        if record.msg == "%s chunk of %d in %.3fs" or record.msg == "%s check of %d in %.3fs":
            what = f"{args[0]} {'write' if 'chunk' in str(record.msg) else 'check'}"
            self.seconds[what] += float(args[2])
            self.rows[what] += int(args[1])
        elif str(record.msg).startswith("references of"):
            self.seconds["reference check"] += float(args[1])
            self.rows["reference check"] += int(args[0])


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _table(profile: cProfile.Profile, title: str) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(TOP)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print(f"--- {title}: {stats.total_tt:.1f} s of CPU profiled")  # type: ignore[attr-defined]
    for line in lines[start : start + TOP + 1]:
        print(line.replace("/work/", "").rstrip()[:150])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=("jsonl", "csv", "xlsx"), default="xlsx")
    args = parser.parse_args()
    settings = Settings()
    path = datasets(args.rows)[args.format]
    bench_instance(settings)
    wipe_bench(settings)
    # Each thread's own CPU time (time.thread_time), not the wall clock: on a loaded machine a
    # thread's wall time is mostly waiting for a core or for the GIL.
    parser_profile = cProfile.Profile(time.thread_time)
    parse = runner._Importer.parse

    def profiled_parse(self: runner._Importer, lines: Iterable[bytes], put: Any) -> None:
        parser_profile.enable()
        try:
            parse(self, lines, put)
        finally:
            parser_profile.disable()

    runner._Importer.parse = profiled_parse  # type: ignore[method-assign]
    loop_profile = cProfile.Profile(time.thread_time)

    async def work() -> dict[str, Any]:
        driver = open_driver(settings, "bench")
        try:
            store = Store(driver, settings)
            data = path.read_bytes()
            loop_profile.enable()
            try:
                report = await import_upload(
                    store, settings, data, actor=SYSTEM, department="AMR", source=path.name
                )
            finally:
                loop_profile.disable()
            return report.as_dict()
        finally:
            await driver.close()

    statements = Statements()
    logger = logging.getLogger("credithub.import")
    logger.addHandler(statements)
    logger.setLevel(logging.DEBUG)
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = asyncio.run(work())
    wall = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) - cpu
    print(
        f"{args.format}, {args.rows} rows: wall {wall:.1f} s, {args.rows / wall:,.0f} rows/s; "
        f"this process CPU {cpu:.1f} s; "
        f"accepted {report['accepted']}, timings {report['timings']}"
    )
    print(
        "Neo4j statements (wall seconds, summed over the units that run side by side): "
        + ", ".join(
            f"{what} {seconds:.1f} s ({statements.rows[what]:,} rows)"
            for what, seconds in sorted(statements.seconds.items(), key=lambda kv: -kv[1])
        )
    )
    _table(loop_profile, "event loop thread (writer)")
    _table(parser_profile, "parser thread")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
