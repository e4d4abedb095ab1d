"""How the event log is stored (docs/feeds.md): one EventBatch node per transaction that wrote
events, a list per field; only the fields of hub/store/events.py EVENT_FIELDS; an older log of
one Event node per event batched at migration and read back the same."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, LiteralString

import neo4j
import pytest
from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role
from hub.store import Store
from hub.store.events import emit, subject_event
from hub.store.schema_ops import relink
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_events import INVESTIGATOR, all_events, counter, story

if TYPE_CHECKING:
    from hub.store.adapter import Work

pytestmark = [pytest.mark.neo4j]

STORED: LiteralString = """
MATCH (n) WHERE n:Event OR n:EventBatch OR n:EventPending
RETURN labels(n) AS labels, n.first AS first, n.last AS last, n.type AS type
ORDER BY first
"""


async def stored(store: Store) -> list[dict[str, Any]]:
    async with store.driver.session(database=store.database) as session:
        return [r.data() async for r in await session.run(STORED)]


async def test_an_upload_keeps_its_events_in_one_batch_read_back_as_written(gql: GQL) -> None:
    firm, rep = await story(gql)  # one upload, one transaction: three events
    assert await stored(gql.store) == [
        {
            "labels": ["EventBatch"],
            "first": 1,
            "last": 3,
            "type": ["LISTED", "DERIVED_ADDED", "EVALUATION_CHANGED"],
        }
    ]
    found = await all_events(gql)
    assert [(e["seq"], e["type"], e["subjectKey"]) for e in found] == [
        (1, "LISTED", firm),
        (2, "DERIVED_ADDED", rep),
        (3, "EVALUATION_CHANGED", firm),
    ]
    listed, derived, graded = found
    # Fields an event does not have read as null (false for flags), whatever its batch holds.
    assert (listed["derived"], listed["grade"], listed["sourceId"]) == (False, None, None)
    assert (derived["derived"], derived["sourceId"], derived["public"]) == (True, "ECO-1", False)
    assert (graded["grade"], graded["listingId"], graded["on"]) == ("B", None, "2024-01-01")
    # A workflow's transaction is a batch of its own, numbered on.
    end = 'mutation { endListing(id: "ECO-1", reason: "整改到位", on: "2025-01-01") { status } }'
    await gql.ok(end, actor=Actor(Role.DEPARTMENT, "key-eco", "ECOENV"))
    assert [(b["first"], b["last"]) for b in await stored(gql.store)] == [(1, 3), (4, 5)]
    assert [e["type"] for e in await all_events(gql)][3:] == ["ENDED", "DERIVED_ENDED"]


class PendingSeen(Store):
    """A store that, at the end of each write unit of work (before the early-warning step and
    the seal), counts the EventPending nodes its transaction holds."""

    pending: list[int]

    async def _run(
        self, mode: str, tx_timeout: float, work: Work[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        async def seen(tx: AsyncManagedTransaction, *a: Any, **k: Any) -> Any:
            result = await work(tx, *a, **k)
            if mode == neo4j.WRITE_ACCESS:
                count = "MATCH (e:EventPending) RETURN count(e) AS n"
                record = await (await tx.run(count)).single()
                self.pending.append(int(record["n"]) if record else -1)
            return result

        return await super()._run(mode, tx_timeout, seen, *args, **kwargs)


async def test_an_upload_writes_its_events_without_pending_nodes(gql: GQL) -> None:
    # The import's writers return their events (hub/store/events.py ``note``): no EventPending
    # node is made for them, and the batch holds the same events in the same order.
    store = PendingSeen(gql.store.driver, gql.settings)
    store.pending = []
    gql.store = store
    firm, rep = await story(gql)
    assert store.pending and set(store.pending) == {0}
    assert [(e["seq"], e["type"], e["subjectKey"]) for e in await all_events(gql)] == [
        (1, "LISTED", firm),
        (2, "DERIVED_ADDED", rep),
        (3, "EVALUATION_CHANGED", firm),
    ]


async def test_pending_nodes_and_noted_events_keep_the_order_made(gql: GQL) -> None:
    # A transaction may make events both ways (a workflow's fragment, then ``emit``): they are
    # numbered in the order made, whichever came first.
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm)])
    now = dt.datetime.now(dt.UTC)
    node = "MATCH (s:Enterprise {uscc: $uscc}) " + subject_event(
        "$type", "s", "on: date('2026-01-05')", "true"
    )
    base = {"subjectKey": firm, "subjectLabel": "Enterprise", "public": True}

    async def made(tx: AsyncManagedTransaction, order: list[str]) -> None:
        params = {"uscc": firm, "batch": "m-order", "now": now, "dept": "ECOENV"}
        for kind in order:
            if kind == "UPDATED":
                await (await tx.run(node, {**params, "type": kind})).consume()
            else:
                await emit(tx, [{**base, "type": kind}], now)

    before = await counter(gql.store)
    await gql.store.write(made, ["UPDATED", "REVOKED", "UPDATED"])
    await gql.store.write(made, ["REVOKED", "UPDATED"])
    found = [e["type"] for e in await all_events(gql) if e["seq"] > before]
    assert found == ["UPDATED", "REVOKED", "UPDATED", "REVOKED", "UPDATED"]
    assert not [n for n in await stored(gql.store) if "EventPending" in n["labels"]]


async def test_an_event_field_not_in_the_registry_fails_its_change(gql: GQL) -> None:
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm)])
    before = await counter(gql.store)
    now = dt.datetime.now(dt.UTC)

    async def emitted(tx: AsyncManagedTransaction) -> None:
        event = {"type": "UPDATED", "subjectKey": firm, "subjectLabel": "Enterprise"}
        await emit(tx, [{**event, "public": True, "mystery": "x"}], now)

    with pytest.raises(ValueError, match="EVENT_FIELDS"):
        await gql.store.write(emitted)

    # The same from a Cypher fragment: the seal refuses it, and the change goes with it.
    query = "MATCH (s:Enterprise {uscc: $uscc}) SET s.touched = true " + subject_event(
        "'UPDATED'", "s", "on: date('2026-01-05'), mystery: 'x'", "true"
    )

    async def spliced(tx: AsyncManagedTransaction) -> None:
        params = {"uscc": firm, "batch": "m-odd", "now": now, "dept": "ECOENV"}
        await (await tx.run(query, params)).consume()

    with pytest.raises(ValueError, match="mystery"):
        await gql.store.write(spliced)
    assert await counter(gql.store) == before
    touched = await gql.store.driver.execute_query(
        "MATCH (s:Enterprise {uscc: $uscc}) RETURN s.touched AS t",
        {"uscc": firm},
        database_=gql.store.database,
    )
    assert touched.records[0]["t"] is None
    assert not [n for n in await stored(gql.store) if "EventPending" in n["labels"]]


# An event log as the hub before the EventBatch left it: one Event node per event.
OLD_LOG: LiteralString = """
CREATE (:Event {seq: 1, type: 'LISTED', on: date('2024-03-01'), subjectKey: $firm,
                subjectLabel: 'Enterprise', listingId: 'ECO-OLD', list: 'BLACK',
                domain: 'ENVIRONMENT', department: 'ECOENV', public: true,
                batch: 'b-old', recordedAt: $now, sourceDepartment: 'ECOENV'})
