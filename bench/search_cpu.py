"""Neo4j's CPU per search statement, variant by variant, on the bench graph.

    .venv/bin/python -m bench.search_cpu [--runs 200]

The site bench's words (bench/search_bench.py WORDS), one statement at a time through the
driver, each variant in turn: the hub's statement as the site's search asks it (first page of
20, the badges' listing states with the hits: hub/store/subjects.py SEARCH_NAMES), the same
without the badges, the index call alone with the same pool, and a trivial statement (what
any statement costs Neo4j). Prints the bench instance's CPU (from /proc) per statement and
the wall time per statement. docs/benchmarks.md#public-site quotes it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any, LiteralString

from bench.search_bench import WORDS
from bench.search_profile import INDEX_ALONE, _params
from bench.support import bench_instance, cpu_seconds, neo4j_pid
from hub.settings import Settings
from hub.store import open_driver
from hub.store.subjects import SEARCH_NAMES
from resolvers.subjects import lucene_query

TRIVIAL: LiteralString = "RETURN 1 AS one"


async def _main(runs: int) -> None:
    settings = Settings()
    bench_instance(settings)
    java = neo4j_pid(settings)
    if java is None:
        raise SystemExit("needs the embedded bench instance (its CPU is read from /proc)")
    driver = open_driver(settings, "bench")
    variants: dict[str, tuple[LiteralString, dict[str, Any]]] = {
        "statement with badges": (SEARCH_NAMES, {"states": True}),
        "statement, no badges": (SEARCH_NAMES, {"states": False}),
        "index call alone": (INDEX_ALONE, {}),
        "RETURN 1": (TRIVIAL, {}),
    }
    try:
        async with driver.session(database=settings.neo4j_database) as session:
            for cypher, extra in variants.values():  # warm: plans, index pages
                for word in WORDS:
                    params = {**_params(lucene_query(word)), **extra}
                    await (await session.run(cypher, params)).consume()
            for name, (cypher, extra) in variants.items():
                cpu, began = cpu_seconds(java), time.perf_counter()
                for index in range(runs):
                    params = {**_params(lucene_query(WORDS[index % len(WORDS)])), **extra}
                    await (await session.run(cypher, params)).consume()
                wall = (time.perf_counter() - began) * 1000 / runs
                used = (cpu_seconds(java) - cpu) * 1000 / runs
                print(f"{name:24} Neo4j CPU {used:5.2f} ms/statement, wall {wall:5.2f} ms")
    finally:
        await driver.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    asyncio.run(_main(parser.parse_args().runs))
