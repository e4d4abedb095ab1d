"""`credit-hub bench import-initial`: the bulk first load against the import tool alone.

Both on the same rows in the same run, on the embedded "bench" instance (wiped first):

1. ``credit-hub --instance bench import --initial FILE`` as a child process, end to end
   (validation on every core, CSV, the instance stopped, the import tool, started, migrate
   with constraints and indexes), keeping its CSV files;
2. the import tool alone on those CSV files (the instance stopped around it, not timed);

twice, alternating (the machine is shared). Records/s of each and the ratio (goal ≥ 0.7),
printed last. Where the time of (1) went is
its report's ``timings``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.import_bench import DATA, dataset
from bench.registry import register
from bench.support import bench_instance, wipe_bench
from hub.bulk_load.loader import TOOL_ARGUMENTS
from hub.bulk_load.tool import run_import_tool
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import Settings

ROUNDS = 2  # initial, tool alone, initial, tool alone: the machine drifts (shared)


def _initial(settings: Settings, path: Path, csv_dir: Path) -> tuple[float, dict[str, Any]]:
    wipe_bench(settings)  # empty but for what migrate writes: what --initial accepts
    shutil.rmtree(csv_dir, ignore_errors=True)
    command = [
        sys.executable, "-m", "hub.cli", "--instance", "bench", "import", "--initial",
        str(path), "--department", "AMR", "--csv-dir", str(csv_dir),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    report = orjson.loads(done.stdout) if done.stdout.strip().startswith(b"{") else {}
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode()[-3000:])
    for line in done.stderr.decode().splitlines():
        if "import tool wrote" in line:
            print(f"  {line}")
    return seconds, report


def _alone(settings: Settings, csv_dir: Path) -> tuple[float, list[str]]:
    arguments = (csv_dir / TOOL_ARGUMENTS).read_text().split()
    local = EmbeddedNeo4j(settings, "bench")
    local.stop()
    began = time.perf_counter()
    summary = run_import_tool(local, settings.neo4j_database, arguments, csv_dir / "alone", "1g")
    seconds = time.perf_counter() - began
    local.start()
    (local.instance_home / "build.json").unlink(missing_ok=True)  # not the check graph any more
    return seconds, summary


@register("import-initial")
def bench_import_initial(args: argparse.Namespace, settings: Settings) -> int:
    path, records = dataset(args.enterprises, args.seed)
    bench_instance(settings)
    csv_dir = DATA / f"initial-{args.enterprises}-s{args.seed}"
    print(f"dataset: {args.enterprises} enterprises, {records} records ({path.name})")
    initial_total = alone_total = 0.0
    for round_ in range(1, ROUNDS + 1):
        initial, report = _initial(settings, path, csv_dir)
        if report.get("accepted") != records:
            print(f"accepted {report.get('accepted')} of {records}", file=sys.stderr)
            return 1
        alone, summary = _alone(settings, csv_dir)
        initial_total += initial
        alone_total += alone
        tool = ", ".join(summary[:2])
        print(f"round {round_}: import --initial {initial:.1f} s ({records / initial:,.0f} "
              f"records/s; {report.get('timings')}), import tool alone on the same CSV rows "
              f"{alone:.1f} s ({records / alone:,.0f} records/s; {tool})")  # fmt: skip
    print(f"import --initial, end to end: {records * ROUNDS / initial_total:,.0f} records/s")
    print(f"import tool alone: {records * ROUNDS / alone_total:,.0f} records/s")
    print(f"ratio import --initial / import tool alone (records/s, goal >= 0.7): "
          f"{alone_total / initial_total:.2f}")  # fmt: skip
    return 0
