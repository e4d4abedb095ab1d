"""One round of `credit-hub bench events` (bench/events_bench.py), in a child process.

``python -m bench.events_round MODE ENTERPRISES NEO4J_PID``: MODE ``plain`` takes the event log
(and the early-warning step with it) out before any module that builds Cypher is imported (so
only the standard library is imported at the top of this module), ``nowarn`` takes out only the
early-warning step, ``events`` runs the product as it ships and then measures delivery.
Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from typing import Any


def _lines(enterprises: int) -> list[bytes]:
    import orjson

    from hub.identifiers import make_id_number, make_uscc

    out: list[dict[str, Any]] = []
    for n in range(enterprises):
        uscc = make_uscc("9", "1", "451031", f"EB{n:07d}")
        rep = make_id_number("451031", dt.date(1960, 1, 1 + n % 28), n % 999 + 1)
        out += [
            {"kind": "enterprise", "uscc": uscc, "name": f"隆林事件基准{n}号有限公司"},
            {"kind": "person", "idNumber": rep, "name": f"法人{n}"},
            {
                "kind": "role",
                "idNumber": rep,
                "uscc": uscc,
                "role": "LEGAL_REPRESENTATIVE",
                "from": "2015-01-01",
            },
            {
                "kind": "evaluation",
                "subject": {"uscc": uscc},
                "grade": "ABCD"[n % 4],
                "evaluatedOn": "2025-01-01",
                "source": "NDRC",
            },
        ]
        # Ties for the early-warning step to walk: the legal representative is also a
        # director of the next enterprise (so each listing flags its two neighbours), and
        # every fourth enterprise has a recent penalty (below the threshold: read, no warning).
        out.append(
            {
                "kind": "role",
                "idNumber": rep,
                "uscc": make_uscc("9", "1", "451031", f"EB{(n + 1) % enterprises:07d}"),
                "role": "DIRECTOR",
                "from": "2015-01-01",
            }
        )
        if n % 4 == 0:
            out.append(
                {
                    "kind": "action",
                    "id": f"AMR-EV-P{n}",
                    "subject": {"uscc": uscc},
                    "type": "PENALTY",
                    "severity": "GENERAL",
                    "department": "AMR",
                    "decisionDate": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
                    "title": "行政处罚决定书",
                }
            )
        if n % 2 == 0:
            out.append(
                {
                    "kind": "listing",
                    "id": f"ECO-EV-{n}",
                    "subject": {"uscc": uscc},
                    "list": "BLACK",
                    "domain": "ENVIRONMENT",
                    "department": "ECOENV",
                    "basis": "《环境保护法》第六十三条",
                    "effectiveFrom": "2024-03-01",
                }
            )
    return [orjson.dumps(line) for line in out]


def _without_event_log() -> None:
    """Empty the event fragments and the seal before any statement is built (child only).
    ``subject_event`` too: before 2026-12-08 it was left in, so the upload's 500 interview
    orders still wrote their events in ``plain`` rounds, as pending nodes that were committed
    unnumbered (the seal did nothing) — ``plain`` was not quite the floor."""
    from hub.store import adapter, events

    def nothing(*args: Any, **kwargs: Any) -> str:
        return ""

    async def no_seal(tx: Any, events: Any = None) -> None:
        return None

    def no_map(*args: Any, **kwargs: Any) -> str:
        return "null"  # a returned event: none (``note`` skips nulls)

    def no_maps(*args: Any, **kwargs: Any) -> str:
        return "[]"

    def finish(*args: Any, **kwargs: Any) -> str:
        # subject_event ends a unit subquery (and record_event calls it): nothing to write
        return "\nFINISH\n"

    _without_warnings()
    events.listing_event = nothing
    events.derived_ended = nothing
    events.listing_event_map = no_map
    events.derived_event_map = no_map
    events.evaluation_event_map = no_map
    events.subject_event_map = no_map  # the upload's interview orders (hub/store/rectifications.py)
    events.derived_ended_maps = no_maps
    events.subject_event = finish  # the workflows' (the import's interview orders return theirs)
    setattr(adapter, "seal", no_seal)  # noqa: B010 - the adapter's import of it, by name


def _without_warnings() -> None:
    """Take the early-warning step out (hub/store/warnings.py): no penalty mark in the
    importer's statements, and the adapter's ``warn`` does nothing (child only)."""
    from hub.store import adapter, warnings

    async def no_warnings(*args: Any, **kwargs: Any) -> int:
        return 0

    warnings.PENALTY_MARK = ""
    setattr(adapter, "warn", no_warnings)  # noqa: B010 - the adapter's import of it, by name


async def _deliveries(settings: Any, total: int) -> dict[str, float]:
    """Events per second through the pull feed (in process) and the subscription (loopback)."""
    import orjson
    import uvicorn
    import websockets

    from graphql_engine.build import build_schema
    from hub.app import create_app
    from hub.auth import Actor, Role
    from hub.keys import create_key
    from hub.store import Store, open_driver
    from resolvers.context import make_context

    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    schema = build_schema(settings)
    actor = Actor(Role.APPROVAL, "bench-feed")
    query = (
        "query ($after: Int!) { events(after: $after, first: 1000) "
        "{ last hasMore events { seq type subjectKey } } }"
    )
    began, after, pulled = time.perf_counter(), 0, 0
    while True:
        context = make_context(store, settings, actor, "bench")
        result = await schema.execute(query, {"after": after}, context_value=context)
        if result.errors or result.data is None:
            raise SystemExit(f"events failed: {result.errors}")
        page = result.data["events"]
        pulled += len(page["events"])
        after = page["last"]
        if not page["hasMore"]:
            break
    pull = time.perf_counter() - began
    _, token = await create_key(store, Role.APPROVAL, None, "bench feed")
    await driver.close()

    app = create_app(settings, "bench")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    for _ in range(400):  # up to 20 s
        if server.started:
            break
        await asyncio.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    socket = await websockets.connect(
        f"ws://127.0.0.1:{port}/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
    )
    init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
    await socket.send(orjson.dumps(init).decode())
    await socket.recv()
    began = time.perf_counter()
    subscribe = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": "subscription { events(after: 0) { seq type subjectKey } }"},
    }
    await socket.send(orjson.dumps(subscribe).decode())
    pushed = 0
    while pushed < total:
        message = orjson.loads(await asyncio.wait_for(socket.recv(), 30.0))
        if message["type"] != "next":
            raise SystemExit(f"subscription ended: {message}")
        pushed += 1
    push = time.perf_counter() - began
    await socket.close()
    server.should_exit = True
    await serving
    return {
        "pulled": pulled,
        "pull_per_s": pulled / pull,
        "pushed": pushed,
        "push_per_s": pushed / push,
    }


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of the Neo4j process so far (Linux /proc); 0 without its pid."""
    if pid is None:
        return 0.0
    from bench.support import cpu_seconds

    return cpu_seconds(pid)


