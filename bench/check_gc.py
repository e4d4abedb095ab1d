"""The hub's garbage collections under single checks, and what each check leaves in cycles.

Drives the real app in this process (ASGI calls, no uvicorn) against the bench graph at a
given concurrency, with the hub's own GC settings (hub/runtime.py, applied by the app's
start-up), and prints (docs/benchmarks-history.md#check-before-approval):

* the collections per generation during the run: count, total and longest pause;
* the objects one check leaves in reference cycles, by type (``gc.DEBUG_SAVEALL``): what the
  collector has to find, since reference counting cannot free them.

    .venv/bin/python -m bench.check_gc --checks 6000 -c 8

Needs the bench instance with the check graph (`make bench-check` loads it).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import time
from typing import Any

from bench.check_bench import _drive, _requests
from bench.inprocess import app_checks


class Pauses:
    """gc.callbacks: the length of every collection, by generation."""

    def __init__(self) -> None:
        self.by_generation: dict[int, list[float]] = collections.defaultdict(list)
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            took = (time.perf_counter() - self._began) * 1000
            self.by_generation[info["generation"]].append(took)


async def main(args: argparse.Namespace) -> None:
    async with app_checks() as (check, subjects):
        await _drive(check, _requests(subjects, 400, 1), args.c)  # warm-up
        pauses = Pauses()
        gc.callbacks.append(pauses)
        began = time.perf_counter()
        _, _, errors = await _drive(check, _requests(subjects, args.checks, 5), args.c)
        seconds = time.perf_counter() - began
        gc.callbacks.remove(pauses)
        if errors:
            raise SystemExit(f"{errors} checks failed")
        print(f"{args.checks} checks at concurrency {args.c} in {seconds:.1f} s, in process")
        for generation in sorted(pauses.by_generation):
            took = pauses.by_generation[generation]
            print(
                f"  generation {generation}: {len(took)} collections, {sum(took):.0f} ms in all,"
                f" {sum(took) / len(took):.1f} ms on average, longest {max(took):.1f} ms"
            )
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        census = 200
        await _drive(check, _requests(subjects, census, 9), 1)
        gc.collect()
        kinds = collections.Counter(
            f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage
        )
        gc.set_debug(0)
        print(f"objects left in reference cycles per check: {len(gc.garbage) / census:.0f}")
        for kind, count in kinds.most_common(args.top):
            print(f"  {count / census:6.1f} {kind}")
        gc.garbage.clear()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=6000)
    parser.add_argument("-c", type=int, default=8, help="concurrency")
    parser.add_argument("--top", type=int, default=20, help="types to list in the census")
    asyncio.run(main(parser.parse_args()))
