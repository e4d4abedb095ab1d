"""`credit-hub bench event-nodes`: what one event costs Neo4j, apart from any import.

On the embedded "bench" instance (wiped and migrated first), one transaction writes N events of
a listing's shape (``LISTED``: every property ``hub/store/events.py`` ``listing_event`` gives a
source listing) with one ``UNWIND`` and numbers them, in four variants interleaved over the
rounds (the order reversed every other round), each on an emptied event log:

* ``none``: the same ``UNWIND`` writing nothing (the round trip and the parameters);
* ``node``: one ``Event`` node per event, numbered by the seal as it was before the EventBatch
  (``NODE_SEAL``: the pending label swapped for ``Event`` and ``seq`` set, under the ``seq``
  uniqueness constraint the feed's reads used);
* ``batch``: the seal as it ships (``SEAL`` of hub/store/events.py): the transaction's events
  become one ``EventBatch`` node, a list per field, and the pending nodes are deleted;
* ``not numbered``: the pending nodes written and deleted, nothing kept (what any seal starts
  from).

The Neo4j process's CPU time is read around each transaction (Linux /proc). Printed: the
median per variant, the CPU per event over ``none``, and last the ratio batch/node per event.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
from typing import Any, LiteralString

from bench.registry import register
from bench.support import bench_instance, cpu_seconds, neo4j_pid, wipe_bench
from hub.settings import Settings
from hub.store import open_driver
from hub.store.events import SEAL, SEAL_PARAMS

DEFAULT_EVENTS = 5000
DEFAULT_ROUNDS = 10

_LISTING = """type: 'LISTED', reason: null, on: date('2024-03-01'), subjectKey: row.k,
  subjectLabel: 'Enterprise', listingId: row.l, list: 'BLACK', domain: 'ENVIRONMENT',
  department: 'ECOENV', sourceId: null, public: true,
  madeAt: datetime.realtime(), batch: $batch, recordedAt: $now, sourceDepartment: $dept"""
NEW: LiteralString = (
    "UNWIND $rows AS row CREATE (:EventPending {derived: CASE WHEN row.derived THEN true END, "
    + _LISTING
    + "})"
)
NONE: LiteralString = "UNWIND $rows AS row RETURN count(row) AS n"
NODE_SEAL: LiteralString = """
MATCH (e:EventPending)
WITH e ORDER BY e.madeAt
WITH collect(e) AS pending
WHERE size(pending) > 0
MERGE (c:EventCounter {name: 'events'})
ON CREATE SET c.seq = 0
SET c._lock = true
REMOVE c._lock
WITH pending, c, c.seq AS last
UNWIND range(0, size(pending) - 1) AS i
WITH pending[i] AS e, last + 1 + i AS seq, c, last
REMOVE e:EventPending, e.madeAt
SET e:Event, e.seq = seq
WITH c, last, count(*) AS written
SET c.seq = last + written
RETURN last + 1 AS first, last + written AS last
"""
DROP_PENDING: LiteralString = "MATCH (e:EventPending) DELETE e"
# The constraint the one-node-per-event log had (graph_seed/model.toml before the EventBatch).
NODE_CONSTRAINT: LiteralString = (
    "CREATE CONSTRAINT event_seq_unique IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE"
)
EMPTY_LOG: LiteralString = (
    "MATCH (n) WHERE n:Event OR n:EventBatch OR n:EventPending OR n:EventCounter DETACH DELETE n"
)
VARIANTS: dict[str, tuple[LiteralString, LiteralString | None]] = {
    "none": (NONE, None),
    "node": (NEW, NODE_SEAL),
    "batch": (NEW, SEAL),
    "not numbered": (NEW, DROP_PENDING),
}


async def _rounds(settings: Settings, events: int, rounds: int, pid: int) -> dict[str, list[float]]:
    driver = open_driver(settings, "bench")
    rows = [
        {"k": f"91451031EB{n:07d}X", "l": f"ECO-EV-{n}", "derived": False} for n in range(events)
    ]
    params: dict[str, Any] = {
        "rows": rows,
        "batch": "b-0123456789abcdef",
        "now": dt.datetime.now(dt.UTC),
        "dept": "SYSTEM",
    }
    found: dict[str, list[float]] = {name: [] for name in VARIANTS}
    async with driver.session() as session:
        await (await session.run(NODE_CONSTRAINT)).consume()
    try:
        for index in range(rounds):
            names = list(VARIANTS) if index % 2 == 0 else list(reversed(VARIANTS))
            for name in names:
                write, seal = VARIANTS[name]

                async def work(tx: Any, write: LiteralString = write, seal: Any = seal) -> None:
                    await (await tx.run(write, params)).consume()
                    if seal is not None:
                        await (await tx.run(seal, SEAL_PARAMS if seal is SEAL else None)).consume()

                began = cpu_seconds(pid)
                async with driver.session() as session:
                    await session.execute_write(work)
                found[name].append(cpu_seconds(pid) - began)
                async with driver.session() as session:
                    await (await session.run(EMPTY_LOG)).consume()
    finally:
        await driver.close()
    return found


@register("event-nodes")
def bench_event_nodes(args: argparse.Namespace, settings: Settings) -> int:
    events = args.enterprises if args.enterprises != 100_000 else DEFAULT_EVENTS
    rounds = args.rounds if args.rounds != 2 else DEFAULT_ROUNDS
    bench_instance(settings)
    wipe_bench(settings)
    pid = neo4j_pid(settings)
    if pid is None:
        print("event-nodes reads the Neo4j process's CPU: the embedded bench instance only")
        return 2
    found = asyncio.run(_rounds(settings, events, rounds, pid))
    median = {name: statistics.median(values) for name, values in found.items()}
    for name, value in median.items():
        print(f"{name:18}: {events} events in one transaction, Neo4j CPU median {value:.3f} s")
    per = {n: (median[n] - median["none"]) / events * 1e6 for n in VARIANTS if n != "none"}
    print(
        f"Neo4j CPU per event: node {per['node']:.0f} us, batch {per['batch']:.0f} us "
        f"(pending nodes written and deleted alone: {per['not numbered']:.0f} us)"
    )
    print(f"ratio batch/node per event: {per['batch'] / per['node']:.3f}")
    return 0
