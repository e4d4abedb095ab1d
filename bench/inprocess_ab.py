"""Two versions of the hub, each driven in its own process (ASGI calls, no uvicorn, no HTTP
client beside it): the process's CPU per check and Neo4j's, in alternating rounds.

`bench/compare_hubs.py` measures the served hub, its HTTP client sharing the two cores; this
one leaves out uvicorn and the client, so what differs between the two versions is their own
Python (the app, the engine, the service, the driver decoding what the statements return) and
the statements' cost in Neo4j. With ``--profile`` each round also runs under cProfile and the
functions whose own time per check differs most between the versions are printed.

    git worktree add --detach /tmp/before ce433eb
    .venv/bin/python -m bench.inprocess_ab --b /tmp/before -c 1 --rounds 6 --checks 400
    .venv/bin/python -m bench.inprocess_ab --b /tmp/before --profile --rounds 2

A checkout older than the move of the tools (ce433eb) is driven through `hub/bench/`.
Needs the bench instance with the check graph (`make bench-check` loads it). Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent


def _tools(name: str) -> Any:
    """``bench.<name>`` of the checkout on the path, or ``hub.bench.<name>`` in an older one."""
    try:
        return importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError:
        return importlib.import_module(f"hub.bench.{name}")


def _count_statements() -> dict[str, int]:
    """Counts the statements the driver sends, by their first words (auto-commit and in
    transactions alike)."""
    from neo4j import AsyncSession
    from neo4j._async.work.transaction import AsyncTransactionBase

    sent: dict[str, int] = {}

    def counted(run: Any) -> Any:
        async def counting(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            words = " ".join(str(query).split()[:4])[:60]
            sent[words] = sent.get(words, 0) + 1
            return await run(self, query, *args, **kwargs)

        return counting

    AsyncSession.run = counted(AsyncSession.run)  # type: ignore[method-assign]
    AsyncTransactionBase.run = counted(AsyncTransactionBase.run)  # type: ignore[method-assign]
    return sent


async def _child(checks: int, concurrency: int, seed: int, profile: str | None) -> None:
    sent = _count_statements()
    check_bench = _tools("check_bench")
    support = _tools("support")
    inprocess = _tools("inprocess")
    java = int(os.environ.get("BENCH_NEO4J_PID") or 0)
    async with inprocess.app_checks() as (check, subjects):
        await check_bench._drive(check, check_bench._requests(subjects, 300, 1), 4)  # warm-up
        requests = check_bench._requests(subjects, checks, seed)
        # CPU time, not wall: on a loaded machine a send to Neo4j can wait for the core.
        profiler = cProfile.Profile(time.process_time) if profile else None
        collected = [0.0, 0.0]  # CPU seconds in the garbage collector, collections

        def collecting(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                collected[0] -= time.process_time()
            else:
                collected[0] += time.process_time()
                collected[1] += 1

        gc.callbacks.append(collecting)
        sent.clear()
        j0, c0 = support.cpu_seconds(java) if java else 0.0, time.process_time()
        if profiler is not None:
            profiler.enable()
        _, wall, errors = await check_bench._drive(check, requests, concurrency)
        hub_ms = 1000 * (time.process_time() - c0) / checks
        gc.callbacks.remove(collecting)
        neo_ms = 1000 * (support.cpu_seconds(java) - j0) / checks if java else 0.0
        if profiler is not None and profile:
            profiler.disable()
            profiler.dump_stats(profile)
    gc_ms = 1000 * collected[0] / checks
    print(
        json.dumps(
            {
                "hub": hub_ms,
                "neo4j": neo_ms,
                "gc": gc_ms,
                "collections": collected[1],
                "statements": {k: v / checks for k, v in sent.items()},
                "rate": checks / wall,
                "errors": errors,
            }
        )
    )


def _round(
    checkout: Path, args: argparse.Namespace, seed: int, profile: str | None, bench: dict[str, str]
) -> Any:
    env = dict(os.environ, PYTHONPATH=str(checkout), **bench)
    command = [
        sys.executable, str(Path(__file__).resolve()), "--child",
        "--checks", str(args.checks), "-c", str(args.c), "--seed", str(seed),
    ]  # fmt: skip
    if profile:
        command += ["--profile-to", profile]
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        command, cwd=checkout, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _own_times(path: str, checks: int) -> tuple[dict[str, float], float, float]:
    """(ms of own CPU time per check of each function (file:function), function calls per
    check, turns of the event loop per check) in a cProfile dump. The two counts do not move
    with the machine's load."""
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    calls = turns = 0
    for (file, _line, function), (_cc, count, own, _cum, _callers) in stats.items():
        parts = Path(file).parts
        short = "/".join(parts[-2:]) if len(parts) > 1 else file
        key = f"{short}:{function}"
        found[key] = found.get(key, 0.0) + 1000 * own / checks
        calls += count
        if key == "asyncio/base_events.py:_run_once":
            turns += count
    return found, calls / checks, turns / checks


