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
    "hub.bench.import_bench",
    "hub.bench.propagation_bench",
    "hub.bench.check_bench",
    "hub.bench.soak_bench",
    "hub.bench.investigate_bench",
    "hub.bench.search_bench",
    "hub.bench.shuanggongshi_bench",
    "hub.bench.documents_bench",
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
