"""`credit-hub bench investigate`: p50/p99 of the investigation queries on a generated county.

Runs against the embedded instance "bench" (bolt port + 2; heap and page cache from
CREDITHUB_EMBEDDED_HEAP / CREDITHUB_EMBEDDED_PAGECACHE) or NEO4J_URI. Without ``--reuse`` the
bench database is emptied and rebuilt with the demo generator (`credit-hub seed`), and the build
time and store size are recorded in ``<instance>/build.json``. Every request goes through the
GraphQL schema in-process as an INVESTIGATOR, audit write included; one client, sequential.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import platform
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cypher import investigate_samples
from bench.registry import register
from bench.support import bench_instance, percentile
from hub.auth import Actor, Role
from hub.neo4j_local import EmbeddedNeo4j
from hub.runtime import tune_gc
from hub.settings import Settings
from hub.store import Store, open_driver
from resolvers.context import make_context

INVESTIGATOR = Actor(Role.INVESTIGATOR, key_id="bench-investigator", name="bench")

OWNERS = """
query Owners($u: String!) {
  beneficialOwners(uscc: $u, maxDepth: 10) {
    truncated pathCount
    owners {
      effectiveShare holder { ...K }
      paths { share steps { share holder { ...K } company { uscc name } } }
    }
    beneficialOwners { basis effectiveShare person { idNumber name } }
    actualControllers { basis holder { ...K } }
    subgraph { nodes { id label } edges { id source target share } }
  }
}
fragment K on Subject { ... on Enterprise { uscc name } ... on Person { idNumber name } }
"""

PATHS = """
query Paths($a: String!, $b: String!) {
  findPaths(from: {uscc: $a}, to: {uscc: $b}, maxHops: 4, limit: 10) {
    length steps { type role share from to direction start { ...K } end { ...K } }
  }
}
fragment K on Subject { ... on Enterprise { uscc name } ... on Person { idNumber name } }
"""

NEIGHBOURS = """
query Around($p: String!) {
  neighbourhood(subject: {idNumber: $p}, hops: 1, limit: 200) {
    truncated
    nodes { id kind label degree }
    edges { id source target type role share from to }
    degrees { type total returned hasMore endCursor }
  }
}
"""


RELATED = """
query Related($u: String!) {
  relatedParties(uscc: $u) {
    truncated
    parties { enterprise { uscc name } kinds links { kind roleHere roleThere via { ...K } } }
  }
}
fragment K on Subject { ... on Enterprise { uscc name } ... on Person { idNumber name } }
"""


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


async def _build(store: Store, settings: Settings, enterprises: int, seed: int) -> dict[str, Any]:
    from hub.demo import seed_demo
    from hub.migrate import migrate

    await migrate(store)
    started = time.perf_counter()
    summary = await seed_demo(store, settings, enterprises=enterprises, seed=seed)
    return {**summary, "buildSeconds": round(time.perf_counter() - started, 1)}


async def _measure(
    execute: Callable[[str, dict[str, Any]], Any],
    query: str,
    variables: list[dict[str, Any]],
    requests: int,
) -> dict[str, Any]:
    for v in variables[: min(len(variables), 20)]:
        await execute(query, v)  # warm-up: plans, page cache
    times: list[float] = []
    for i in range(requests):
        v = variables[i % len(variables)]
        started = time.perf_counter()
        await execute(query, v)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "requests": requests,
        "targets": len(variables),
        "p50": round(percentile(times, 0.50), 1),
        "p99": round(percentile(times, 0.99), 1),  # nearest rank, as in bench/support.py
        "mean": round(statistics.fmean(times), 1),
        "max": round(max(times), 1),
    }


async def _run(
    args: argparse.Namespace, settings: Settings, local: EmbeddedNeo4j | None
) -> dict[str, Any]:
    from graphql_engine.build import build_schema

    driver = open_driver(settings, "bench")
    try:
        await driver.verify_connectivity()
        store = Store(driver, settings)
        # Picking targets scans the whole graph: a longer timeout than requests get.
        sampler = Store(driver, settings.model_copy(update={"tx_timeout": 1800.0}))
        build: dict[str, Any] = {}
        marker = local.instance_home / "build.json" if local else None
        if not args.reuse:
            build = await _build(store, settings, args.enterprises, args.seed)
            if marker is not None:
                marker.write_text(json.dumps(build, indent=2))
        elif marker is not None and marker.exists():
            build = json.loads(marker.read_text())
        counts = await sampler.read(investigate_samples.counts)
        rng = random.Random(args.seed)
        everyone = [k for k, _ in await sampler.read(investigate_samples.keys, "enterprises")]
        chain_ends = [
            k for k, _ in await sampler.read(investigate_samples.keys, "chainEnds", limit=200)
        ]
        random_firms = rng.sample(everyone, min(200, len(everyone)))
        supers = await sampler.read(investigate_samples.keys, "superNodes", limit=20)
        connected: list[dict[str, Any]] = []
        for a in rng.sample(everyone, min(400, len(everyone))):
            reachable = await sampler.read(investigate_samples.keys, "reachable", key=a)
            if reachable:
                connected.append({"a": a, "b": rng.choice(reachable)[0]})
            if len(connected) >= 100:
                break
        strangers = [
            {"a": a, "b": b}
            for a, b in zip(random_firms, reversed(random_firms), strict=True)
            if a != b
        ]

        schema = build_schema(settings)
        tune_gc()  # as `credit-hub serve` does after start-up (hub/runtime.py)

        async def execute(query: str, variables: dict[str, Any]) -> Any:
            context = make_context(store, settings, INVESTIGATOR, "bench")
            result = await schema.execute(query, variable_values=variables, context_value=context)
            if result.errors:
                raise RuntimeError(f"benchmark query failed: {result.errors}")
            return result.data

        n = args.requests
        results = {
            "beneficialOwners depth 10, ends of chains >= 8 levels": await _measure(
                execute, OWNERS, [{"u": u} for u in chain_ends] or [{"u": everyone[0]}], n
            ),
            "beneficialOwners depth 10, random enterprises": await _measure(
                execute, OWNERS, [{"u": u} for u in random_firms], n
            ),
            "findPaths 4 hops, connected pairs": await _measure(
                execute, PATHS, connected or strangers, n
            ),
            "findPaths 4 hops, random pairs (mostly unconnected)": await _measure(
                execute, PATHS, strangers, n
            ),
            "neighbourhood of the 20 biggest super-nodes (hops 1, limit 200)": await _measure(
                execute, NEIGHBOURS, [{"p": p} for p, _ in supers], n
            ),
            "relatedParties, random enterprises": await _measure(
                execute, RELATED, [{"u": u} for u in random_firms], n
            ),
        }
        data = local.instance_home / "data" if local else None
        return {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, {_cpus()} CPUs, {_memory_gb()} GB RAM",
            "heap": settings.embedded_heap,
            "pagecache": settings.embedded_pagecache,
            "graph": counts,
            "build": build,
            "storeBytes": _du(data / "databases") if data and data.exists() else None,
            "transactionLogBytes": _du(data / "transactions") if data and data.exists() else None,
            "superNodeDegrees": [d for _, d in supers],
            "chainEnds": len(chain_ends),
            "connectedPairs": len(connected),
            "results": results,
        }
    finally:
        await driver.close()


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _memory_gb() -> int:
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return round(kb / 1024 / 1024)


@register("investigate")
def investigate(args: argparse.Namespace, settings: Settings) -> int:
    if settings.neo4j_uri is not None and not args.reuse:
        raise SystemExit("the bench rebuilds its database: only on the embedded bench (or --reuse)")
    local = EmbeddedNeo4j(settings, "bench") if settings.embedded else None
    if local is not None and not args.reuse:
        # Faster than deleting millions of nodes: the bench instance's own store, rebuilt below.
        local.stop()
        data = local.instance_home / "data"
        if data.exists():
            shutil.rmtree(data)
    bench_instance(settings)
    report = asyncio.run(_run(args, settings, local))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print("| query | targets | requests | p50 ms | p99 ms | mean ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in report["results"].items():
        print(
            f"| {name} | {r['targets']} | {r['requests']} | {r['p50']} | {r['p99']} "
            f"| {r['mean']} | {r['max']} |"
        )
    return 0