def _bench_instance() -> dict[str, str]:
    """The bench instance (started here if need be) as both versions reach it: its URI and
    password given to the child, so that an older checkout needs no Neo4j of its own."""
    from bench.support import bench_instance, neo4j_pid
    from hub.neo4j_local import connection
    from hub.settings import Settings

    settings = Settings()
    bench_instance(settings)
    conn = connection(settings, "bench")
    pid = neo4j_pid(settings)
    return {
        "NEO4J_URI": conn.uri,
        "NEO4J_PASSWORD": conn.password,
        "BENCH_NEO4J_PID": str(pid or ""),
    }


def main(args: argparse.Namespace) -> None:
    bench = _bench_instance()
    trees = {"A": HERE, "B": Path(args.b).resolve()}
    hub: dict[str, list[float]] = {"A": [], "B": []}
    neo: dict[str, list[float]] = {"A": [], "B": []}
    own: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    counts: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    folder = tempfile.mkdtemp()
    for round_ in range(args.rounds):
        for name in "AB" if round_ % 2 == 0 else "BA":
            profile = f"{folder}/{name}{round_}.prof" if args.profile else None
            result = _round(trees[name], args, 100 + round_, profile, bench)
            if result["errors"]:
                raise SystemExit(f"hub {name}: {result['errors']} failed checks")
            hub[name].append(result["hub"])
            neo[name].append(result["neo4j"])
            if profile:
                times, calls, turns = _own_times(profile, args.checks)
                own[name].append(times)
                counts[name].append((calls, turns))
            print(
                f"round {round_} {name}: hub {result['hub']:.3f} ms, Neo4j"
                f" {result['neo4j']:.3f} ms per check (garbage collector {result['gc']:.3f} ms,"
                f" {result['collections']:.0f} collections), {result['rate']:.0f} checks/s",
                flush=True,
            )
            if args.statements:
                for words, per_check in sorted(result["statements"].items()):
                    print(f"    {per_check:.3f} per check: {words}")
    if args.profile:
        print("own time per check under cProfile, largest differences A - B (ms):")
        keys = set().union(*own["A"], *own["B"])
        median = {
            n: {k: statistics.median(d.get(k, 0.0) for d in own[n]) for k in keys} for n in "AB"
        }
        ranked = sorted(keys, key=lambda k: abs(median["A"][k] - median["B"][k]), reverse=True)
        for key in ranked[: args.top]:
            a, b = median["A"][key], median["B"][key]
            print(f"{a - b:+8.4f}  A {a:.4f}  B {b:.4f}  {key}")
        print(
            f"total own time A {sum(median['A'].values()):.3f}, B {sum(median['B'].values()):.3f}"
        )
        for name in "AB":
            calls, turns = counts[name][0]
            print(f"{name}: {calls:.0f} function calls, {turns:.1f} event-loop turns per check")
    print(f"{args.rounds} alternating rounds of {args.checks} checks at concurrency {args.c}")
    for name in "AB":
        print(
            f"{name} ({trees[name]}): hub CPU per check median {statistics.median(hub[name]):.3f}"
            f" ms, Neo4j {statistics.median(neo[name]):.3f} ms"
        )
    ratios = [a / b for a, b in zip(hub["A"], hub["B"], strict=True)]
    print(f"A/B hub CPU per check in process, median of rounds {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--b", default=str(HERE), help="checkout of hub B (default: this one)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--checks", type=int, default=400, help="checks per hub per round")
    parser.add_argument("-c", type=int, default=1, help="concurrency")
    parser.add_argument("--profile", action="store_true", help="cProfile every round")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--statements", action="store_true", help="statements sent per check")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=100, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        sys.path.remove(str(Path(__file__).resolve().parent))  # this folder is not a package root
        asyncio.run(_child(arguments.checks, arguments.c, arguments.seed, arguments.profile_to))
    else:
        main(arguments)
