"""`credit-hub bench sampling`: a 双随机一公开 sampling plan over the whole bench county.

On the "bench" instance, the check benchmark's county (reused with --reuse, else seeded here as
`bench check` seeds it: the generated enterprises, and evaluations of some of them) and an
inspector pool of ``POOL_RELATED`` persons holding a role at an enterprise (so 回避 has
targets to avoid for them) and ``POOL_OTHERS`` other persons. Then, in ``--rounds`` rounds:

* the plan: ``createSamplingPlan`` over HTTP to `credit-hub serve` (a child process, one
  worker) with a DEPARTMENT key of AMR — the whole county, every kind, default tier ratios, two
  inspectors a target, the same seed every round; wall time, and the CPU the hub and the
  embedded Neo4j used (Linux /proc);
* the floor: the same population read (the product's statement, hub/store/sampling.py) in one
  read transaction through the driver, then the pure tier draw (hub/rules/sampling.py) with the
  same seed — no 回避 read, no inspector assignment, no write, no HTTP, no GraphQL;
* hub and floor alternate (the plan first in even rounds, the floor first in odd ones).

The answer is checked: every round's stored plan (targets, tiers, grades, inspectors,
shortfalls, read back unmasked) equals the first round's (same seed, same data: the same plan),
the floor drew the same targets in the same order, and no assigned inspector is related to
its target by the hub's own 回避 read. Then the plan's parts are timed one by one through the product's own functions (population
read, 回避 read, draw, assign, targets write, plan read back), to say where its time goes.
The plans the benchmark made are deleted at the end.
The last line is the plan's wall time over the floor's (medians).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time
import uuid
from typing import Any

import httpx

from bench.cypher import sampling_samples
from bench.registry import register
from bench.support import bench_instance, cpu_seconds, free_port, hub_server, neo4j_pid
from hub.auth import Role
from hub.keys import create_key
from hub.rules import sampling
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store import sampling as store_sampling

ON = dt.date(2026, 6, 30)  # grades and ties as of (the check bench's date)
PLAN_SEED = 2026
POOL_RELATED, POOL_OTHERS = 10, 40
PER_TARGET = 2
CREATE = """mutation ($input: SamplingPlanInput!) {
  createSamplingPlan(input: $input) {
    id shortfalls tiers { tier ratio population drawn }
    targets { uscc tier inspectors shortfall } } }"""


async def _plan(http: httpx.AsyncClient, pool: list[str]) -> dict[str, Any]:
    variables = {
        "input": {
            "seed": PLAN_SEED,
            "inspectors": pool,
            "inspectorsPerTarget": PER_TARGET,
            "on": ON.isoformat(),
        }
    }
    response = await http.post("/graphql", json={"query": CREATE, "variables": variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"createSamplingPlan failed: {response.status_code} {body}")
    found: dict[str, Any] = body["data"]["createSamplingPlan"]
    return found


async def _floor(store: Store) -> list[sampling.Target]:
    members = await store.read(store_sampling.population, None, None, None, ON)
    targets, _ = sampling.draw(members, sampling.DEFAULT_RATIOS, PLAN_SEED)
    return targets


async def _phases(store: Store, pool: list[str]) -> tuple[str, str]:
    """The plan's parts one by one through the product's own functions, each in its own
    transaction (the hub runs the first five in one): where a plan's time goes. The plan it
    writes is the id returned, for deleting."""
    took: dict[str, float] = {}

    def timed(name: str, began: float) -> None:
        took[name] = time.perf_counter() - began

    began = time.perf_counter()
    members = await store.read(store_sampling.population, None, None, None, ON)
    timed("population read", began)
    began = time.perf_counter()
    related = await store.read(store_sampling.related, pool, ON)
    timed("回避 read", began)
    began = time.perf_counter()
    targets, _ = sampling.draw(members, sampling.DEFAULT_RATIOS, PLAN_SEED)
    timed("draw", began)
    began = time.perf_counter()
    assigned = sampling.assign(
        targets, pool, {i: r or set() for i, r in related.items()}, PER_TARGET, PLAN_SEED
    )
    timed("assign", began)
    plan_id = "plan-bench-" + uuid.uuid4().hex[:12]
    plan = {"id": plan_id, "department": "AMR", "createdAt": dt.datetime.now(dt.UTC)}
    rows = [
        {
            "order": n,
            "key": t.key,
            "tier": t.tier,
            "grade": t.grade,
            "inspectors": assigned.inspectors[t.key],
            "shortfall": False,
        }
        for n, t in enumerate(targets)
    ]
    began = time.perf_counter()
    await store.write_long(
        store_sampling.write_plan, plan, rows
    )  # as the hub, under the import timeout
    timed("targets write", began)
    began = time.perf_counter()
    await store.read(store_sampling.plan, plan_id)
    timed("plan read back", began)
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items()), plan_id


def _cpu(pids: dict[str, int | None]) -> dict[str, float]:
    return {name: cpu_seconds(pid) if pid else 0.0 for name, pid in pids.items()}


async def _rounds(
    store: Store, http: httpx.AsyncClient, pool: list[str], rounds: int, pids: dict[str, int | None]
) -> tuple[list[dict[str, Any]], list[float], list[list[sampling.Target]]]:
    plans: list[dict[str, Any]] = []
    floors: list[float] = []
    drawn: list[list[sampling.Target]] = []
    for number in range(rounds):
        order = ("plan", "floor") if number % 2 == 0 else ("floor", "plan")
        for which in order:
            before = _cpu(pids)
            began = time.perf_counter()
            if which == "plan":
                made = await _plan(http, pool)
                took = time.perf_counter() - began
                used = {k: v - before[k] for k, v in _cpu(pids).items()}
                plans.append({**made, "seconds": took, "cpu": used})
                print(
                    f"round {number} plan : {took:7.2f} s, {len(made['targets'])} targets, "
                    f"hub CPU {used['hub']:.2f} s, Neo4j CPU {used['neo4j']:.2f} s",
                    flush=True,
                )
            else:
                targets = await _floor(store)
                took = time.perf_counter() - began
                used = {k: v - before[k] for k, v in _cpu(pids).items()}
                floors.append(took)
                drawn.append(targets)
                print(
                    f"round {number} floor: {took:7.2f} s, {len(targets)} targets, "
                    f"this process CPU {used['bench']:.2f} s, Neo4j CPU {used['neo4j']:.2f} s",
                    flush=True,
                )
    return plans, floors, drawn


async def _check(
    store: Store, plans: list[dict[str, Any]], drawn: list[list[sampling.Target]], pool: list[str]
) -> list[list[Any]]:
    """The stored plans equal each other, the floor's draws, and avoid related inspectors."""
    stored = [await store.read(sampling_samples.targets, p["id"]) for p in plans]
    for number, other in enumerate(stored[1:], start=1):
        if other != stored[0]:
            raise SystemExit(f"round {number}'s plan differs from round 0's with the same seed")
    keys = [(row[0], row[1]) for row in stored[0]]
    for targets in drawn:
        if [(t.key, t.tier) for t in targets] != keys:
            raise SystemExit("the floor drew other targets than the plan")
    related = await store.read(store_sampling.related, pool, ON)
    for key, _, _, inspectors, _ in stored[0]:
        for inspector in inspectors:
            if key in (related[inspector] or set()):
                raise SystemExit(f"a related inspector was assigned to {key}")
    print(
        f"checked: {len(plans)} plans with seed {PLAN_SEED} stored the same {len(keys)} targets "
        f"and inspectors; the floor drew the same targets in the same order; no assigned "
        f"inspector is related to its target ({sum(len(r or ()) for r in related.values())} "
        "(inspector, enterprise) pairs avoided in the pool)"
    )
    return stored[0]


