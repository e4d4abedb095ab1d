"""The check's gather statement in variants, side by side on the bench graph: Neo4j CPU per
statement, the driver's CPU per statement, and the database hits of its PROFILE.

One subject per statement, as a single check at concurrency 1 sends it, the variants in
alternating rounds over the same subjects (the check bench's sample). Variants:

* ``now``: this checkout's ``GATHER``;
* the ``GATHER`` of each other checkout given (``--base``, e.g. a worktree of ce433eb), read
  by Python with that checkout first on its path, named after its folder;
* ``no-employment``: ``now`` without that step (what the step costs).

    git worktree add --detach /tmp/before ce433eb
    .venv/bin/python -m bench.gather_ab --base /tmp/before /tmp/main --subjects 600 --rounds 4

Needs the bench instance with the check graph (`make bench-check` loads it). Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.check_bench import AS_OF
from bench.cypher.check_samples import sample_subjects
from bench.support import bench_instance, cpu_seconds, neo4j_pid
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.checks import GATHER


def _base_gather(checkout: Path) -> str:
    """The GATHER of another checkout, printed by Python with that checkout first on the path."""
    code = "from hub.store.checks import GATHER; import sys; sys.stdout.write(GATHER)"
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed snippet
        [sys.executable, "-c", code],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _without(statement: str, marker: str, column: str) -> str:
    """``statement`` without the ``CALL (n) { … }`` holding ``marker`` and its result column."""
    start = statement.index(marker)
    call = statement.rindex("CALL (n) {", 0, start)
    depth, at = 0, call
    while True:
        char = statement[at]
        depth += char == "{"
        depth -= char == "}"
        at += 1
        if depth == 0 and char == "}":
            break
    trimmed = statement[:call] + statement[at:].lstrip("\n")
    return re.sub(rf",\s*{column}: {column}", "", trimmed)


def variants(bases: list[Path]) -> dict[str, str]:
    found = {"now": GATHER, "no-employment": _without(GATHER, "[w:WORKS_FOR]", "employment")}
    for base in bases:
        found[base.name] = _base_gather(base)
    return found


def _db_hits(plan: Any) -> int:
    return int(plan.get("dbHits", 0)) + sum(_db_hits(c) for c in plan.get("children", []))


async def main(args: argparse.Namespace) -> None:
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    java = neo4j_pid(settings)
    statements = variants([Path(b) for b in args.base])
    try:
        sampled = (await store.read(sample_subjects, 3000))[: args.subjects]
        params = [
            {
                "subjects": [
                    {
                        "i": 0,
                        "uscc": s["key"] if s["label"] == "Enterprise" else None,
                        "idNumber": s["key"] if s["label"] == "Person" else None,
                    }
                ],
                "asOf": AS_OF,
            }
            for s in sampled
        ]
        hits: dict[str, int] = {}
        async with driver.session() as session:
            for name, statement in statements.items():
                total = 0
                for p in params:
                    result = await session.run("PROFILE " + statement, p)
                    summary = await result.consume()
                    total += _db_hits(summary.profile or {})
                hits[name] = total
            neo: dict[str, list[float]] = {n: [] for n in statements}
            own: dict[str, list[float]] = {n: [] for n in statements}
            wall: dict[str, list[float]] = {n: [] for n in statements}
            names = list(statements)
            for name in names:  # warm-up: plans cached, pages read
                for p in params[:100]:
                    await (await session.run(statements[name], p)).single()
            for round_ in range(args.rounds):
                order = names if round_ % 2 == 0 else names[::-1]
                for name in order:
                    j0, c0, t0 = (
                        cpu_seconds(java) if java else 0.0,
                        time.process_time(),
                        time.perf_counter(),
                    )
                    for p in params:
                        await (await session.run(statements[name], p)).single()
                    count = len(params)
                    if java:
                        neo[name].append(1000 * (cpu_seconds(java) - j0) / count)
                    own[name].append(1000 * (time.process_time() - c0) / count)
                    wall[name].append(1000 * (time.perf_counter() - t0) / count)
    finally:
        await driver.close()
    print(
        f"{len(params)} subjects, one per statement, {args.rounds} alternating rounds, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    for name in statements:
        neo4j = f"Neo4j CPU {statistics.median(neo[name]):.3f} ms, " if neo[name] else ""
        print(
            f"{name:>15}: {neo4j}driver CPU {statistics.median(own[name]):.3f} ms, "
            f"wall {statistics.median(wall[name]):.3f} ms per statement (medians); "
            f"db hits {hits[name] / len(params):.1f} per statement"
        )
    for base in args.base[::-1]:  # the first given last
        name = Path(base).name
        if neo["now"]:
            ratios = [a / b for a, b in zip(neo["now"], neo[name], strict=True)]
            print(
                f"now/{name} Neo4j CPU per statement, median of rounds"
                f" {statistics.median(ratios):.3f}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", nargs="*", default=[], help="checkouts whose GATHER to compare")
    parser.add_argument("--subjects", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=4)
    arguments = parser.parse_args()
    arguments.base = [str(Path(b).resolve()) for b in arguments.base]
    asyncio.run(main(arguments))
