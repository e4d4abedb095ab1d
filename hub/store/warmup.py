"""Warm-up of the check path at hub start: Neo4j's first minutes are slow.

Right after Neo4j starts, its JIT has compiled nothing and the pages the checks touch are not
in the page cache: in the first `credit-hub bench check` after an instance start, checks at
concurrency 32 had a p99 of 1.3–2.1 s (Neo4j spent 4–5 ms of CPU per check, against 0.6–1.7
ms warm), and a database restart would show approval systems the same (docs/benchmarks.md).
Community has no page-cache warm-up.

So the hub, before it reports ready, runs the check's statements against real subjects of the
graph for a few seconds: the gather in the group sizes checks share under load, and the
receipt write inside a transaction that is rolled back. Nothing is stored. Errors end the
warm-up early (logged); they never stop the hub.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from typing import Any, LiteralString

import neo4j
from neo4j import AsyncManagedTransaction

from hub.clock import COUNTY_CLOCK
from hub.store import checks
from hub.store.adapter import Store

log = logging.getLogger("credithub.warmup")

GROUP_SIZES = (1, 4, 16)

SAMPLE: LiteralString = """
CALL () {
  MATCH (e:Enterprise) WITH e LIMIT $n
  RETURN collect({uscc: e.uscc, idNumber: null}) AS firms
}
CALL () {
  MATCH (p:Person) WITH p LIMIT $n
  RETURN collect({uscc: null, idNumber: p.idNumber}) AS persons
}
RETURN firms + persons AS subjects
"""


async def _sample(tx: AsyncManagedTransaction, n: int) -> list[dict[str, Any]]:
    record = await (await tx.run(SAMPLE, n=n)).single()
    subjects: list[dict[str, Any]] = record["subjects"] if record else []
    return [{"i": i, **s} for i, s in enumerate(subjects)]


async def _gather(store: Store, subjects: list[dict[str, Any]]) -> None:
    """Unshielded (not Store.read): cancelling the warm-up at shutdown must stop it before the
    driver closes."""
    async with store.session(neo4j.READ_ACCESS) as session:
        await session.execute_read(checks.gather, subjects, COUNTY_CLOCK.today())


async def _receipts_rolled_back(store: Store, size: int) -> None:
    """The receipt statement in a transaction that is never committed."""
    async with store.session(neo4j.WRITE_ACCESS) as session:
        tx = await session.begin_transaction(timeout=store.timeout)
        try:
            receipts = [
                {"id": "warmup-" + uuid.uuid4().hex, "keyId": "warmup", "decision": "CLEAR"}
                for _ in range(size)
            ]
            await checks.write_receipts(tx, receipts, dt.datetime.now(dt.UTC))
        finally:
            await tx.rollback()


async def warm_checks(store: Store, seconds: float) -> int:
    """Runs gathers (and rolled-back receipt writes) for about ``seconds``, at least one round
    of every group size; returns how many statements ran. Nothing is stored."""
    if seconds <= 0:
        return 0
    deadline = time.monotonic() + seconds
    ran = 0
    try:
        async with store.session(neo4j.READ_ACCESS) as session:
            subjects = await session.execute_read(_sample, 64)
        if not subjects:
            return 0
        start = 0
        while True:  # at least one round, however long the sampling took
            for size in GROUP_SIZES:
                group = [subjects[(start + k) % len(subjects)] for k in range(size)]
                start += size
                await _gather(store, group)
                await _receipts_rolled_back(store, size)
                ran += 2
            if time.monotonic() >= deadline:
                break
    except Exception as error:  # a warm-up must never stop the hub (CancelledError still does)
        log.warning("warm-up stopped early: %s", type(error).__name__)
    log.info("warm-up ran %d statements", ran)
    return ran
