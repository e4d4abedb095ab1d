"""`credit-hub bench propagation`: time from the listing mutation to its derived entries committed.

On the instance "bench" (embedded port + 2, or NEO4J_URI): a generated county graph
(hub/demo.py) of ``--enterprises`` enterprises, plus ``--wide`` synthetic cooperatives with
``WIDE_MEMBERS`` member shareholders each. Then ``listSubject`` mutations through the real
schema (in process, no HTTP) as a DEPARTMENT key, for three groups of enterprises:

* typical: enterprises whose count of person ties (roles and shareholdings) is the median;
* largest: the enterprises with the most person ties in the generated graph;
* wide: the synthetic cooperatives, each listing naming 20 liable members.

Propagation runs inside the mutation's transaction, so the mutation's latency is the time until
the derived entries are committed; afterwards every listing's derived entries are counted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import statistics
import time
from typing import Any

import orjson

from bench.cypher import bench_graph
from bench.registry import register
from bench.support import bench_instance, percentile
from graphql_engine.build import build_schema
from hub.auth import SYSTEM, Actor, Role
from hub.bulk_load.loader import Upload, bulk_load
from hub.demo import ANCHOR, demo_totals, demo_uploads, seed_demo
from hub.identifiers import make_id_number, make_uscc
from hub.importer.runner import run_import
from hub.migrate import migrate
from hub.settings import Settings
from hub.store import Store, open_driver
from resolvers.context import make_context

INSTANCE = "bench"
WIDE_MEMBERS = 2000
WIDE_LIABLE = 20
WARMUP = 30
LISTING = """
mutation ($input: ListingInput!) { listSubject(input: $input) { id status } }
"""


def _wide_records(index: int) -> tuple[str, list[bytes]]:
    """A farmers' cooperative with WIDE_MEMBERS member shareholders and a few officers."""
    uscc = make_uscc("9", "3", "451031", f"MB{index:07d}")
    rng = random.Random(index)
    records: list[dict[str, Any]] = [
        {"kind": "enterprise", "uscc": uscc, "name": f"隆林各族自治县基准{index}号专业合作社"}
    ]
    people = []
    for n in range(WIDE_MEMBERS + 10):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18000))
        person = make_id_number("451031", born, (index * 7 + n) % 999 + 1)
        if person in people:
            continue
        people.append(person)
        records.append({"kind": "person", "idNumber": person, "name": f"社员{n}"})
    records.append(_role(people[0], uscc, "LEGAL_REPRESENTATIVE"))
    records += [_role(p, uscc, "DIRECTOR") for p in people[1:6]]
    records += [_role(p, uscc, "SENIOR_MANAGER") for p in people[6:9]]
    share = round(1.0 / len(people), 6)
    records += [
        {
            "kind": "shareholding",
            "holder": {"idNumber": p},
            "uscc": uscc,
            "share": share,
            "from": "2015-01-01",
        }
        for p in people
    ]
    return uscc, [orjson.dumps(r) for r in records]


def _role(person: str, uscc: str, role: str) -> dict[str, Any]:
    return {"kind": "role", "idNumber": person, "uscc": uscc, "role": role, "from": "2015-01-01"}