async def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from bench.check_bench import _prepare

    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    made: list[dict[str, Any]] = []
    try:
        await _prepare(store, settings, args)
        pool = await store.read(sampling_samples.pool, POOL_RELATED, POOL_OTHERS)
        _, token = await create_key(store, Role.DEPARTMENT, "AMR", "bench-sampling")
        port = free_port()
        print(
            f"machine: {os.cpu_count()} cores, load {os.getloadavg()}; pool {len(pool)} "
            f"inspectors ({POOL_RELATED} holding a role at an enterprise), {PER_TARGET} a "
            f"target, default ratios, seed {PLAN_SEED}, on {ON}",
            flush=True,
        )
        async with (
            hub_server(settings, port) as hub_pid,
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"authorization": f"Bearer {token}"},
                timeout=3600,
            ) as http,
        ):
            pids = {"hub": hub_pid, "neo4j": neo4j_pid(settings), "bench": os.getpid()}
            print("uncounted first round (plans the statements, warms the caches):")
            warm, _, _ = await _rounds(store, http, pool, 1, pids)
            made += warm
            plans, floors, drawn = await _rounds(store, http, pool, max(args.rounds, 2), pids)
            made += plans
        stored = await _check(store, plans, drawn, pool)
        phases, phased = await _phases(store, pool)
        made.append({"id": phased})
        print(f"the plan's parts, one transaction each: {phases}")
        plan = plans[0]
        tiers = ", ".join(
            f"{t['tier']} {t['drawn']}/{t['population']} ({t['ratio']:.0%})" for t in plan["tiers"]
        )
        assignments = sum(len(row[3]) for row in stored)
        used = {i for row in stored for i in row[3]}
        print(f"targets drawn per tier (drawn/population): {tiers}")
        print(
            f"inspectors assigned: {assignments} assignments, {len(used)} of {len(pool)} "
            f"inspectors used; shortfalls {plan['shortfalls']}"
        )
        seconds = statistics.median(p["seconds"] for p in plans)
        hub_cpu = statistics.median(p["cpu"]["hub"] for p in plans)
        neo4j_cpu = statistics.median(p["cpu"]["neo4j"] for p in plans)
        floor = statistics.median(floors)
        print(
            f"plan, median of {len(plans)}: {seconds:.2f} s wall, hub CPU {hub_cpu:.2f} s, "
            f"Neo4j CPU {neo4j_cpu:.2f} s; floor {floor:.2f} s"
        )
        print(f"ratio plan / floor: {seconds / floor:.2f}")
        return 0
    finally:
        if made:
            await store.write(sampling_samples.drop, [p["id"] for p in made])
        await driver.close()


@register("sampling")
def bench_sampling(args: argparse.Namespace, settings: Settings) -> int:
    bench_instance(settings)
    return asyncio.run(_bench(args, settings))
