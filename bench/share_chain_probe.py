"""A shareholder chain five levels up: the enterprise's one statement against a statement per
level (what the fields' loaders ran before), alternating on the same enterprises of the bench
graph, and Neo4j's plan of the one statement (docs/benchmarks.md#peer-neo4jgraphql-issue-21).

    .venv/bin/python -m bench.share_chain_probe --enterprises 150

Needs a bench graph (`make bench-peer` or `make bench-check` loads one).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from hub.settings import load_settings
from hub.store import Store, open_driver
from hub.store import subjects as q
from hub.store.subjects import EnterpriseRow

LEVELS = 5
HELD = "MATCH (e:Enterprise)<-[:HOLDS_SHARES]-(:Enterprise) RETURN DISTINCT e.uscc AS u LIMIT $n"


async def _per_level(store: Store, key: str) -> None:
    level = [key]
    for _ in range(LEVELS):
        rows = await store.read_statements(q.relations, "shareholdersOf", level)
        level = sorted({r.holder.uscc for _, r in rows if isinstance(r.holder, EnterpriseRow)})
        if not level:
            return


def _plan(operator: Any, depth: int = 0) -> None:
    print(f"{'  ' * depth}{operator['operatorType']} db hits {operator.get('dbHits')}")
    for child in operator.get("children", []):
        _plan(child, depth + 1)


async def _probe(count: int, rounds: int) -> None:
    settings = load_settings()
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    try:
        async with driver.session(database=store.database) as session:
            keys = [r["u"] async for r in await session.run(HELD, {"n": count})]
        parts = q.ProfileParts(share_levels=LEVELS)
        for number in range(rounds):
            one: list[float] = []
            each: list[float] = []
            for key in keys:
                began = time.perf_counter()
                await store.read_statements(q.enterprise_profile, key, parts)
                one.append(time.perf_counter() - began)
                began = time.perf_counter()
                await _per_level(store, key)
                each.append(time.perf_counter() - began)
            print(
                f"round {number + 1}: {len(keys)} enterprises, p50 one statement "
                f"{statistics.median(one) * 1000:.2f} ms, a statement per level "
                f"{statistics.median(each) * 1000:.2f} ms"
            )
        async with driver.session(database=store.database) as session:
            params = {"key": keys[0], "roles": False, "shareLevels": LEVELS, "limit": 0}
            params |= {"publicOn": None, "afterDate": None, "afterId": None}
            result = await session.run("PROFILE " + q.ENTERPRISE_PROFILES[LEVELS], params)
            _plan((await result.consume()).profile)
        print(
            f"ratio one statement / per level, last round: {statistics.median(one) / statistics.median(each):.2f}"
        )
    finally:
        await driver.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--enterprises", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(_probe(args.enterprises, args.rounds))


if __name__ == "__main__":
    main()
