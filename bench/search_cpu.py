"""Neo4j's CPU per search statement, variant by variant, on the bench graph.

    .venv/bin/python -m bench.search_cpu [--runs 200]

The site bench's words (bench/search_bench.py WORDS), one statement at a time through the
driver, each variant in turn: the hub's statement as the site's search asks it (first page of
20, the badges' listing states with the hits: hub/store/subjects.py SEARCH_NAMES), the same
without the badges, the pool ranked as the API ranks it (equal scores by identifier) with no
filter and two properties — reading each pooled hit's ``uscc``, near the end of its property
chain, as before, and reading its ``tieKey`` (the USCC again, first in the chain), as
SEARCH_NAMES does —, the same ranked by score alone (not the API's order: what the
identifiers' reads cost), the index call alone with the same pool, and a trivial statement
(what any statement costs Neo4j). Variants alternate in rounds. Prints the bench instance's
CPU (from /proc) per statement and the wall time per statement. docs/benchmarks.md#public-site
quotes it.
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

ROUNDS = 4
TRIVIAL: LiteralString = "RETURN 1 AS one"
# The pool ranked by score alone (ties by element id): not the API's order (equal scores by
# identifier), only to show what reading the identifiers of the pool's hits costs.
BY_SCORE: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query, {limit: $pool}) YIELD node, score
WITH node, score ORDER BY score DESC, elementId(node) SKIP $skip LIMIT $limit
RETURN node {.uscc, .name} AS node, score
"""
BY_IDENTIFIER: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query, {limit: $pool}) YIELD node, score
WITH node, score ORDER BY score DESC, node.uscc, elementId(node) SKIP $skip LIMIT $limit
RETURN node {.uscc, .name} AS node, score
"""
# The same order read from each pooled enterprise's tieKey (the USCC again, at the head of its
# property chain), as SEARCH_NAMES reads it; ``uscc`` is near the chain's end.
BY_TIE_KEY: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query, {limit: $pool}) YIELD node, score
WITH node, score
ORDER BY score DESC, CASE WHEN node:Enterprise THEN coalesce(node.tieKey, node.uscc) END,
         elementId(node)
SKIP $skip LIMIT $limit
RETURN node {.uscc, .name} AS node, score
"""


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
        "pool by identifier": (BY_IDENTIFIER, {}),
        "pool by tieKey": (BY_TIE_KEY, {}),
        "pool by score alone": (BY_SCORE, {}),
        "index call alone": (INDEX_ALONE, {}),
        "RETURN 1": (TRIVIAL, {}),
    }
    try:
        async with driver.session(database=settings.neo4j_database) as session:
            for cypher, extra in variants.values():  # warm: plans, index pages
                for word in WORDS:
                    params = {**_params(lucene_query(word)), **extra}
                    await (await session.run(cypher, params)).consume()
            spent = {name: [0.0, 0.0] for name in variants}
            for _ in range(ROUNDS):
                for name, (cypher, extra) in variants.items():
                    cpu, began = cpu_seconds(java), time.perf_counter()
                    for index in range(runs):
                        params = {**_params(lucene_query(WORDS[index % len(WORDS)])), **extra}
                        await (await session.run(cypher, params)).consume()
                    spent[name][0] += cpu_seconds(java) - cpu
                    spent[name][1] += time.perf_counter() - began
            for name, (cpu_s, wall_s) in spent.items():
                used, wall = (1000 * x / runs / ROUNDS for x in (cpu_s, wall_s))
                print(f"{name:24} Neo4j CPU {used:5.2f} ms/statement, wall {wall:5.2f} ms")
            searched, floor = spent["statement with badges"][0], spent["index call alone"][0]
            print(
                f"ratio statement with badges / index call alone, Neo4j CPU: {searched / floor:.2f}"
            )
    finally:
        await driver.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="statements per variant per round")
    asyncio.run(_main(parser.parse_args().runs))
