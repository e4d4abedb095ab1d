"""The bulk seed's first step alone: generation, validation and CSV, without Neo4j.

What `credit-hub seed` does on an empty store before the import tool runs (hub/bulk_load/):
the demo county generated segment by segment, validated in worker processes, its rows written
as the import tool's CSV into a temporary directory (removed afterwards). No instance is
stopped or touched, so it can run beside anything: it measures the step's time, its CPU and
the main process's peak memory at a size whose full load would take too long here. A probe,
not a bench with a goal: it has no floor to print a ratio against (`credit-hub bench
import-initial` prints the bulk path's ratio to the import tool alone).

    .venv/bin/python -m bench.bulk_prepare --enterprises 100000
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from pathlib import Path

from hub.auth import SYSTEM
from hub.bulk_load.loader import Known, Upload, _file_load
from hub.bulk_load.tables import Tables
from hub.bulk_load.validate import Validator
from hub.demo import demo_uploads
from hub.migrate import SYSTEM_DEPARTMENT, department_lines
from hub.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    settings = load_settings()
    today = settings.today()
    validator = Validator(today, settings.max_line_bytes)
    began = time.perf_counter()
    tail = files = 0
    try:
        with tempfile.TemporaryDirectory(prefix="credithub-bulk-prepare-") as directory:
            tables = Tables(Path(directory))
            known = Known()
            uploads = itertools.chain(
                [Upload("migrate", department_lines(), SYSTEM_DEPARTMENT)],
                (
                    Upload(f"seed-{args.seed}", lines, department)
                    for department, lines in demo_uploads(args.enterprises, args.seed)
                ),
            )
            kept = []  # each file's transactional part stays, as in the load
            for upload, outcomes in validator.files((u, u.lines) for u in uploads):
                load = _file_load(None, SYSTEM, upload.department, upload.source, settings, today)  # type: ignore[arg-type]
                load.prepare(outcomes, known, tables)
                kept.append(load)
                tail += len(load.tail)
                files += 1
            tables.close()
            csv_bytes = sum(p.stat().st_size for p in Path(directory).glob("*.csv"))
            nodes, rels = tables.counts
    finally:
        validator.close()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.enterprises:,} enterprises, {files:,} files: {nodes:,} nodes and {rels:,} "
          f"relationships as CSV ({csv_bytes / 1e6:,.0f} MB), {tail:,} lines kept for the "
          f"transactional part")  # fmt: skip
    print(f"{seconds:.1f} s; CPU: main process {time.process_time():.1f} s, parse_line in the "
          f"workers {validator.cpu_seconds:.1f} s; main process peak RSS {peak:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
