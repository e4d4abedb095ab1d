"""Shared benchmark plumbing: the "bench" instance, wiping it, CPU time, timing percentiles."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import socket
import statistics
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import BinaryIO

import httpx

from hub.migrate import migrate
from hub.neo4j_local import EmbeddedNeo4j, connection
from hub.settings import Settings
from hub.store import Store, open_driver


def bench_instance(settings: Settings) -> None:
    """Start the embedded "bench" instance unless NEO4J_URI points elsewhere."""
    if settings.neo4j_uri is None:
        local = EmbeddedNeo4j(settings, "bench")
        if not local.installed:
            local.install()
        local.start()


def neo4j_pid(settings: Settings) -> int | None:
    """The embedded bench instance's process (None with NEO4J_URI: not on this machine)."""
    return None if settings.neo4j_uri is not None else EmbeddedNeo4j(settings, "bench").pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
COUNT = "MATCH (n) RETURN count(n) AS n"
ERASE_ABOVE = 200_000  # nodes


def wipe_bench(settings: Settings) -> None:
    """Empty the bench database and migrate it. Refuses anything but the embedded bench."""
    if settings.neo4j_uri is not None:
        raise SystemExit("benchmarks wipe their database: they only run on the embedded bench")

    async def nodes() -> int:
        driver = open_driver(settings, "bench")
        async with driver.session() as session:
            record = await (await session.run(COUNT)).single()
        await driver.close()
        return int(record["n"]) if record else 0

    async def run(wipe: bool) -> None:
        bench_driver = open_driver(settings, "bench")
        if wipe:
            async with bench_driver.session() as session:
                await (await session.run(WIPE)).consume()
        await migrate(Store(bench_driver, settings))
        await bench_driver.close()

    # A large graph (a 100,000-enterprise bench graph took over ten minutes to delete node by
    # node on the loaded machine) is erased with the instance stopped; a small one is deleted
    # in place, so that rounds compared with each other all run on a warm server.
    if asyncio.run(nodes()) > ERASE_ABOVE:
        local = EmbeddedNeo4j(settings, "bench")
        local.erase()
        local.start()
        asyncio.run(run(wipe=False))
    else:
        asyncio.run(run(wipe=True))


@contextlib.asynccontextmanager
async def hub_server(
    settings: Settings,
    port: int,
    checkout: Path | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> AsyncIterator[int]:
    """`credit-hub serve` in a child process against the bench instance; yields its pid once
    /readyz answers (after the hub's warm-up). ``checkout``: run the hub from another working
    tree (bench/compare_hubs.py), else from this one. ``log``: the file its log (the access
    log included) is written to, else it is dropped. ``env``: settings of the hub."""
    conn = connection(settings, "bench")
    environment = dict(
        os.environ,
        NEO4J_URI=conn.uri,
        NEO4J_PASSWORD=conn.password,
        CREDITHUB_PORT=str(port),
        CREDITHUB_RATE_LIMIT_PER_SECOND="0",
        CREDITHUB_ENVIRONMENT="production",
        CREDITHUB_WORKERS="1",
    )
    if checkout is not None:
        environment["PYTHONPATH"] = str(checkout)
    environment.update(env or {})
    output = _log_file(log) if log is not None else subprocess.DEVNULL
    try:
        server = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "hub.cli",
            "serve",
            env=environment,
            cwd=checkout,
            stdout=output,
            stderr=output,
        )
    except BaseException:
        if log is not None:
            output.close()  # type: ignore[union-attr]
        raise
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            for _ in range(300):
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.3)
            else:
                raise SystemExit(f"the hub on port {port} did not become ready in 90 s")
        yield server.pid
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)
        if log is not None:
            output.close()  # type: ignore[union-attr]


def _log_file(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)  # bench-data/ is git-ignored
    return path.open("wb")


def free_port() -> int:
    """A loopback port nothing listens on now (for a hub the bench starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux /proc), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def summary(samples: Sequence[float]) -> str:
    """p50/p99/mean in milliseconds."""
    ms = [s * 1000 for s in samples]
    return (
        f"n={len(ms)} p50={percentile(ms, 0.5):.1f} ms p99={percentile(ms, 0.99):.1f} ms "
        f"mean={statistics.fmean(ms):.1f} ms"
    )