async def _load(store: Store, settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    found = await store.read(bench_graph.dataset)
    dataset = found["dataset"]
    wanted = {"enterprises": args.enterprises, "seed": args.seed, "wide": args.wide}
    same = dataset and all(dataset.get(k) == v for k, v in wanted.items())
    if args.reuse and same and dataset.get("complete"):
        print(f"reusing the bench graph loaded in {dataset.get('seconds')} s")
        return dict(dataset)
    if found["hasData"] and not dataset:
        raise SystemExit(
            "refusing to wipe the bench database: it holds data the bench did not load"
        )
    started = time.perf_counter()
    await store.write(bench_graph.mark, args.enterprises, args.seed, args.wide, None, False)
    await bench_graph.wipe(store)
    await migrate(store)
    if settings.neo4j_uri is None:
        # The embedded store is empty now: Neo4j's import tool loads it (import --initial),
        # minutes where the transactional importer takes most of an hour at 100,000. The
        # marker is a node `migrate` does not write: off during the load, back after it.
        await store.write(bench_graph.unmark)
        reports = await bulk_load(
            settings,
            "bench",
            [
                Upload(f"seed-{args.seed}", lines, department)
                for department, lines in demo_uploads(args.enterprises, args.seed)
            ],
        )
        summary = demo_totals(reports, started)
        await store.write(bench_graph.mark, args.enterprises, args.seed, args.wide, None, False)
    else:
        summary = await seed_demo(store, settings, enterprises=args.enterprises, seed=args.seed)
    print(f"seeded: {summary}")
    for index in range(args.wide):
        _, lines = _wide_records(index)
        report = await run_import(store, lines, actor=SYSTEM, department="AMR", source="bench")
        if not report.committed or report.errors:
            raise RuntimeError(f"wide cooperative {index}: {report.errors[:3]}")
    seconds = round(time.perf_counter() - started, 1)
    await store.write(bench_graph.mark, args.enterprises, args.seed, args.wide, seconds, True)
    print(f"loaded in {seconds} s")
    return {**wanted, "seconds": seconds}


def _groups(ties: list[dict[str, Any]], count: int, rng: random.Random) -> dict[str, list[str]]:
    wide = [t["uscc"] for t in ties if t["ties"] > WIDE_MEMBERS]
    generated = [t for t in ties if t["ties"] <= WIDE_MEMBERS and t["ties"] > 0]
    median = statistics.median(t["ties"] for t in generated)
    typical = [t["uscc"] for t in generated if t["ties"] == median]
    largest = [t["uscc"] for t in sorted(generated, key=lambda t: -t["ties"])[:count]]
    return {
        "typical": rng.sample(typical, min(count, len(typical))),
        "largest": largest,
        "wide": wide,
    }


async def _measure(
    store: Store, settings: Settings, groups: dict[str, list[str]], requests: int, run: str
) -> dict[str, Any]:
    schema = build_schema(settings)
    actor = Actor(Role.DEPARTMENT, "bench-key", "ECOENV")
    start = (ANCHOR - dt.timedelta(days=10)).isoformat()
    members: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    sequence = 0
    for group, usccs in groups.items():
        if not usccs:
            continue
        timings: list[float] = []
        ids: list[str] = []
        total = requests if group != "wide" else max(requests // 10, 50)
        for i in range(total + WARMUP):
            sequence += 1
            uscc = usccs[i % len(usccs)]
            listing_id = f"BENCH-{run}-{sequence}"
            liable: list[str] | None = None
            if group == "wide":
                if uscc not in members:
                    members[uscc] = await _members(store, uscc)
                liable = members[uscc][:WIDE_LIABLE]
            variables = {
                "input": {
                    "id": listing_id,
                    "subject": {"uscc": uscc},
                    "list": "BLACK",
                    "domain": "ENVIRONMENT",
                    "basis": "基准测试",
                    "effectiveFrom": start,
                    "liablePersons": liable,
                }
            }
            context = make_context(store, settings, actor, f"bench-{sequence}")
            began = time.perf_counter()
            result = await schema.execute(LISTING, variable_values=variables, context_value=context)
            elapsed = (time.perf_counter() - began) * 1000
            if result.errors:
                raise RuntimeError(f"{listing_id}: {result.errors}")
            if i >= WARMUP:
                timings.append(elapsed)
                ids.append(listing_id)
        load = os.getloadavg()[0]  # 1-minute load average at the end of the group
        derived = await store.read(bench_graph.derived_counts, ids)
        counts = [derived.get(i, 0) for i in ids]
        out[group] = {
            "enterprises": len(usccs),
            "requests": len(timings),
            "p50_ms": round(percentile(timings, 0.50), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "p99_ms": round(percentile(timings, 0.99), 2),
            "max_ms": round(max(timings), 2),
            "load_average_1m": round(load, 2),
            "derived_per_listing": {
                "min": min(counts),
                "median": statistics.median(counts),
                "max": max(counts),
            },
        }
        print(f"{group}: {out[group]}")
    return out


async def _members(store: Store, uscc: str) -> list[str]:
    return await store.read(bench_graph.shareholders, uscc, WIDE_LIABLE)


def _machine() -> dict[str, Any]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
    }


async def _bench(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    driver = open_driver(settings, INSTANCE)
    try:
        await driver.verify_connectivity()
        store = Store(driver, settings)
        dataset = await _load(store, settings, args)
        ties = await store.read(bench_graph.tie_counts)
        groups = _groups(ties, 50, random.Random(args.seed))
        run = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        results = await _measure(store, settings, groups, args.requests, run)
        tie_of = {t["uscc"]: t["ties"] for t in ties}
        for group, usccs in groups.items():
            if group in results:
                results[group]["ties"] = sorted({tie_of[u] for u in usccs})
        return {
            "machine": _machine(),
            "dataset": {**dataset, **(await store.read(bench_graph.size))},
            "results": results,
        }
    finally:
        await driver.close()


@register("propagation")
def bench_propagation(args: argparse.Namespace, settings: Settings) -> int:
    bench_instance(settings)
    summary = asyncio.run(_bench(args, settings))
    print(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode())
    return 0
