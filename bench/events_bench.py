"""`credit-hub bench events`: what the event log costs a bulk import, and how fast it delivers.

On the embedded "bench" instance (wiped), a small generated upload — ``--enterprises``
enterprises (default here 2,000 when the command's 100,000 default is given), each with its
legal representative, half of them listed BLACK (each listing propagates to the legal
representative) and every one graded — is imported as one upload, in rounds that alternate:

* ``plain``: the product's import with the event log taken out (in a child process the event
  fragments of hub/store/events.py are emptied and the adapter's ``seal`` does nothing before
  any statement is built), the floor;
* ``nowarn``: the import with the event log but without the early-warning step
  (hub/store/warnings.py: no penalty marks, no lookup of what a change reached);
* ``events``: the product's import as it ships.

The upload also ties each legal representative to the next enterprise as a director and gives
every fourth enterprise a recent penalty, so the early-warning step has ties to walk (each
listing flags its two neighbours) and penalties to count.

Each round empties the database first and runs in its own child process
(bench/events_round.py), all on one Neo4j. Rounds of the three modes run uncounted until
``--warmup`` seconds (default 60) have passed and at least six have run, so that the statements
are planned and the JVM's compiler has done its work before anything is counted (the Neo4j CPU
of a fresh instance's rounds kept falling for three rounds and more). Then ``--rounds`` pairs: a
``plain`` and a ``nowarn`` round next to each other, the order swapped every other pair, every
second pair (and the last) followed by one ``events`` round. The events rounds read the whole
log through the pull feed (``events`` in process) and through the subscription over a real
WebSocket on loopback, and say how many per second each delivered. Printed last: the event
log's own cost, the median over the pairs of nowarn / plain import time (early warning is a
feature of its own, its ratio printed before); the goal is at most 1.10. A pair's two rounds
run within seconds of each other, so their ratio is not moved by the load of the shared machine
drifting over the run, which moves the medians of each mode (printed too, with the paired
ratios in order and the CPU both processes spent).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.cypher import bench_graph
from bench.registry import register
from bench.support import bench_instance, neo4j_pid, wipe_bench
from hub.migrate import reload_reference_data
from hub.settings import Settings
from hub.store import Store, open_driver

DEFAULT_ENTERPRISES = 2000
WRITERS, EACH = 8, 20  # as bench/events_round.py


async def _empty(settings: Settings) -> None:
    """Delete every node of the bench instance and load the reference data again (departments,
    measures), keeping its constraints and its plan cache."""
    store = Store(open_driver(settings, "bench"), settings)
    await bench_graph.wipe(store)
    await reload_reference_data(store)
    await store.driver.close()


WARMUP_SECONDS = 60.0  # rounds run and not counted before measuring, for at least this long
WARMUP_ROUNDS = 6  # and at least this many (two of each mode)


def _round(settings: Settings, mode: str, enterprises: int, pid: int | None) -> dict[str, Any]:
    """One round in a child process (bench/events_round.py) on the emptied database."""
    asyncio.run(_empty(settings))
    done = subprocess.run(  # noqa: S603 - this interpreter, the round's module
        [
            sys.executable,
            "-m",
            "bench.events_round",
            mode,
            str(enterprises),
            str(pid) if pid else "-",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"round {mode} failed:\n{done.stderr[-4000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _show(index: int, label: str, found: dict[str, Any]) -> None:
    print(
        f"round {index} {label:14}: {found['lines']} lines in {found['seconds']:.2f} s, "
        f"{found['events']} events, Neo4j CPU {found['neo4j_cpu']:.2f} s, "
        f"hub CPU {found['hub_cpu']:.2f} s; "
        f"{WRITERS} x {EACH} concurrent listSubject in {found['concurrent']:.2f} s",
        flush=True,
    )


@register("events")
def bench_events(args: argparse.Namespace, settings: Settings) -> int:
    enterprises = args.enterprises if args.enterprises != 100_000 else DEFAULT_ENTERPRISES
    warmup = args.warmup if args.warmup is not None else WARMUP_SECONDS
    pairs = max(args.rounds, 1)
    bench_instance(settings)
    rounds: dict[str, list[dict[str, Any]]] = {"plain": [], "nowarn": [], "events": []}
    # One Neo4j for every round, emptied in place between them: the rounds measure imports
    # with the statements planned and cached and the JVM's compiler done (a steady server),
    # not a server's cold start. Rounds of the three modes run uncounted until ``warmup``
    # seconds have passed and at least WARMUP_ROUNDS have run (the JIT's work is counted in
    # rounds, not seconds: on a loaded machine a minute is two rounds).
    wipe_bench(settings)  # stops, erases, starts and migrates the bench instance, once
    pid = neo4j_pid(settings)
    index, began = 0, time.monotonic()
    while index < WARMUP_ROUNDS or time.monotonic() - began < warmup:
        mode = ("plain", "nowarn", "events")[index % 3]
        _show(index, f"warm-up {mode}", _round(settings, mode, enterprises, pid))
        index += 1
    # Then pairs of adjacent rounds without and with the event log (early warning off), the
    # order swapped every other pair so that neither mode always runs first, every second
    # pair (and the last) followed by one round as shipped (early warning, deliveries).
    for pair in range(pairs):
        order = ["plain", "nowarn"] if pair % 2 == 0 else ["nowarn", "plain"]
        if pair % 2 == 1 or pair == pairs - 1:
            order.append("events")
        for mode in order:
            found = _round(settings, mode, enterprises, pid)
            rounds[mode].append(found)
            _show(index, mode, found)
            index += 1
    plain = statistics.median(r["seconds"] for r in rounds["plain"])
    logged = statistics.median(r["seconds"] for r in rounds["events"])
    events = rounds["events"][-1]["events"]
    fastest = {mode: min(r["seconds"] for r in found) for mode, found in rounds.items()}
    print(f"import without the event log: median {plain:.2f} s, fastest {fastest['plain']:.2f} s")
    print(
        f"import with the event log:    median {logged:.2f} s, fastest {fastest['events']:.2f} s;"
        f" {events} events written, {events / logged:.0f} events/s of import"
    )
    print(f"ratio of the fastest rounds: {fastest['events'] / fastest['plain']:.3f}")
    both = {m: statistics.median(r["concurrent"] for r in found) for m, found in rounds.items()}
    print(
        f"{WRITERS} callers x {EACH} listSubject at once, median: {both['plain']:.2f} s without, "
        f"{both['events']:.2f} s with the event log (its counter lock); "
        f"ratio {both['events'] / both['plain']:.3f}"
    )
    cpu = {m: statistics.median(r["neo4j_cpu"] for r in found) for m, found in rounds.items()}
    if cpu["plain"] > 0:
        print(
            f"Neo4j CPU per import, median: {cpu['plain']:.2f} s without, {cpu['events']:.2f} s "
            f"with the event log; ratio {cpu['events'] / cpu['plain']:.3f}"
        )
    last = rounds["events"][-1]
    print(f"pull feed (events, 1000 a page): {last['pulled']} events, {last['pull_per_s']:.0f}/s")
    print(
        f"subscription (APPROVAL key, loopback WebSocket): {last['pushed']} events, "
        f"{last['push_per_s']:.0f}/s"
    )
    unwarned = statistics.median(r["seconds"] for r in rounds["nowarn"])
    print(
        f"early warning: import median {unwarned:.2f} s without the step, {logged:.2f} s with "
        f"it; {rounds['events'][-1]['warnings']} warnings; Neo4j CPU {cpu['nowarn']:.2f} s "
        f"without, {cpu['events']:.2f} s with"
    )
    print(f"ratio with/without early warning (medians): {logged / unwarned:.3f}")
    print(f"ratio event log and early warning / neither (medians): {logged / plain:.3f}")
    # The medians of each mode move with the machine's load; a pair's two rounds run next to
    # each other, so the ratio within a pair cancels the drift: its median over the pairs is
    # the figure (printed last), with the same median for the CPU both processes spent.
    paired = [
        n["seconds"] / p["seconds"] for n, p in zip(rounds["nowarn"], rounds["plain"], strict=True)
    ]
    print(
        "paired ratios with/without the event log (early warning off), in order: "
        + ", ".join(f"{r:.3f}" for r in paired)
    )
    print(
        f"ratio with/without the event log, early warning off in both (medians of each mode): "
        f"{unwarned / plain:.3f}"
    )
    if cpu["plain"] > 0:
        work = [
            (n["neo4j_cpu"] + n["hub_cpu"]) / (p["neo4j_cpu"] + p["hub_cpu"])
            for n, p in zip(rounds["nowarn"], rounds["plain"], strict=True)
        ]
        print(
            f"CPU per import (Neo4j + hub) with/without the event log, median of the paired "
            f"rounds: {statistics.median(work):.3f}"
        )
    # The goal is the event log's own cost: early warning is a feature of its own (above).
    print(
        f"ratio with/without the event log, early warning off in both (median of {len(paired)} "
        f"paired rounds): {statistics.median(paired):.3f} (goal <= 1.10)"
    )
    return 0
