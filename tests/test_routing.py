"""The hub on the routing driver (neo4j://), as it runs against a cluster (issue 21).

The embedded test instance answers the routing protocol like a one-member cluster: it is its
own router, reader and writer. These tests open a routing driver to it whatever the suite's
own connection is, so routing, `execute_read` to readers and bookmarks run in every `make
test`; `make test` also runs the `routed` tests a second time with the whole suite's store on
the routing driver (CREDITHUB_TEST_ROUTING=1, tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from neo4j import AsyncNeo4jDriver
from pydantic import SecretStr

from hub.app import create_app
from hub.auth import Role
from hub.keys import create_key
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import Settings
from hub.store import Store, open_driver
from hub.store.adapter import Runner, rows
from tests import factories as f
from tests.conftest import load

pytestmark = [pytest.mark.neo4j, pytest.mark.routed]


@pytest.fixture
def routed(settings: Settings) -> Settings:
    local = EmbeddedNeo4j(settings, "test")
    if settings.neo4j_uri is not None and settings.neo4j_uri.startswith("neo4j://"):
        return settings
    if settings.neo4j_uri is not None:
        pytest.skip("the suite runs against an external bolt:// server")
    return settings.model_copy(
        update={
            "neo4j_uri": local.uri.replace("bolt://", "neo4j://", 1),
            "neo4j_password": SecretStr(local.password),
        }
    )


@pytest.fixture
async def routed_store(graph: Store, routed: Settings) -> AsyncIterator[Store]:
    driver = open_driver(routed, "test")
    await driver.verify_connectivity()
    yield Store(driver, routed)
    await driver.close()


async def _count_marks(tx: Runner, mark: str) -> int:
    found = await rows(tx, "MATCH (m:TestRoutingMark {id: $id}) RETURN count(m) AS n", {"id": mark})
    return int(found[0]["n"])


async def _add_mark(tx: Runner, mark: str) -> None:
    await rows(tx, "CREATE (:TestRoutingMark {id: $id})", {"id": mark})


async def test_the_routing_driver_routes_and_chains_reads_after_writes(
    routed_store: Store,
) -> None:
    assert isinstance(routed_store.driver, AsyncNeo4jDriver)  # the routing driver, not bolt
    await routed_store.write(_add_mark, "r1")
    assert await routed_store.read(_count_marks, "r1") == 1  # a reader, after the bookmark
    table: Any = routed_store.driver._pool.routing_tables[routed_store.database]
    assert table.readers and table.writers and table.routers


async def test_a_check_and_its_receipt_through_the_routing_driver(
    graph: Store, routed: Settings
) -> None:
    firm = f.uscc()
    await load(
        graph, [f.enterprise(firm, "隆林路由测试有限公司"), f.listing("ECO-ROUTE", {"uscc": firm})]
    )
    _, token = await create_key(graph, Role.APPROVAL, None, "routing test")
    app = create_app(routed, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            headers = {"Authorization": f"Bearer {token}"}
            check = await http.post(
                "/graphql",
                headers=headers,
                json={
                    "query": "query($s: SubjectRef!) { checkBeforeApproval(subject: $s, "
                    "scenario: PUBLIC_RESOURCE_TRADING) { decision receiptId } }",
                    "variables": {"s": {"uscc": firm}},
                },
            )
            answer = check.json()["data"]["checkBeforeApproval"]
            assert answer["decision"] == "RESTRICTED"
            receipt = await http.post(
                "/graphql",
                headers=headers,
                json={
                    "query": "query($id: String!) { receipt(id: $id) { id decision } }",
                    "variables": {"id": answer["receiptId"]},
                },
            )
            assert receipt.json()["data"]["receipt"]["decision"] == "RESTRICTED"
