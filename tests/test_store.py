"""Store.statements: auto-commit statements against the real Neo4j, and their retries."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from neo4j import exceptions

from hub.errors import HubError, StoreTimeout, StoreUnavailable
from hub.settings import Settings
from hub.store import Store
from hub.store.adapter import AutoCommit

pytestmark = pytest.mark.neo4j


async def test_each_statement_commits_on_its_own(graph: Store) -> None:
    async def work(tx: AutoCommit) -> None:
        await (await tx.run("CREATE (:Probe {n: 1})")).consume()
        await (
            await tx.run(
                "MATCH (p:Probe) SET p.n = p.n + 1 WITH p CALL { RETURN 1/0 AS x } RETURN x"
            )
        ).consume()

    with pytest.raises(HubError):
        await graph.statements(work)

    async def read(tx: AutoCommit) -> int:
        record = await (await tx.run("MATCH (p:Probe) RETURN p.n AS n")).single()
        assert record is not None
        return int(record["n"])

    # The first statement committed; the failing second one left nothing half-done.
    assert await graph.statements(read) == 1


async def test_a_retryable_failure_runs_the_work_again(graph: Store) -> None:
    calls = 0

    async def work(tx: AutoCommit) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise exceptions.ServiceUnavailable("connection lost")
        record = await (await tx.run("RETURN 41 + 1 AS n")).single()
        assert record is not None
        return int(record["n"])

    assert await graph.statements(work) == 42
    assert calls == 2


async def test_a_client_error_is_not_retried(graph: Store) -> None:
    calls = 0

    async def work(tx: AutoCommit) -> None:
        nonlocal calls
        calls += 1
        await (await tx.run("RETURN 1/0 AS n")).consume()

    with pytest.raises(HubError) as raised:
        await graph.statements(work)
    assert calls == 1
    assert not isinstance(raised.value, StoreUnavailable)


async def test_retries_end_after_the_retry_time(
    graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a clock of the test's own (each back-off advances it by exactly its wait, no jitter):
    failing at 0, 0.05 and 0.15 s, the third failure's next wait (0.2 s) would end past the
    0.3 s of retry time, so there are exactly three calls."""
    from hub.store import adapter

    now = 0.0
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        nonlocal now
        now += seconds
        await real_sleep(0)

    monkeypatch.setattr(adapter, "RETRY_TIME", 0.3)
    monkeypatch.setattr(adapter, "time", SimpleNamespace(monotonic=lambda: now))
    monkeypatch.setattr(adapter, "random", SimpleNamespace(uniform=lambda low, high: 1.0))
    monkeypatch.setattr(asyncio, "sleep", sleep)  # the back-off; the driver sleeps 0 at most
    calls: list[float] = []

    async def work(tx: AutoCommit) -> None:
        calls.append(now)
        assert len(calls) < 10, "the retries do not end"
        raise exceptions.ServiceUnavailable("down")

    with pytest.raises(StoreUnavailable):
        await graph.statements(work)
    assert calls == pytest.approx([0.0, 0.05, 0.15])


async def test_a_unit_the_server_never_answers_ends_with_store_timeout(
    graph: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded Neo4j hints no receive timeout, so the hub keeps its own deadline."""
    import asyncio

    from hub.store import adapter

    monkeypatch.setattr(adapter, "CLIENT_GRACE", 0.2)
    quick = Store(graph.driver, settings.model_copy(update={"tx_timeout": 0.1}))

    async def stalled(tx: AutoCommit) -> None:
        await asyncio.sleep(5)  # stands for a read that never returns

    with pytest.raises(StoreTimeout):
        await quick.statements(stalled)

    async def stalled_read(tx: Any) -> None:
        await asyncio.sleep(10)

    monkeypatch.setattr(adapter, "RETRY_TIME", 0.1)
    with pytest.raises(StoreTimeout):
        await quick.read(stalled_read)