CREATE (:Event {seq: 2, type: 'DERIVED_ADDED', on: date('2024-03-01'), subjectKey: $rep,
                subjectLabel: 'Person', listingId: 'ECO-OLD:' + $rep, sourceId: 'ECO-OLD',
                list: 'BLACK', domain: 'ENVIRONMENT', department: 'ECOENV', derived: true,
                public: false, batch: 'b-old', recordedAt: $now, sourceDepartment: 'ECOENV'})
CREATE (:Event {seq: 3, type: 'EARLY_WARNING', subjectKey: $firm, subjectLabel: 'Enterprise',
                departments: ['AMR', 'ECOENV'], reasonKinds: ['GRADE_FELL'],
                reason: '信用等级下降', public: false, recordedAt: $now})
MERGE (c:EventCounter {name: 'events'}) SET c.seq = 3
"""


async def test_a_log_of_event_nodes_is_batched_at_migration_and_reads_the_same(gql: GQL) -> None:
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    await gql.store.driver.execute_query(
        OLD_LOG, {"firm": firm, "rep": rep, "now": now}, database_=gql.store.database
    )
    await relink(gql.store)
    assert [(n["labels"], n["first"], n["last"]) for n in await stored(gql.store)] == [
        (["EventBatch"], 1, 1),
        (["EventBatch"], 2, 2),
        (["EventBatch"], 3, 3),
    ]
    found = await all_events(gql, INVESTIGATOR)
    assert [(e["seq"], e["type"], e["subjectKey"], e["on"]) for e in found] == [
        (1, "LISTED", firm, "2024-03-01"),
        (2, "DERIVED_ADDED", rep, "2024-03-01"),
        (3, "EARLY_WARNING", firm, None),
    ]
    assert (found[1]["derived"], found[1]["sourceId"], found[0]["derived"]) == (
        True,
        "ECO-OLD",
        False,
    )
    # The warning's departments still decide who reads it.
    amr = Actor(Role.DEPARTMENT, "key-amr", "AMR")
    tax = Actor(Role.DEPARTMENT, "key-tax", "TAX")
    warned = {"types": ["EARLY_WARNING"]}
    assert [e["seq"] for e in await all_events(gql, amr, **warned)] == [3]
    assert await all_events(gql, tax, **warned) == []
    # And the next change is numbered after them.
    await load(gql.store, [f.enterprise(firm)])
    await gql.ok(
        "mutation ($input: ListingInput!) { listSubject(input: $input) { id } }",
        {
            "input": {
                "id": "ECO-NEW",
                "subject": {"uscc": firm},
                "list": "BLACK",
                "domain": "ENVIRONMENT",
                "basis": "《环境保护法》第六十三条",
                "effectiveFrom": "2024-03-01",
            }
        },
        actor=Actor(Role.DEPARTMENT, "key-eco", "ECOENV"),
    )
    assert [e["seq"] for e in await all_events(gql)][-1] == 4
