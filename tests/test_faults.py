"""Faults against the real Neo4j: the database stops mid-import, restarts under load.

These tests stop and restart the embedded test instance; they always restart it before they end.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.app import create_app
from hub.demo import generate
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import Settings
from hub.store import Store
from tests.conftest import load

pytestmark = pytest.mark.neo4j


def embedded(settings: Settings) -> EmbeddedNeo4j:
    if settings.neo4j_uri is not None:
        pytest.skip("fault tests stop and start the embedded test instance")
    return EmbeddedNeo4j(settings, "test")


async def enterprises(store: Store) -> int:
    async with store.driver.session(database=store.database) as session:
        record = await (await session.run("MATCH (e:Enterprise) RETURN count(e) AS n")).single()
    assert record is not None
    return int(record["n"])


async def wait_until_up(store: Store, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await store.ping():
            return
        await asyncio.sleep(0.5)
    raise AssertionError("Neo4j did not come back")


async def test_neo4j_stopped_during_import_then_retry_completes(
    graph: Store, settings: Settings
) -> None:
    local = embedded(settings)
    segment = next(generate(2500, 11, segment=2500))
    lines = [r for kind in ("enterprise", "person", "role", "shareholding") for r in segment[kind]]
    assert len(lines) < settings.import_commit_records  # one unit: atomic as a whole
    before = await enterprises(graph)
    upload = asyncio.create_task(load(graph, lines))
    await asyncio.sleep(1.0)
    try:
        await asyncio.to_thread(local.stop)
        report = await upload
    finally:
        await asyncio.to_thread(local.start)
        await wait_until_up(graph)
    assert not report.committed
    assert report.failure_code in {"STORE_UNAVAILABLE", "INTERNAL", "TIMEOUT"}
    assert await enterprises(graph) == before  # nothing half-written
    retry = await load(graph, lines)
    assert retry.committed
    assert retry.accepted == len(lines)
    assert await enterprises(graph) == before + len(segment["enterprise"])


@pytest.fixture
async def client(graph: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"rate_limit_per_second": 0.0}), "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://hub", timeout=60
        ) as http:
            yield http


async def test_restart_under_load_readyz_and_recovery(
    client: httpx.AsyncClient, graph: Store, settings: Settings
) -> None:
    local = embedded(settings)
    query = {"query": '{ search(text: "隆林", first: 3) { nodes { score } } }'}
    assert (await client.get("/readyz")).status_code == 200
    slowest = 0.0
    outcomes: list[tuple[float, str]] = []  # (seconds, "ok" | error code) of the background load
    stop_load = asyncio.Event()

    async def load_loop() -> None:
        while not stop_load.is_set():
            began = time.monotonic()
            body = (await client.post("/graphql", json=query)).json()
            code = body["errors"][0]["extensions"]["code"] if "errors" in body else "ok"
            outcomes.append((time.monotonic() - began, code))

    background = [asyncio.create_task(load_loop()) for _ in range(4)]
    await asyncio.sleep(1.0)
    try:
        await asyncio.to_thread(local.stop)
        started = time.monotonic()
        down = await client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["neo4j"] is False
        for _ in range(3):
            began = time.monotonic()
            answer = await client.post("/graphql", json=query)
            slowest = max(slowest, time.monotonic() - began)
            body = answer.json()
            assert body["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
        assert time.monotonic() - started < 60
    finally:
        await asyncio.to_thread(local.start)
    assert slowest < settings.tx_timeout + 10  # no request hangs past its timeout
    await wait_until_up(graph)
    for _ in range(20):  # the same app recovers without restart
        if (await client.get("/readyz")).status_code == 200:
            break
        await asyncio.sleep(0.5)
    assert (await client.get("/readyz")).status_code == 200
    assert "errors" not in (await client.post("/graphql", json=query)).json()
    await asyncio.sleep(1.0)
    stop_load.set()
    await asyncio.gather(*background)
    codes = {code for _, code in outcomes}
    assert codes <= {"ok", "STORE_UNAVAILABLE", "TIMEOUT"}, codes  # failures are clean
    assert "STORE_UNAVAILABLE" in codes  # the load did see the outage
    assert outcomes[-1][1] == "ok"  # and the same app serves again, without a restart
    assert max(seconds for seconds, _ in outcomes) < settings.tx_timeout + 10
