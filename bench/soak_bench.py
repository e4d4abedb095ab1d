"""`credit-hub bench soak`: a bounded soak of mixed traffic against the real server.

On the check benchmark's graph (run `credit-hub bench check` first, or this seeds it), for
``--duration`` seconds at concurrency 32 over loopback HTTP: 70 % checks (APPROVAL key),
25 % searches (PUBLIC), 5 % uploads of 20 new actions (DEPARTMENT key). Reports throughput,
errors (anything but a 200 without GraphQL errors, or an upload not committed), p50/p99 per
minute, and the server's resident memory at the start and the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import orjson

from bench.check_bench import AS_OF, QUERY, _prepare, _requests
from bench.cypher.check_samples import sample_subjects
from bench.registry import register
from bench.support import bench_instance, hub_server, percentile, rss_mib
from hub.auth import Role
from hub.keys import create_key
from hub.settings import PROJECT_ROOT, Settings
from hub.store import Store, open_driver

PORT = 8766
CONCURRENCY = 32
WARM_UP = 50  # requests before the measured ones (left out of the hub's own times too)
SEARCH = """query($t: String!) { search(text: $t, first: 10) { nodes { score matchedBy
  subject { ... on Enterprise { uscc name } ... on Person { idNumber name } } } } }"""
ACCESS = re.compile(r"credithub\.access POST \S+ \d+ ([\d.]+)ms")
SERVER_LOG = PROJECT_ROOT / "bench-data" / "soak-hub.log"  # the hub's log of the last soak
WORDS = ["金鑫", "隆林", "合作社", "建材", "茶业", "养殖", "新州镇", "百货店", "运输", "宏达"]


def _hub_times(log: Path) -> list[float]:
    """Milliseconds of every POST in the hub's access log (hub/app.py)."""
    found = (ACCESS.search(line) for line in log.read_text(encoding="utf-8").splitlines())
    return [float(m.group(1)) for m in found if m]


def _failure(kind: str, response: httpx.Response) -> str | None:
    """None for a 200 without GraphQL errors, else the kind, status and error codes."""
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else {}
    )
    errors = body.get("errors") if isinstance(body, dict) else None
    if response.status_code == 200 and not errors:
        return None
    codes = sorted({str((e.get("extensions") or {}).get("code")) for e in errors or []})
    code = body.get("code") if isinstance(body, dict) else None
    return f"{kind}: HTTP {response.status_code} {','.join(codes) or code or ''}".rstrip()


