"""CPU per check of the gather and receipt statements, alone and in groups (docs/benchmarks.md).

Runs against the bench instance holding the check graph (`make bench-check` loads it):
    .venv/bin/python -m bench.check_group_costs
Prints, per group size, Neo4j's CPU (from /proc of its process) and this process's Python per
subject or receipt. Linux only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
import uuid
from typing import Any

from bench.check_bench import AS_OF
from bench.cypher.check_samples import sample_subjects
from bench.support import bench_instance, cpu_seconds, neo4j_pid
from hub.settings import Settings
from hub.store import Store, checks, open_driver


async def main() -> None:
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    java = neo4j_pid(settings)
    if java is None:
        raise SystemExit("needs the embedded bench instance (Neo4j's CPU is read from /proc)")
    me = os.getpid()
    subjects = await store.read(sample_subjects, 3000)
    refs = [
        {
            "i": i,
            "uscc": s["key"] if s["label"] == "Enterprise" else None,
            "idNumber": s["key"] if s["label"] == "Person" else None,
        }
        for i, s in enumerate(subjects)
    ]

    async def gather(tx: Any, group: list[dict[str, Any]]) -> None:
        await checks.gather(tx, group, AS_OF)

    async def receipts(tx: Any, size: int) -> None:
        rows = [
            {"id": "probe-" + uuid.uuid4().hex, "keyId": "probe", "decision": "CLEAR"}
            for _ in range(size)
        ]
        await checks.write_receipts(tx, rows, dt.datetime.now(dt.UTC))

    count = min(2000, len(refs))
    await store.read(gather, refs[:50])  # warm the plan
    for size in (1, 4, 16):
        j0, p0, t0 = cpu_seconds(java), cpu_seconds(me), time.perf_counter()
        for start in range(0, count, size):
            await store.read(gather, refs[start : start + size])
        print(
            f"gather, groups of {size:2}: Neo4j {1000 * (cpu_seconds(java) - j0) / count:.2f} ms"
            f" CPU per subject, driver {1000 * (cpu_seconds(me) - p0) / count:.2f} ms,"
            f" wall {1000 * (time.perf_counter() - t0) / count:.2f} ms"
        )
    for size in (1, 4, 16):
        written = 800
        j0, t0 = cpu_seconds(java), time.perf_counter()
        for _ in range(0, written, size):
            await store.write(receipts, size)
        print(
            f"receipts, groups of {size:2}: Neo4j {1000 * (cpu_seconds(java) - j0) / written:.2f}"
            f" ms CPU per receipt, wall {1000 * (time.perf_counter() - t0) / written:.2f} ms"
        )
    await driver.close()


if __name__ == "__main__":
    asyncio.run(main())
