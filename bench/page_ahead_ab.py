"""The enterprise's page read ahead in one statement, on and off, in alternating rounds in
process (schema execution as an INVESTIGATOR, the audit write included, no HTTP), on two of
the peer bench's reads: the tree (five levels of shareholders) and the profile. Prints the p50
and the hub's CPU per request each way, and the ratio on / off last
(docs/benchmarks.md#peer-neo4jgraphql-issue-21).

    PYTHONPATH=. .venv/bin/python -m bench.page_ahead_ab

Needs the bench graph (`make bench-peer` or `make bench-check` loads it).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from typing import Any

import schema.query
from bench.support import cpu_seconds
from graphql_engine.build import build_schema
from hub.auth import Actor, Role
from hub.settings import load_settings
from hub.store import Store, open_driver
from resolvers.context import make_context
from resolvers.subjects import PageAsks

HELD = "MATCH (e:Enterprise)<-[:HOLDS_SHARES]-(:Enterprise) RETURN DISTINCT e.uscc AS u LIMIT 150"
HOLDER = "... on Person { idNumber name } ... on Enterprise { uscc name }"
PROFILE = f"""query($u: String!) {{ enterprise(uscc: $u) {{ uscc name kind registeredOn
  roles {{ role title from to holder {{ {HOLDER} }} }}
  shareholders {{ share from to holder {{ {HOLDER} }} }}
  actions(first: 20) {{ nodes {{ id type decisionDate title }} }} }} }}"""


def _tree(levels: int) -> str:
    inner = "uscc name"
    for _ in range(levels):
        inner = (
            f"uscc name shareholders {{ share holder {{ ... on Person {{ idNumber name }} "
            f"... on Enterprise {{ {inner} }} }} }}"
        )
    return "query($u: String!) { enterprise(uscc: $u) { " + inner + " } }"


def _cpu() -> float:
    return cpu_seconds(os.getpid())


def _nothing_ahead(info: Any) -> PageAsks:
    return PageAsks()


async def _probe() -> None:
    settings = load_settings()
    driver = open_driver(settings, "bench")
    store = Store(driver, settings)
    hub = build_schema(settings)
    actor = Actor(Role.INVESTIGATOR, key_id="bench-page-ahead")
    ahead = schema.query.page_asks  # type: ignore[attr-defined]
    try:
        async with driver.session(database=store.database) as session:
            keys = [r["u"] async for r in await session.run(HELD)]
        for name, document in (("tree", _tree(5)), ("profile", PROFILE)):
            took: dict[str, list[float]] = {"on": [], "off": []}
            cpu = {"on": 0.0, "off": 0.0}
            for number in range(4):
                for mode in ("on", "off") if number % 2 == 0 else ("off", "on"):
                    schema.query.page_asks = ahead if mode == "on" else _nothing_ahead  # type: ignore[attr-defined]
                    began_cpu = _cpu()
                    for key in keys:
                        context = make_context(store, settings, actor, "bench-page-ahead")
                        began = time.perf_counter()
                        answer = await hub.execute(
                            document, variable_values={"u": key}, context_value=context
                        )
                        took[mode].append(time.perf_counter() - began)
                        if answer.errors:
                            raise SystemExit(f"{name} of {key}: {answer.errors}")
                    cpu[mode] += _cpu() - began_cpu
            for mode in ("on", "off"):
                print(
                    f"{name:8} read ahead {mode:3}: p50 {statistics.median(took[mode]) * 1000:.2f} "
                    f"ms, hub CPU {cpu[mode] * 1000 / len(took[mode]):.2f} ms per request"
                )
            ratio = statistics.median(took["on"]) / statistics.median(took["off"])
            print(f"{name:8} p50 read ahead on / off: {ratio:.2f}")
    finally:
        schema.query.page_asks = ahead  # type: ignore[attr-defined]
        await driver.close()


if __name__ == "__main__":
    asyncio.run(_probe())
