"""Which benchmark runs for `credit-hub bench WHAT`."""

from __future__ import annotations

import argparse
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    from hub.bench import import_bench  # noqa: F401 - registers itself

    bench = BENCHES.get(args.what)
    if bench is None:
        print(f"benchmark {args.what!r} is not built yet", file=sys.stderr)
        return 2
    return bench(args, settings)
