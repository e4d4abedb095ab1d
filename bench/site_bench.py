"""`credit-hub bench site`: the public site's pages beside the GraphQL queries that feed them.

On the check benchmark's generated county (``--reuse``: the graph already loaded), the hub in a
child process (`credit-hub serve`, one worker) over loopback HTTP as PUBLIC:

* the profile page ``GET /subjects/{uscc}`` and its document (web/public/documents/subject.graphql)
  POSTed to /graphql, the same subjects in the same order;
* the search page ``GET /search?q=`` and its document, the same words;
* page and query alternate in rounds (the machine drifts; both see the same drift), taking
  turns at going first (the first reads the round's subjects from colder caches);
* credit reports: ten one at a time (a report's own time), then issued per second (an
  APPROVAL key, not rate-limited) at concurrency 4;
* beside each line, the CPU the hub process and the bench Neo4j spent per request (from /proc:
  where the time goes; other engineers' work on the machine does not count in it).

Printed last: each page's p99 over its query's p99 (docs/benchmarks.md#public-site).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import time
import urllib.parse
from typing import Any

from bench.check_bench import _drive, _line, _prepare, subjects_and_key
from bench.rawhttp import RawClient, _response
from bench.registry import register
from bench.search_bench import WORDS
from bench.support import bench_instance, cpu_seconds, hub_server, neo4j_pid, percentile
from hub.settings import Settings
from hub.store import Store, open_driver
from web.client import document

PORT = 8768
ROUNDS = 4
SUBJECT = document("public", "subject")
SEARCH = document("public", "search")
ISSUE = """mutation ($u: String!) { issueCreditReport(subject: {uscc: $u}, purpose: BIDDING) {
  report { number } } }"""


class PageClient(RawClient):
    """RawClient with GET: the status of a page (its body read and dropped)."""

    async def __aenter__(self) -> PageClient:
        return self

    async def get(self, path: str) -> int:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n{self._head}\r\n"
        ).encode()
        async with self._slots:
            if self._idle.empty():
                reader, writer = await asyncio.open_connection(self._host, self._port)
                self._open.append(writer)
            else:
                reader, writer = self._idle.get_nowait()
            writer.write(request)
            await writer.drain()
            status, _, keep = await _response(reader)
            if keep:
                self._idle.put_nowait((reader, writer))
            else:
                writer.close()
            return status


async def _pair(
    name: str,
    page: Any,
    query: Any,
    requests: list[dict[str, Any]],
    concurrency: int,
    pids: tuple[int, int | None],
) -> tuple[float, float]:
    """Page and query alternating in rounds over the same requests; prints both (with the hub's
    and Neo4j's CPU per request), returns the p99 (ms) of each."""
    runs: dict[str, tuple[list[float], float, int]] = {"page": ([], 0.0, 0), "query": ([], 0.0, 0)}
    cpu = {"page": [0.0, 0.0], "query": [0.0, 0.0]}
    size = len(requests) // ROUNDS
    for index in range(ROUNDS):
        part = requests[index * size : (index + 1) * size]
        # Whichever runs first reads the round's subjects from colder caches: the two take
        # turns at going first.
        order = [("page", page), ("query", query)]
        for kind, worker in order if index % 2 == 0 else order[::-1]:
            before_cpu = _cpu(pids)
            latencies, wall, errors = await _drive(worker, part, concurrency)
            after_cpu = _cpu(pids)
            cpu[kind] = [cpu[kind][i] + after_cpu[i] - before_cpu[i] for i in (0, 1)]
            before = runs[kind]
            runs[kind] = (before[0] + latencies, before[1] + wall, before[2] + errors)
    for kind in ("page", "query"):
        count = max(len(runs[kind][0]), 1)
        hub, neo4j = (1000 * c / count for c in cpu[kind])
        print(
            f"{name} {kind}".ljust(14)
            + _line("", concurrency, *runs[kind])
            + f"  cpu/req hub {hub:.1f} ms, neo4j {neo4j:.1f} ms"
        )
    return (
        percentile([x * 1000 for x in runs["page"][0]], 0.99),
        percentile([x * 1000 for x in runs["query"][0]], 0.99),
    )


def _cpu(pids: tuple[int, int | None]) -> tuple[float, float]:
    """CPU seconds so far of the hub and of the bench Neo4j (0 when not on this machine)."""
    hub, neo4j = pids
    return cpu_seconds(hub), cpu_seconds(neo4j) if neo4j is not None else 0.0


async def _bench(args: argparse.Namespace, settings: Settings) -> int:
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    await _prepare(store, settings, args)
    subjects, token = await subjects_and_key(store)
    await driver.close()
    firms = [s["key"] for s in subjects if s["label"] == "Enterprise"]
    rng = random.Random(args.seed)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"dataset: {args.enterprises} enterprises (seed {args.seed}); {len(firms)} sampled")
    concurrency = 16
    profiles = [{"uscc": rng.choice(firms)} for _ in range(args.requests)]
    searches = [{"text": rng.choice(WORDS)} for _ in range(args.requests)]
    env = {
        "CREDITHUB_PUBLIC_ID_LOOKUPS_PER_MINUTE": "0",
        "CREDITHUB_PUBLIC_REPORTS_PER_MINUTE": "0",
    }
    async with (
        hub_server(settings, PORT, env=env) as hub_pid,
        PageClient("127.0.0.1", PORT, {}, 64) as http,
        RawClient("127.0.0.1", PORT, {"Authorization": f"Bearer {token}"}, 8) as keyed,
    ):

        async def profile_page(v: dict[str, Any]) -> bool:
            return await http.get(f"/subjects/{v['uscc']}") == 200

        async def profile_query(v: dict[str, Any]) -> bool:
            return await http.graphql(SUBJECT, v)

        async def search_page(v: dict[str, Any]) -> bool:
            return await http.get("/search?q=" + urllib.parse.quote(v["text"])) == 200

        async def search_query(v: dict[str, Any]) -> bool:
            return await http.graphql(SEARCH, {"text": v["text"], "after": None})

        async def report(v: dict[str, Any]) -> bool:
            return await keyed.graphql(ISSUE, {"u": v["uscc"]})

        for worker in (profile_page, profile_query):  # warm-up
            await _drive(worker, profiles[:200], 4)
        for worker in (search_page, search_query):
            await _drive(worker, searches[:100], 4)
        pids = (hub_pid, neo4j_pid(settings))
        profile = await _pair("profile", profile_page, profile_query, profiles, concurrency, pids)
        search = await _pair("search", search_page, search_query, searches, concurrency, pids)
        alone = await _drive(report, profiles[-10:], 1)  # one at a time: a report's own time
        print("credit report".ljust(14) + _line("", 1, *alone))
        began = time.perf_counter()
        latencies, wall, errors = await _drive(
            report, profiles[: min(max(args.requests // 8, 40), 100)], 4
        )
        print("credit report".ljust(14) + _line("", 4, latencies, wall, errors))
        print(f"reports per second at c=4: {len(latencies) / (time.perf_counter() - began):.1f}")
    print(
        f"page p99 / query p99 at c={concurrency}: profile {profile[0] / profile[1]:.2f}x, "
        f"search {search[0] / search[1]:.2f}x"
    )
    return 0


@register("site")
def bench_site(args: argparse.Namespace, settings: Settings) -> int:
    bench_instance(settings)
    return asyncio.run(_bench(args, settings))
