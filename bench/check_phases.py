"""Where a single check's time goes in the hub, phase by phase, one check at a time.

Drives the real app in this process (ASGI calls, no uvicorn: bench/inprocess.py) against
the bench graph at concurrency 1, with timers wrapped around a few functions of the check's
path, and prints the median of each phase (docs/benchmarks-history.md#check-before-approval):

* entry → GraphQL: the app's wrapper (request id, key, rate limit), Starlette, strawberry's view;
* GraphQL → unit: strawberry and graphql-core before the resolver's work (the document caches,
  variables, arguments), the resolver, the coalescer and the session;
* gather, decide and receipts, write: the unit (the two statements, the Python between them);
* unit → answer: back to the resolver, the answer built and completed (graphql_engine/execution.py);
* answer → last byte: strawberry's result, JSON, the response.

The statements are what the check benchmark's floor also runs; the rest is the hub's own.

    .venv/bin/python -m bench.check_phases --checks 1500

Needs the bench instance with the check graph (`make bench-check` loads it).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bench.check_bench import _drive, _requests
from bench.inprocess import app_checks
from graphql_engine.build import HubSchema
from resolvers import checks

MARKS: dict[str, float] = {}


def _timed(before: str, after: str, work: Callable[..., Any]) -> Callable[..., Any]:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        MARKS[before] = time.perf_counter()
        try:
            return await work(*args, **kwargs)
        finally:
            MARKS[after] = time.perf_counter()

    return timed


PHASES = (
    ("entry → GraphQL", "entry", "execute"),
    ("GraphQL → unit", "execute", "unit"),
    ("gather", "gather", "gathered"),
    ("decide and receipts", "gathered", "write"),
    ("write", "write", "written"),
    ("unit → answer", "unit done", "executed"),
    ("answer → last byte", "executed", "exit"),
    ("all", "entry", "exit"),
)


async def main(args: argparse.Namespace) -> None:
    # Module attributes, looked up at each call: the wrappers are what the hub calls.
    checks._check_statements = _timed("unit", "unit done", checks._check_statements)
    # The store's statements as the check service imported them.
    checks.gather = _timed("gather", "gathered", checks.gather)  # type: ignore[attr-defined]
    checks.write_receipts = _timed(  # type: ignore[attr-defined]
        "write",
        "written",
        checks.write_receipts,  # type: ignore[attr-defined]
    )
    HubSchema.execute = _timed("execute", "executed", HubSchema.execute)  # type: ignore[method-assign]
    took: dict[str, list[float]] = defaultdict(list)
    async with app_checks() as (check, subjects):
        timed_check = _timed("entry", "exit", check)
        await _drive(timed_check, _requests(subjects, 300, 1), 1)  # warm-up

        async def measured(variables: dict[str, Any]) -> bool:
            MARKS.clear()
            ok = bool(await timed_check(variables))
            for name, start, end in PHASES:
                took[name].append((MARKS[end] - MARKS[start]) * 1000)
            return ok

        _, _, errors = await _drive(measured, _requests(subjects, args.checks, 5), 1)
    if errors:
        raise SystemExit(f"{errors} checks failed")
    print(f"{args.checks} checks one at a time, in process; medians:")
    for name, _, _ in PHASES:
        print(f"  {name:22s} {statistics.median(took[name]):6.3f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=1500)
    asyncio.run(main(parser.parse_args()))
