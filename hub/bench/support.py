"""Shared benchmark plumbing: the "bench" instance, wiping it, timing percentiles."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Sequence

from neo4j import AsyncGraphDatabase

from hub.migrate import migrate
from hub.neo4j_local import EmbeddedNeo4j, connection
from hub.settings import Settings
from hub.store import Store, open_driver

WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def bench_instance(settings: Settings) -> None:
    """Start the embedded "bench" instance unless NEO4J_URI points elsewhere."""
    if settings.neo4j_uri is None:
        local = EmbeddedNeo4j(settings, "bench")
        if not local.installed:
            local.install()
        local.start()


def wipe_bench(settings: Settings) -> None:
    """Empty the bench database and migrate it. Refuses anything but the embedded bench."""
    if settings.neo4j_uri is not None:
        raise SystemExit("benchmarks wipe their database: they only run on the embedded bench")

    async def run() -> None:
        conn = connection(settings, "bench")
        driver = AsyncGraphDatabase.driver(conn.uri, auth=(conn.user, conn.password))
        async with driver.session() as session:
            await (await session.run(WIPE)).consume()
        await driver.close()
        bench_driver = open_driver(settings, "bench")
        await migrate(Store(bench_driver, settings))
        await bench_driver.close()

    asyncio.run(run())


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: Sequence[float]) -> str:
    """p50/p99/mean in milliseconds."""
    ms = [s * 1000 for s in samples]
    return (
        f"n={len(ms)} p50={percentile(ms, 0.5):.1f} ms p99={percentile(ms, 0.99):.1f} ms "
        f"mean={statistics.fmean(ms):.1f} ms"
    )
