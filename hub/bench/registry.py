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


# Modules that register benchmarks when imported (one per `credit-hub bench WHAT` family).
MODULES = ("hub.bench.import_bench", "hub.bench.investigate")


def _load_modules() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # a missing dependency inside a bench module is a real error


def run(args: argparse.Namespace, settings: Settings) -> int:
    _load_modules()
    bench = BENCHES.get(args.what)
    if bench is None:
        print(f"benchmark {args.what!r} is not built yet", file=sys.stderr)
        return 2
    return bench(args, settings)
