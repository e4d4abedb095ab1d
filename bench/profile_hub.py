"""Where the served hub's CPU goes: py-spy samples `credit-hub serve` under single checks.

Starts the hub as the check benchmark does (production settings, one worker, against the bench
instance with the check graph), drives it over loopback HTTP at a given concurrency, and
records it with py-spy (blocking mode: exact stacks, at the cost of some speed). Prints the
functions with the largest share of the samples, on their own (self) and with what they call
(inclusive). docs/benchmarks-history.md#check-before-approval quotes its output.

    .venv/bin/pip install py-spy        # not a project dependency
    .venv/bin/python -m bench.profile_hub -c 8 --seconds 20
    .venv/bin/python -m bench.profile_hub --kind search
    .venv/bin/python -m bench.profile_hub --checkout /tmp/before   # another version's hub

Linux only (py-spy reads the process's memory; it may need ptrace permission).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.check_bench import _drive, subjects_and_key
from bench.rawhttp import RawClient
from bench.search_bench import workload
from bench.support import bench_instance, hub_server
from hub.settings import Settings
from hub.store import Store, open_driver

PORT = 8803


def shares(raw: str) -> tuple[int, collections.Counter[str], collections.Counter[str]]:
    """(samples, self samples per function, inclusive samples per function) of py-spy's raw
    output: one line per stack, frames separated by ';', the sample count last."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [
            frame.split(":")[0] + ")" if "(" in frame else frame for frame in stack.split(";")
        ]
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    return total, own, inclusive


def _py_spy() -> str:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    return spy


async def main(args: argparse.Namespace) -> None:
    spy = _py_spy()
    settings = Settings()
    bench_instance(settings)
    driver = open_driver(settings, "bench")
    subjects, token = await subjects_and_key(Store(driver, settings))
    await driver.close()
    query, headers, requests = workload(args.kind, subjects, token)

    out = Path(tempfile.mkdtemp()) / "stacks.txt"
    checkout = Path(args.checkout) if args.checkout else None
    answered = 0
    async with (
        hub_server(settings, PORT, checkout) as pid,
        RawClient("127.0.0.1", PORT, headers, 64) as http,
    ):

        async def ask(variables: dict[str, Any]) -> bool:
            nonlocal answered
            done = await http.graphql(query, variables)
            answered += 1
            return done

        await _drive(ask, requests(400, 1), 4)  # warm-up
        answered = 0
        record = await asyncio.create_subprocess_exec(
            spy, "record", "-p", str(pid), "-f", "raw", "-r", "100",
            "-d", str(args.seconds), "-o", str(out),
        )  # fmt: skip
        driving = asyncio.create_task(_drive(ask, requests(100_000, 5), args.c))
        await record.wait()
        driving.cancel()
        await asyncio.gather(driving, return_exceptions=True)  # before the client closes
    total, own, inclusive = shares(out.read_text())
    asked = "checks" if args.kind == "check" else "searches"
    print(
        f"{total} samples of the hub at concurrency {args.c}, {answered} {asked} answered"
        f" ({checkout or 'this checkout'})"
    )
    for title, counts in (("self", own), ("inclusive", inclusive)):
        print(f"-- {title}")
        for name, n in counts.most_common(args.top):
            # 100 samples a second: a sample is 10 ms of the hub's time
            print(f"{100 * n / total:5.1f} % {10 * n / max(answered, 1):7.3f} ms  {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", type=int, default=8, help="concurrency")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--kind", choices=["check", "search", "site-search"], default="check")
    parser.add_argument("--checkout", help="run the hub of another checkout (default: this one)")
    arguments = parser.parse_args()
    if arguments.checkout:
        arguments.checkout = str(Path(arguments.checkout).resolve())
    asyncio.run(main(arguments))
