"""Where the event log's cost lies in the import of `credit-hub bench events`, statement by statement.

``python -m bench.events_profile [--enterprises 500] [--plans 3]`` (on the embedded bench
instance, which it empties): the events bench's upload (bench/events_round.py) imported once
without the event log (``plain``) and once with it, early warning off (``nowarn``), each in a
child process with every statement run under ``PROFILE``; printed per statement (its first
lines) the database hits of both modes, then each statement's planning time in both forms —
``EXPLAIN`` after ``db.clearQueryCaches()``, the least of ``--plans`` tries — since the bench's
rounds, each on an emptied database, have the statements planned again. Database hits are the
same from run to run; planning times move with the machine's load. Printed last: the ratio of
the import's database hits with and without the log.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import subprocess
import sys
import time
from typing import Any


def _label(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    kept = [line for line in lines if line and not line.startswith("//")]
    return " | ".join(kept[:3])[:110]


def _hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(_hits(c) for c in plan.get("children", []))


def child(mode: str, enterprises: int) -> dict[str, Any]:
    """One import with every statement profiled: {label: [runs, db hits]}, {label: text}."""
    from bench import events_round

    if mode == "plain":
        events_round._without_event_log()
    else:
        events_round._without_warnings()
    from neo4j import Query
    from neo4j._async.work.transaction import AsyncTransactionBase

    from hub.auth import SYSTEM
    from hub.importer.runner import run_import
    from hub.settings import load_settings
    from hub.store import Store, open_driver

    pending: list[tuple[str, Any]] = []
    hits: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    texts: dict[str, str] = {}
    run, commit = AsyncTransactionBase.run, AsyncTransactionBase._commit

    async def profiled(self: Any, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        text = query.text if isinstance(query, Query) else str(query)
        result = await run(self, "PROFILE " + text, parameters, **kwargs)
        pending.append((_label(text), result))
        texts[_label(text)] = text
        return result

    async def committed(self: Any) -> Any:
        while pending:
            label, result = pending.pop(0)
            profile = (await result.consume()).profile
            if profile is not None:
                hits[label][0] += 1
                hits[label][1] += _hits(profile)
        return await commit(self)  # type: ignore[no-untyped-call]

    setattr(AsyncTransactionBase, "run", profiled)  # noqa: B010 - this child process only
    setattr(AsyncTransactionBase, "_commit", committed)  # noqa: B010
    settings = load_settings()
    lines = events_round._lines(enterprises)

    async def go() -> None:
        store = Store(open_driver(settings, "bench"), settings)
        report = await run_import(store, lines, actor=SYSTEM, department="SYSTEM")
        await store.driver.close()
        if not report.committed or report.rejected:
            raise SystemExit(f"the upload failed: {report.as_dict()}")

    asyncio.run(go())
    return {"hits": dict(hits), "texts": texts}


async def _plans(settings: Any, texts: dict[str, str], tries: int) -> dict[str, float]:
    from hub.store import open_driver

    driver = open_driver(settings, "bench")
    best: dict[str, float] = {}
    async with driver.session() as session:
        for _ in range(tries):
            for label, text in texts.items():
                await (await session.run("CALL db.clearQueryCaches()")).consume()
                began = time.perf_counter()
                await (await session.run("EXPLAIN " + text)).consume()
                spent = time.perf_counter() - began
                best[label] = min(best.get(label, spent), spent)
    await driver.close()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=500)
    parser.add_argument("--plans", type=int, default=3)
    parser.add_argument("--child", choices=("plain", "nowarn"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.enterprises)))
        return 0
    from bench.events_bench import _empty
    from bench.support import bench_instance
    from hub.settings import load_settings

    settings = load_settings()
    bench_instance(settings)
    found: dict[str, dict[str, Any]] = {}
    for mode in ("plain", "nowarn"):
        asyncio.run(_empty(settings))
        done = subprocess.run(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "bench.events_profile", "--child", mode,
             "--enterprises", str(args.enterprises)],
            check=False, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{done.stderr[-4000:]}")
        found[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    plain, logged = found["plain"]["hits"], found["nowarn"]["hits"]
    print("database hits per statement (runs × statement): plain, with the event log")
    for label in sorted(set(plain) | set(logged), key=lambda k: -logged.get(k, [0, 0])[1]):
        p, n = plain.get(label, [0, 0]), logged.get(label, [0, 0])
        print(f"{p[1]:>8} {n[1]:>8}  ({n[0]}×) {label}")
    total = {mode: sum(v[1] for v in found[mode]["hits"].values()) for mode in found}
    print(f"database hits in all: {total['plain']} plain, {total['nowarn']} with the event log")
    plans = {
        mode: asyncio.run(_plans(settings, found[mode]["texts"], args.plans)) for mode in found
    }
    print(f"planning (EXPLAIN after clearing the caches, least of {args.plans}), ms:")
    for label in sorted(plans["nowarn"], key=lambda k: -plans["nowarn"][k])[:8]:
        before = plans["plain"].get(label)
        shown = f"{before * 1000:7.0f}" if before is not None else "      -"
        print(f"{shown} {plans['nowarn'][label] * 1000:7.0f}  {label}")
    spent = {mode: sum(plans[mode].values()) for mode in plans}
    print(
        f"planning every statement: {spent['plain']:.2f} s plain, {spent['nowarn']:.2f} s with "
        "the event log"
    )
    print(
        "ratio of database hits with/without the event log (the import, early warning off):"
        f" {total['nowarn'] / max(total['plain'], 1):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
