"""`credit-hub bench import-initial`: the bulk first load against the import tool alone.

Both on the same rows in the same run, on the embedded "bench" instance (wiped first):

1. ``credit-hub --instance bench import --initial FILE`` as a child process, end to end
   (validation on every core, CSV, the instance stopped, the import tool, started, migrate
   with constraints and indexes), keeping its CSV files;
2. the import tool alone on those CSV files (the instance stopped around it, not timed).

Records/s of each and the ratio (goal ≥ 0.7), printed last. Where the time of (1) went is
its report's ``timings``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

import orjson

from hub.bench.import_bench import DATA, dataset
from hub.bench.registry import register
from hub.bench.support import bench_instance, wipe_bench
from hub.bulk_load.loader import TOOL_ARGUMENTS
from hub.bulk_load.tool import run_import_tool
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import Settings


@register("import-initial")
def bench_import_initial(args: argparse.Namespace, settings: Settings) -> int:
    path, records = dataset(args.enterprises, args.seed)
    bench_instance(settings)
    wipe_bench(settings)  # empty but for what migrate writes: what --initial accepts
    csv_dir = DATA / f"initial-{args.enterprises}-s{args.seed}"
    shutil.rmtree(csv_dir, ignore_errors=True)
    command = [
        sys.executable, "-m", "hub.cli", "--instance", "bench", "import", "--initial",
        str(path), "--department", "AMR", "--csv-dir", str(csv_dir),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    initial = time.perf_counter() - started
    report = orjson.loads(done.stdout) if done.stdout.strip().startswith(b"{") else {}
    if done.returncode != 0 or report.get("accepted") != records:
        print(done.stderr.decode()[-3000:], file=sys.stderr)
        return 1
    arguments = (csv_dir / TOOL_ARGUMENTS).read_text().split()
    local = EmbeddedNeo4j(settings, "bench")
    local.stop()
    began = time.perf_counter()
    summary = run_import_tool(local, settings.neo4j_database, arguments, csv_dir / "alone", "1g")
    alone = time.perf_counter() - began
    local.start()
    (local.instance_home / "build.json").unlink(missing_ok=True)  # not the check graph any more
    print(f"dataset: {args.enterprises} enterprises, {records} records ({path.name})")
    print(f"import --initial, end to end: {initial:.1f} s, {records / initial:,.0f} records/s")
    print(f"  where the time went: {report.get('timings')}")
    print(f"import tool alone, same CSV rows: {alone:.1f} s, {records / alone:,.0f} records/s")
    for line in summary:
        print(f"  {line}")
    print(f"ratio import --initial / import tool alone (records/s, goal >= 0.7): "
          f"{alone / initial:.2f}")  # fmt: skip
    return 0
