"""`credit-hub bench import`: bulk import of a generated county, records/s and peak RSS.

The dataset is generated once into bench-data/ (git-ignored) with the demo generator; the
import runs as a child process (`credit-hub --instance bench import FILE`) on the "bench"
embedded instance, which this command wipes first (it only ever holds benchmark data).
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import orjson

from bench.registry import register
from bench.support import bench_instance, cpu_seconds, neo4j_pid, wipe_bench
from hub.demo import generate
from hub.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "bench-data"


def dataset(enterprises: int, seed: int) -> tuple[Path, int]:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"import-{enterprises}-s{seed}.jsonl"
    count_file = path.with_suffix(".count")
    if path.exists() and count_file.exists():
        return path, int(count_file.read_text())
    count = 0
    with path.open("wb") as out:
        for seg in generate(enterprises, seed):
            for kind in ("enterprise", "person", "role", "shareholding", "action"):
                for record in seg[kind]:
                    out.write(orjson.dumps(record) + b"\n")
                    count += 1
    count_file.write_text(str(count))
    return path, count


@register("import")
def bench_import(args: argparse.Namespace, settings: Settings) -> int:
    path, records = dataset(args.enterprises, args.seed)
    bench_instance(settings)
    wipe_bench(settings)
    command = [
        sys.executable,
        "-m",
        "hub.cli",
        "--instance",
        "bench",
        "import",
        str(path),
        "--department",
        "AMR",
    ]
    neo4j = neo4j_pid(settings)
    neo4j_before = cpu_seconds(neo4j) if neo4j else 0.0
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    neo4j_cpu = cpu_seconds(neo4j) - neo4j_before if neo4j else None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss
    report = orjson.loads(done.stdout) if done.stdout.strip().startswith(b"{") else {}
    accepted = int(report.get("accepted", 0))
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}"
    )
    print(
        f"dataset: {args.enterprises} enterprises, {records} records, {path.stat().st_size} bytes"
    )
    print(
        f"committed: {report.get('committed')}, accepted {accepted}, "
        f"rejected {report.get('rejected')}"
    )
    print(f"wall time: {seconds:.1f} s, {records / seconds:,.0f} records/s")
    print(f"peak RSS of the importing process: {peak_kib / 1024:.0f} MiB")
    print(
        f"CPU: importing process {usage.ru_utime + usage.ru_stime:.1f} s"
        + (f", Neo4j {neo4j_cpu:.1f} s" if neo4j_cpu is not None else "")
    )
    if done.returncode != 0 or accepted != records:
        print(done.stderr.decode()[-2000:], file=sys.stderr)
        return 1
    return 0
