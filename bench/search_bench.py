"""`credit-hub bench search`: the public name search on the generated county.

Runs on the bench instance with the check benchmark's graph (the same preparation; with
``--reuse`` the graph already loaded). Three parts (docs/benchmarks.md#search):

* a record time read as the driver's DateTime against the same as ISO text (hub/store/values.py);
* the ranking statement alone, through the driver, one word at a time: the hub's (the index's
  best ``SEARCH_POOL`` hits ranked by score and identifier) against ranking every hit of the
  word (``EVERY_HIT``, the statement the hub ran until 2026-11-26), median of five;
* the hub over loopback HTTP as PUBLIC (no key, persons masked): first pages of 10 and pages
  at offset 500, the words drawn at random, at concurrency 1 and 8.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any, LiteralString

from bench import check_bench
from bench.check_bench import _drive, _line, _prepare
from bench.rawhttp import RawClient
from bench.registry import register
from bench.support import bench_instance, hub_server
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.imports import trusted
from hub.store.subjects import SEARCH_NAMES
from hub.store.values import timed
from resolvers.paging import encode_cursor
from resolvers.subjects import SEARCH_POOL, lucene_query
from web.client import document

PORT = 8767
# Common words of the county's names first (隆林 is in nearly every enterprise's name).
WORDS = ["隆林", "合作社", "养殖", "建材", "运输", "百货店", "新州镇", "金鑫", "茶业", "宏达"]
QUERY = """query($t: String!, $after: String) { search(text: $t, first: 10, after: $after) {
  nodes { score matchedBy
          subject { ... on Enterprise { uscc name } ... on Person { idNumber name } } }
  pageInfo { hasNextPage endCursor } } }"""

# Every hit of the word read and sorted (the ranking before the pool), with the same projection:
# the reference.
EVERY_HIT = trusted(f"""
CALL db.index.fulltext.queryNodes('subjectNames', $query) YIELD node, score
WITH node, score ORDER BY score DESC, node.uscc, elementId(node) SKIP $skip LIMIT $limit
RETURN CASE WHEN node:Enterprise THEN 'Enterprise' ELSE 'Person' END AS label,
       {timed("node")} AS node, score
""")
# The cost of a record time read as the driver's DateTime, against the same as ISO text.
TIMES: dict[str, LiteralString] = {
    "DateTime": "UNWIND range(1, 2000) AS i RETURN datetime('2026-11-26T10:00:00Z') AS t",
    "ISO text": "UNWIND range(1, 2000) AS i RETURN toString(datetime('2026-11-26T10:00:00Z')) AS t",
}
HITS: LiteralString = """
CALL db.index.fulltext.queryNodes('subjectNames', $query) YIELD node RETURN count(node) AS n
"""


async def _median_s(store: Store, work: Any) -> float:
    """Seconds of ``work`` run as the hub runs its reads (an auto-commit read), median of 5."""
    took = []
    for _ in range(5):
        began = time.perf_counter()
        await store.read_statements(work)
        took.append(time.perf_counter() - began)
    return statistics.median(took)


async def _statement_ms(store: Store, cypher: LiteralString, word: str) -> float:
    params = {"query": lucene_query(word), "skip": 0, "limit": 11, "pool": SEARCH_POOL}
    params.update(kind=None, division=None, list=None, today=None)  # no filter
    params.update(states=False)  # no badges (a statement without $states stops: missing)

    async def run(tx: Any) -> None:
        await (await tx.run(cypher, params)).consume()

    return await _median_s(store, run) * 1000


async def _hits(store: Store, word: str) -> int:
    async def run(tx: Any) -> int:
        record = await (await tx.run(HITS, {"query": lucene_query(word)})).single()
        return int(record["n"]) if record else 0

    return await store.read(run)


async def _row_us(store: Store, cypher: LiteralString) -> float:
    """Microseconds per row of a 2,000-row statement read through the driver, median of 5."""

    async def run(tx: Any) -> None:
        await (await tx.run(cypher)).fetch(10_000)

    return await _median_s(store, run) * 1e6 / 2000


def _requests(count: int, seed: int, offset: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    after = encode_cursor(offset) if offset else None
    return [{"t": rng.choice(WORDS), "after": after} for _ in range(count)]


Requests = Callable[[int, int], list[dict[str, Any]]]  # (count, seed) -> variables


def workload(kind: str, subjects: list[Any], token: str) -> tuple[str, dict[str, str], Requests]:
    """What the diagnostic scripts ask with ``--kind check|search|site-search``: the query, the headers (a
    check with the APPROVAL key ``token``, a search as PUBLIC) and the requests."""
    if kind == "check":
        return (
            check_bench.QUERY,
            {"Authorization": f"Bearer {token}"},
            lambda count, seed: check_bench._requests(subjects, count, seed),
        )
    if kind == "site-search":  # the public site's search document, first page (bench-site)
        site = document("public", "search")
        return (
            site,
            {},
            lambda count, seed: [
                {"text": r["t"], "after": None} for r in _requests(count, seed, 0)
            ],
        )
    return QUERY, {}, lambda count, seed: _requests(count, seed, 0)


async def _bench(args: argparse.Namespace, settings: Settings) -> int:
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    await _prepare(store, settings, args)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"dataset: {args.enterprises} enterprises (seed {args.seed}); pool {SEARCH_POOL}")
    try:
        for word in WORDS:  # warm: plans and index pages
            await _statement_ms(store, SEARCH_NAMES, word)
        print("ranking statement alone (first page of 10, median of 5):")
        ratios = []
        for word in WORDS:
            pooled = await _statement_ms(store, SEARCH_NAMES, word)
            every = await _statement_ms(store, EVERY_HIT, word)
            ratios.append(every / pooled)
            print(
                f"  {word:4} {await _hits(store, word):7} hits: pool {pooled:6.1f} ms, "
                f"every hit {every:6.1f} ms ({every / pooled:.1f}x)"
            )
        print(f"  median ratio every hit / pool: {statistics.median(ratios):.1f}x")
        per_row = {name: await _row_us(store, cypher) for name, cypher in TIMES.items()}
        print(
            "a record time per row (2,000 rows, median of 5): "
            + ", ".join(f"{name} {us:.1f} us" for name, us in per_row.items())
        )
        async with (
            hub_server(settings, PORT),
            RawClient("127.0.0.1", PORT, {}, 64) as http,
        ):

            async def search(variables: dict[str, Any]) -> bool:
                return await http.graphql(QUERY, variables)

            await _drive(search, _requests(100, 1, 0), 4)  # warm-up
            for offset in (0, 500):
                for concurrency in (1, 8):
                    count = args.requests if concurrency > 1 else max(args.requests // 2, 200)
                    lat, wall, errors = await _drive(
                        search, _requests(count, 10 + concurrency, offset), concurrency
                    )
                    print(_line(f"p@{offset}", concurrency, lat, wall, errors))
    finally:
        await driver.close()
    return 0


@register("search")
def bench_search(args: argparse.Namespace, settings: Settings) -> int:
    bench_instance(settings)
    return asyncio.run(_bench(args, settings))
