"""Benchmarks (`credit-hub bench ...`); figures go to docs/benchmarks.md."""

from __future__ import annotations

import argparse

from hub.settings import Settings


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    from hub.bench import registry

    return registry.run(args, settings)
