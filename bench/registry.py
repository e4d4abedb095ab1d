"""Which benchmark runs for `credit-hub bench WHAT`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from hub.settings import Settings

BENCHES: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def register(
    name: str,
) -> Callable[
    [Callable[[argparse.Namespace, Settings], int]], Callable[[argparse.Namespace, Settings], int]
]:
    def wrap(
        fn: Callable[[argparse.Namespace, Settings], int],
    ) -> Callable[[argparse.Namespace, Settings], int]:
        BENCHES[name] = fn
        return fn

    return wrap


# Modules that register benchmarks (imported when a benchmark runs).
BENCH_MODULES = (
    "bench.import_bench",
    "bench.initial_bench",
    "bench.floor_bench",
    "bench.propagation_bench",
    "bench.check_bench",
    "bench.soak_bench",
    "bench.investigate_bench",
    "bench.search_bench",
    "bench.documents_bench",
    "bench.site_bench",
    "bench.shuanggongshi_bench",
    "bench.explorer_bench",
    "bench.events_bench",
    "bench.event_nodes_bench",
    "bench.sampling_bench",
)


def load_benches() -> None:
    for name in BENCH_MODULES:
        importlib.import_module(name)


def run(args: argparse.Namespace, settings: Settings) -> int:
    load_benches()

    bench = BENCHES.get(args.what)
    if bench is None:
        print(f"benchmark {args.what!r} is not built yet", file=sys.stderr)
        return 2
    return bench(args, settings)