async def _soak(args: argparse.Namespace, settings: Settings) -> int:
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    await _prepare(store, settings, args)
    subjects = await store.read(sample_subjects, 3000)
    firms = [s["key"] for s in subjects if s["label"] == "Enterprise"]
    _, approval = await create_key(store, Role.APPROVAL, "AMR", "soak-approval")
    _, officer = await create_key(store, Role.DEPARTMENT, "AMR", "soak-officer")
    checks = _requests(subjects, 20_000, 77)
    rng = random.Random(5)
    buckets: dict[int, list[float]] = defaultdict(list)
    errors: dict[int, int] = defaultdict(int)
    failures: Counter[str] = Counter()
    kinds: dict[str, int] = defaultdict(int)
    by_kind: dict[str, list[float]] = defaultdict(list)
    rss: list[tuple[float, float]] = []
    async with (
        hub_server(settings, PORT, log=SERVER_LOG) as pid,
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{PORT}",
            timeout=60,
            limits=httpx.Limits(max_connections=CONCURRENCY + 4),
        ) as http,
    ):

        def pick() -> str:
            roll = rng.random()
            return "check" if roll < 0.70 else "search" if roll < 0.95 else "import"

        async def one(kind: str) -> str | None:
            """None when the request succeeded, else what failed (kind, status, error code)."""
            kinds[kind] += 1
            if kind == "check":
                response = await http.post(
                    "/graphql",
                    json={"query": QUERY, "variables": rng.choice(checks)},
                    headers={"Authorization": f"Bearer {approval}"},
                )
                return _failure(kind, response)
            if kind == "search":
                response = await http.post(
                    "/graphql", json={"query": SEARCH, "variables": {"t": rng.choice(WORDS)}}
                )
                return _failure(kind, response)
            lines = [
                orjson.dumps(
                    {
                        "kind": "action",
                        "id": f"SOAK-{uuid.uuid4().hex[:12]}",
                        "subject": {"uscc": rng.choice(firms)},
                        "type": "INSPECTION",
                        "department": "AMR",
                        "decisionDate": AS_OF.isoformat(),
                        "title": "监督检查结果",
                    }
                )
                for _ in range(20)
            ]
            response = await http.post(
                "/api/import",
                content=b"\n".join(lines),
                headers={"Authorization": f"Bearer {officer}"},
            )
            if response.status_code != 200:
                return _failure(kind, response)
            report = response.json()  # its "errors" are rejected lines, not failures
            if report["accepted"] != 20:
                return f"import: {report['accepted']} of 20 accepted ({report['failureCode']})"
            return None

        for _ in range(WARM_UP):
            await one(pick())
        started = time.perf_counter()
        rss.append((0.0, rss_mib(pid)))
        deadline = started + args.duration

        async def worker() -> None:
            while time.perf_counter() < deadline:
                kind = pick()
                began = time.perf_counter()
                try:
                    failed = await one(kind)
                except httpx.HTTPError as error:
                    failed = f"{kind}: {type(error).__name__}"
                minute = int((began - started) // 60)
                took = time.perf_counter() - began
                buckets[minute].append(took)
                by_kind[kind].append(took)
                if failed is not None:
                    errors[minute] += 1
                    failures[failed] += 1

        async def sampler() -> None:
            while time.perf_counter() < deadline:
                await asyncio.sleep(30)
                rss.append((time.perf_counter() - started, rss_mib(pid)))

        await asyncio.gather(sampler(), *(worker() for _ in range(CONCURRENCY)))
        wall = time.perf_counter() - started
        rss.append((wall, rss_mib(pid)))
    await driver.close()
    total = sum(len(v) for v in buckets.values())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(
        f"soak: {wall:.0f} s at concurrency {CONCURRENCY}, {total} requests "
        f"({total / wall:.1f}/s): {dict(kinds)}; errors {sum(errors.values())}"
    )
    print("minute  requests  errors  p50 ms  p99 ms")
    for minute in sorted(buckets):
        ms = [x * 1000 for x in buckets[minute]]
        print(
            f"{minute:6d}  {len(ms):8d}  {errors[minute]:6d}  {percentile(ms, 0.5):6.1f}  "
            f"{percentile(ms, 0.99):6.1f}"
        )
    for kind in sorted(by_kind):
        ms = [x * 1000 for x in by_kind[kind]]
        print(
            f"{kind:>6s}: {len(ms)} requests, p50 {percentile(ms, 0.5):.1f} ms, "
            f"p99 {percentile(ms, 0.99):.1f} ms"
        )
    for failed, count in failures.most_common():
        print(f"failed {count}x: {failed}")
    print(f"the hub's log: {SERVER_LOG}")
    inside = _hub_times(SERVER_LOG)[WARM_UP:]
    print(
        "inside the hub (its access log, from the request's arrival in the app to the answer): "
        f"{len(inside)} requests, p50 {percentile(inside, 0.5):.1f} ms, "
        f"p99 {percentile(inside, 0.99):.1f} ms, max {max(inside, default=0):.1f} ms"
    )
    print("server RSS MiB: " + ", ".join(f"{t:.0f}s={m:.0f}" for t, m in rss))
    return 0 if sum(errors.values()) == 0 else 1


@register("soak")
def bench_soak(args: argparse.Namespace, settings: Settings) -> int:
    bench_instance(settings)
    return asyncio.run(_soak(args, settings))