WRITERS = 8  # concurrent listSubject callers
EACH = 20  # mutations each


async def _concurrent_listings(store: Any, settings: Any, enterprises: int) -> float:
    """Seconds for WRITERS callers making EACH listSubject mutations at once (each one a
    transaction that writes events and so takes the counter's lock): the contention."""
    from graphql_engine.build import build_schema
    from hub.auth import Actor, Role
    from hub.identifiers import make_uscc
    from resolvers.context import make_context

    schema = build_schema(settings)
    actor = Actor(Role.DEPARTMENT, "bench-eco", "ECOENV")
    mutation = "mutation ($input: ListingInput!) { listSubject(input: $input) { id } }"

    async def writer(w: int) -> None:
        for i in range(EACH):
            n = (2 * (w * EACH + i) + 1) % enterprises  # an odd one: not listed by the upload
            listing = {
                "id": f"ECO-CC-{w}-{i}",
                "subject": {"uscc": make_uscc("9", "1", "451031", f"EB{n:07d}")},
                "list": "BLACK",
                "domain": "ENVIRONMENT",
                "basis": "《环境保护法》第六十三条",
                "effectiveFrom": "2024-03-01",
            }
            context = make_context(store, settings, actor, "bench")
            result = await schema.execute(mutation, {"input": listing}, context_value=context)
            if result.errors:
                raise SystemExit(f"listSubject failed: {result.errors}")

    began = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(WRITERS)))
    return time.perf_counter() - began


def child(mode: str, enterprises: int, neo4j: int | None) -> dict[str, Any]:
    """One round in this (child) process: the import, timed; for ``events`` the deliveries."""
    if mode == "plain":
        _without_event_log()
    elif mode == "nowarn":
        _without_warnings()
    from bench.cypher import bench_graph
    from hub.auth import SYSTEM
    from hub.importer.runner import run_import
    from hub.settings import load_settings
    from hub.store import Store, open_driver
    from hub.store.events import last_number

    settings = load_settings()

    lines = _lines(enterprises)

    async def run() -> dict[str, Any]:
        driver = open_driver(settings, "bench")
        store = Store(driver, settings)
        began, cpu, own = time.perf_counter(), _cpu_seconds(neo4j), time.process_time()
        report = await run_import(store, lines, actor=SYSTEM, department="SYSTEM")
        seconds = time.perf_counter() - began
        neo4j_cpu = _cpu_seconds(neo4j) - cpu
        hub_cpu = time.process_time() - own  # this process: parsing, rows, the driver
        concurrent = await _concurrent_listings(store, settings, enterprises)
        written = await store.read(last_number)  # the database was empty: the count
        warned = await store.read(bench_graph.warning_count)
        await driver.close()
        if not report.committed or report.rejected:
            raise SystemExit(f"the upload failed: {report.as_dict()}")
        found: dict[str, Any] = {
            "mode": mode,
            "lines": len(lines),
            "seconds": seconds,
            "neo4j_cpu": neo4j_cpu,
            "hub_cpu": hub_cpu,
            "concurrent": concurrent,
            "events": written,
            "warnings": warned,
        }
        if mode == "events":
            # The feed's key (APPROVAL) reads every event but the early warnings.
            found |= await _deliveries(settings, found["events"] - found["warnings"])
        return found

    return asyncio.run(run())


if __name__ == "__main__":
    pid = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    print(json.dumps(child(sys.argv[1], int(sys.argv[2]), pid)))
