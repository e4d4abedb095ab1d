"""`credit-hub bench explorer`: the graph explorer's click-to-drawn time beside the API's time.

On the embedded "bench" instance (emptied, then the demo county of ``--enterprises``
enterprises, loaded as `credit-hub seed` loads an empty store: through Neo4j's import tool,
plus two synthetic super-nodes: an enterprise with exactly 200
relationships and one with 1,000 — shareholders, officers and practitioners), the hub in a
child process (`credit-hub serve`, one worker), Debian's Chromium through Playwright:

* **page**: signed in to the workbench with an INVESTIGATOR key (the hub in development mode:
  the session cookie without ``Secure``, over plain HTTP), in the explorer,
  ``explorer.load(subject)`` — what a click on a node runs — from the
  start of the click handler to the task after the next frame's paint (an animation frame,
  then a message task, which runs once that frame is painted): the JSON route, which runs the neighbourhood document through the schema with the
  caller's role (audit write included), the parse, Cytoscape's add and first render;
  the graph is emptied before each run, so every run draws the whole neighbourhood;
* **API**: the same GraphQL document (web/explorer/documents/neighbourhood.graphql) POSTed to
  /graphql with the same key, over loopback HTTP, answer read;
* page and API alternate, ``--rounds`` each, for the 200-edge and the 1,000-edge neighbourhood;
* **phases** of a page run (the page's own marks, ``explorer.timing``): the answer's text
  received (the route: session read, GraphQL, serialisation, loopback), the JSON parse,
  Cytoscape's add with the page's placement and each slice's style and geometry, the
  filters and panels, the frame that sorts, places the edges' ends and paints;
* **long tasks**: the longest main-thread task the browser reports (PerformanceObserver
  ``longtask``, tasks over 50 ms) during the page runs.

Printed last: page p50 / API p50 for each size, and the longest task (goals: ≤ 1.30, ≤ 100 ms;
docs/benchmarks.md#graph-explorer).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from bench.registry import register
from bench.support import bench_instance, free_port, hub_server, percentile, wipe_bench
from hub.auth import Role
from hub.identifiers import make_id_number, make_uscc
from hub.importer.runner import run_import
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store, open_driver
from web.client import document

NEIGHBOURHOOD = document("explorer", "neighbourhood")
SIZES = (200, 1000)


def super_node_lines(size: int, serial: int) -> tuple[str, list[bytes]]:
    """An enterprise with exactly ``size`` relationships to persons of its own: a tenth
    shareholders, a tenth directors, the rest practitioners; its USCC and the import lines."""
    uscc = make_uscc("9", "1", "451031", f"MB{serial:07d}")
    name = f"隆林基准企业{serial}({size} 条关系)"
    lines: list[dict[str, Any]] = [
        {"kind": "enterprise", "uscc": uscc, "name": name, "registeredOn": "2010-01-01"}
    ]
    holders = size // 10
    for n in range(size):
        born = dt.date(1950 + serial * 2 + n // 999, 1, 1)
        person = make_id_number("451031", born, n % 999 + 1)
        lines.append({"kind": "person", "idNumber": person, "name": f"基准人员{serial}-{n}"})
        if n < holders:
            holding = {"idNumber": person}
            share = round(1 / holders, 4)
            lines.append(
                {"kind": "shareholding", "holder": holding, "uscc": uscc, "share": share,
                 "from": "2015-01-01", "to": None}
            )  # fmt: skip
        else:
            role = "DIRECTOR" if n < 2 * holders else "PRACTITIONER"
            lines.append(
                {"kind": "role", "idNumber": person, "uscc": uscc, "role": role,
                 "from": "2015-01-01", "to": None}
            )  # fmt: skip
    return uscc, [json.dumps(line, ensure_ascii=False).encode() for line in lines]


def _seed(settings: Settings, enterprises: int, seed: int) -> None:
    """The demo county on the emptied bench instance as `credit-hub seed` loads it: through
    Neo4j's import tool (`import --initial`, hub/bulk_load/) when the store is empty, which a
    wiped and migrated bench is; transactionally otherwise."""
    from hub.bulk_load.command import seed_initial
    from hub.demo import seed_demo

    options = argparse.Namespace(instance="bench", enterprises=enterprises, seed=seed)
    if seed_initial(options, settings) is not None:
        return

    async def transactional() -> None:
        driver = open_driver(settings, "bench")
        try:
            await seed_demo(Store(driver, settings), settings, enterprises=enterprises, seed=seed)
        finally:
            await driver.close()

    asyncio.run(transactional())


async def _build(settings: Settings) -> dict[str, Any]:
    """The two super-nodes beside the seeded county; their USCCs and an INVESTIGATOR key's
    token."""
    from hub.auth import SYSTEM

    driver = open_driver(settings, "bench")
    try:
        store = Store(driver, settings)
        subjects = {}
        for serial, size in enumerate(SIZES, start=1):
            uscc, lines = super_node_lines(size, serial)
            report = await run_import(store, lines, actor=SYSTEM, department="AMR")
            if not report.committed:
                raise SystemExit(f"the super-node of {size} edges did not load: {report}")
            subjects[size] = uscc
        _, token = await create_key(store, Role.INVESTIGATOR, None, "bench explorer")
        return {"subjects": subjects, "token": token}
    finally:
        await driver.close()


async def _api_ms(http: httpx.AsyncClient, uscc: str, limit: int) -> float:
    variables = {"subject": {"uscc": uscc}, "hops": 1, "limit": limit}
    started = time.perf_counter()
    answer = await http.post("/graphql", json={"query": NEIGHBOURHOOD, "variables": variables})
    answer.raise_for_status()
    body = answer.json()
    elapsed = (time.perf_counter() - started) * 1000
    edges = body["data"]["neighbourhood"]["export"]["elements"]["edges"]
    if len(edges) != limit:
        raise SystemExit(f"the API returned {len(edges)} edges, not {limit}")
    return elapsed


PAGE_RUN = """async ([subject, limit]) => {
  explorer.reset();
  document.getElementById('limit').value = String(limit);
  explorer.longTasks.length = 0;
  await explorer.load(subject);
  await new Promise((r) => setTimeout(r, 150));  // let the observer report the run's tasks
  return {...explorer.timing.last, longest: Math.max(0, ...explorer.longTasks),
          shown: explorer.graph.edges.length};
}"""


async def _measure(base: str, build: dict[str, Any], rounds: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM

    headers = {"Authorization": f"Bearer {build['token']}"}
    results: dict[str, Any] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto(f"{base}/workbench/login?next=%2Fworkbench%2Fexplorer")
        await page.fill("#token", build["token"])
        await page.press("#token", "Enter")
        await page.wait_for_url(f"{base}/workbench/explorer")
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
            for size in SIZES:
                uscc = build["subjects"][str(size)]
                subject = f"E:{uscc}"
                page_ms: list[float] = []
                api_ms: list[float] = []
                draw_ms: list[float] = []
                phases: dict[str, list[float]] = {
                    "receiveMs": [],
                    "parseMs": [],
                    "addMs": [],
                    "panelsMs": [],
                    "renderMs": [],
                }
                longest: list[float] = []
                await _api_ms(http, uscc, size)  # warm-up: plans, page cache, the page's code
                await page.evaluate(PAGE_RUN, [subject, size])
                for _ in range(rounds):
                    run = await page.evaluate(PAGE_RUN, [subject, size])
                    if run["shown"] != size:
                        raise SystemExit(f"the page drew {run['shown']} edges, not {size}")
                    page_ms.append(run["totalMs"])
                    draw_ms.append(run["drawMs"])
                    for name, samples in phases.items():
                        samples.append(run[name])
                    longest.append(run["longest"])
                    api_ms.append(await _api_ms(http, uscc, size))
                results[str(size)] = {
                    "rounds": rounds,
                    "page p50": round(statistics.median(page_ms), 1),
                    "page p90": round(percentile(page_ms, 0.9), 1),
                    "of which drawing p50": round(statistics.median(draw_ms), 1),
                    "phases p50 (answer received, JSON parse, add + fit + geometry, "
                    "filters + panels, frames)": [
                        round(statistics.median(v), 1) for v in phases.values()
                    ],
                    "API p50": round(statistics.median(api_ms), 1),
                    "API p90": round(percentile(api_ms, 0.9), 1),
                    "longest task ms": round(max(longest), 1),
                    "longest task, median of the runs ms": round(statistics.median(longest), 1),
                }
        await page.screenshot(path="bench-data/explorer-1000.png")
        await browser.close()
    return results


@register("explorer")
def explorer(args: argparse.Namespace, settings: Settings) -> int:
    if settings.neo4j_uri is not None:
        raise SystemExit("the bench rebuilds its database: only on the embedded bench")
    bench_instance(settings)
    build_file = Path("bench-data/explorer-build.json")
    if args.reuse and build_file.exists():
        build = json.loads(build_file.read_text())
    else:
        wipe_bench(settings)
        started = time.perf_counter()
        _seed(settings, args.enterprises, args.seed)
        build = asyncio.run(_build(settings))
        build["buildSeconds"] = round(time.perf_counter() - started, 1)
        build["enterprises"] = args.enterprises
        build["subjects"] = {str(k): v for k, v in build["subjects"].items()}
        build_file.parent.mkdir(parents=True, exist_ok=True)
        build_file.write_text(json.dumps(build))

    async def run() -> dict[str, Any]:
        port = free_port()
        # development: the session cookie without Secure, as the bench speaks plain HTTP
        async with hub_server(settings, port, env={"CREDITHUB_ENVIRONMENT": "development"}):
            return await _measure(f"http://127.0.0.1:{port}", build, args.rounds_explorer)

    results = asyncio.run(run())
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                "enterprises": build.get("enterprises", args.enterprises),
                "buildSeconds": build.get("buildSeconds"),
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print()
    print(
        "| neighbourhood | page p50 ms | of which drawing | API p50 ms | longest task ms (median) |"
    )
    print("|---|---|---|---|---|")
    for size, r in results.items():
        print(
            f"| {size} edges | {r['page p50']} | {r['of which drawing p50']} | {r['API p50']} "
            f"| {r['longest task ms']} ({r['longest task, median of the runs ms']}) |"
        )
    ratios = ", ".join(
        f"{size} edges {r['page p50'] / r['API p50']:.2f}" for size, r in results.items()
    )
    worst = max(r["longest task ms"] for r in results.values())
    print(
        f"ratio page / API (p50, goal <= 1.30): {ratios}; longest task {worst:.0f} ms (goal <= 100)"
    )
    return 0
