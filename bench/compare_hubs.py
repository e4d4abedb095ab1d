"""Two hubs side by side on the bench graph: CPU per check and latency under the same moments.

On a shared two-core machine the same code moves by a factor of two from one run to the next
(docs/benchmarks.md), so comparing two versions run after each other says little. This starts
hub A (this checkout) and hub B (another checkout, e.g. a `git worktree` of an older commit)
against the same bench instance and drives them in alternating rounds of single checks,
reading each hub's CPU from /proc:

    git worktree add /tmp/before <commit>
    .venv/bin/python -m bench.compare_hubs --b /tmp/before --rounds 8
    .venv/bin/python -m bench.compare_hubs --env-a CREDITHUB_CHECK_TRANSACTIONS=1
    .venv/bin/python -m bench.compare_hubs --b /tmp/before --kind search -c 1 --checks 300
    .venv/bin/python -m bench.compare_hubs --a /tmp/before --b .   # the same pair, swapped

The harness favours one side: the same code as hub A and as hub B reads up to ~8 % apart
(docs/benchmarks.md), more than the differences it is asked to judge. So by default it runs the
pair twice, swapped (`--orientations 2`: A as hub A, then B as hub A), and prints last the
geometric mean of the two medians of A/B: the bias cancels, the difference stays.

Needs the bench instance with the check graph (`make bench-check` loads it). Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
from pathlib import Path
from typing import Any

from bench.check_bench import _drive, subjects_and_key
from bench.rawhttp import RawClient
from bench.search_bench import workload
from bench.support import (
    bench_instance,
    cpu_seconds,
    free_port,
    hub_server,
    neo4j_pid,
    percentile,
)
from hub.settings import Settings
from hub.store import Store, open_driver

HERE = Path(__file__).resolve().parent.parent


def _tree_cpu(pid: int) -> float:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(c)) for c in children)


def _pairs(values: list[str]) -> dict[str, str]:
    return dict(v.split("=", 1) for v in values)


async def main(args: argparse.Namespace, first: Path, other: Path) -> float:
    """One orientation: ``first`` as hub A, ``other`` as hub B; the median of A/B per round."""
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    subjects, token = await subjects_and_key(store)
    java = neo4j_pid(settings)
    ports = {"A": free_port(), "B": free_port()}
    cpu: dict[str, list[float]] = {"A": [], "B": []}
    neo: dict[str, list[float]] = {"A": [], "B": []}
    rate: dict[str, list[float]] = {"A": [], "B": []}
    latencies: dict[str, list[float]] = {"A": [], "B": []}
    query, headers, requests = workload(args.kind, subjects, token)

    try:
        async with (
            hub_server(settings, ports["A"], first, env=_pairs(args.env_a)) as pid_a,
            hub_server(settings, ports["B"], other, env=_pairs(args.env_b)) as pid_b,
            RawClient("127.0.0.1", ports["A"], headers, 64) as http_a,
            RawClient("127.0.0.1", ports["B"], headers, 64) as http_b,
        ):
            clients = {"A": http_a, "B": http_b}
            pids = {"A": pid_a, "B": pid_b}

            def worker(name: str) -> Any:
                async def check(request: dict[str, Any]) -> bool:
                    return await clients[name].graphql(query, request)

                return check

            for name in "AB":  # warm-up of both
                await _drive(worker(name), requests(400, 1), 4)
            for round_ in range(args.rounds):
                order = "AB" if round_ % 2 == 0 else "BA"
                for name in order:
                    pid = pids[name]
                    c0, j0 = _tree_cpu(pid), cpu_seconds(java) if java else 0.0
                    lat, wall, errors = await _drive(
                        worker(name), requests(args.checks, 100 + round_), args.c
                    )
                    if errors:
                        raise SystemExit(f"hub {name}: {errors} failed requests")
                    cpu[name].append(1000 * (_tree_cpu(pid) - c0) / args.checks)
                    if java:
                        neo[name].append(1000 * (cpu_seconds(java) - j0) / args.checks)
                    rate[name].append(args.checks / wall)
                    latencies[name] += [x * 1000 for x in lat]
    finally:
        await driver.close()
    unit = "checks" if args.kind == "check" else "searches"
    print(f"{args.rounds} alternating rounds of {args.checks} {unit} at concurrency {args.c}")
    for name, tree in (("A", first), ("B", other)):
        rounds = " ".join(f"{x:.2f}" for x in cpu[name])
        neo4j = f", Neo4j {statistics.median(neo[name]):.2f} ms" if neo[name] else ""
        print(
            f"{name} ({tree}): hub CPU per request median {statistics.median(cpu[name]):.2f} ms"
            f" ({rounds}){neo4j}; {statistics.median(rate[name]):.0f} {unit}/s;"
            f" p50 {percentile(latencies[name], 0.5):.1f} ms, p99"
            f" {percentile(latencies[name], 0.99):.1f} ms"
        )
    ratios = [a / b for a, b in zip(cpu["A"], cpu["B"], strict=True)]
    median = statistics.median(ratios)
    print(f"A/B hub CPU per round, median {median:.3f}")
    return median


async def both(args: argparse.Namespace, first: Path, other: Path) -> None:
    medians = [await main(args, first, other)]
    if args.orientations == 2:
        print("the same pair swapped:")
        medians.append(1 / await main(args, other, first))
    if len(medians) == 2:
        mean = math.sqrt(medians[0] * medians[1])
        print(
            f"{first} / {other} hub CPU per request, geometric mean of both orientations:"
            f" {mean:.3f} ({medians[0]:.3f} as hub A, {medians[1]:.3f} as hub B)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default=str(HERE), help="checkout of hub A (default: this one)")
    parser.add_argument("--b", default=str(HERE), help="checkout of hub B (default: this one)")
    parser.add_argument("--env-a", nargs="*", default=[], help="NAME=VALUE settings of hub A")
    parser.add_argument("--env-b", nargs="*", default=[], help="NAME=VALUE settings of hub B")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--checks", type=int, default=1500, help="requests per hub per round")
    parser.add_argument("-c", type=int, default=8, help="concurrency")
    parser.add_argument(
        "--kind",
        choices=["check", "search", "site-search"],
        default="check",
        help="what to ask (PUBLIC search)",
    )
    parser.add_argument(
        "--orientations",
        type=int,
        choices=[1, 2],
        default=2,
        help="2: run the pair swapped too and print the geometric mean (the harness's bias)",
    )
    arguments = parser.parse_args()
    asyncio.run(both(arguments, Path(arguments.a).resolve(), Path(arguments.b).resolve()))
