"""Test fixtures: the real Neo4j test instance, isolated per test.

The suite uses the embedded instance "test" (bolt port 7688), or NEO4J_URI when set. Before the
first wipe it checks the database: a database that holds data but no ``TestSentinel`` node was
not created by this suite, and the suite refuses to touch it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any, LiteralString

import httpx
import pytest
from playwright.async_api import Browser
from pydantic import SecretStr

from graphql_engine.build import build_schema
from hub.app import create_app
from hub.auth import SYSTEM, Actor, Role
from hub.importer.runner import ImportReport, run_import
from hub.keys import create_key
from hub.migrate import migrate, reload_reference_data
from hub.neo4j_local import EmbeddedNeo4j
from hub.settings import Settings, load_settings
from hub.store import Store, open_driver
from resolvers.context import make_context
from tests.browser import chromium, serve

SENTINEL_CHECK: LiteralString = """
OPTIONAL MATCH (s:TestSentinel) WITH count(s) AS sentinels
OPTIONAL MATCH (n) WHERE NOT n:TestSentinel
RETURN sentinels, count(n) AS others
"""
WIPE: LiteralString = """
MATCH (n) WHERE NOT n:TestSentinel AND NOT n:SchemaVersion
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""


# CREDITHUB_TEST_ROUTING=1 (`make test` runs the `routed` tests so, a second time): the suite
# reaches the embedded test instance through the routing driver (neo4j://), as the hub reaches a
# cluster: routing table, execute_read to readers, writes to the leader, bookmarks.
ROUTING = bool(os.environ.get("CREDITHUB_TEST_ROUTING"))
EXTERNAL = bool(os.environ.get("NEO4J_URI") or os.environ.get("CREDITHUB_NEO4J_URI"))


@pytest.fixture(scope="session")
def settings() -> Settings:
    base = load_settings(tx_timeout=30.0, warmup_seconds=0)
    if ROUTING and not EXTERNAL:
        local = EmbeddedNeo4j(base, "test")
        return base.model_copy(
            update={
                "neo4j_uri": local.uri.replace("bolt://", "neo4j://", 1),
                "neo4j_password": SecretStr(local.password),
            }
        )
    return base


@pytest.fixture(scope="session")
async def store(settings: Settings) -> AsyncIterator[Store]:
    if not EXTERNAL:
        local = EmbeddedNeo4j(settings, "test")
        if not local.installed:
            pytest.exit("Neo4j is not installed: run `make test` (or credit-hub db install)", 2)
        local.start()
    driver = open_driver(settings, "test")
    await driver.verify_connectivity()
    test_store = Store(driver, settings)
    async with driver.session(database=test_store.database) as session:
        record = await (await session.run(SENTINEL_CHECK)).single()
        assert record is not None
        if (
            record["sentinels"] == 0
            and record["others"] > 0
            and not os.environ.get("CREDITHUB_TEST_ALLOW_WIPE")
        ):
            pytest.exit(
                "refusing to wipe a database this test suite did not create "
                f"({record['others']} nodes, no TestSentinel)",
                2,
            )
        await (await session.run("MERGE (:TestSentinel {id: 'credithub-tests'})")).consume()
    await migrate(test_store)
    yield test_store
    await driver.close()


@pytest.fixture
async def graph(store: Store) -> Store:
    """An empty graph with the reference data (departments, measure catalogue) loaded."""
    async with store.driver.session(database=store.database) as session:
        await (await session.run(WIPE)).consume()
    await reload_reference_data(store)
    store.reference_cache.clear()
    return store


async def load(
    store: Store, lines: list[Any], department: str = "AMR", actor: Actor = SYSTEM
) -> ImportReport:
    """Import records (dicts or raw strings/bytes) as one upload."""
    import orjson

    raw = [
        line
        if isinstance(line, bytes)
        else line.encode()
        if isinstance(line, str)
        else orjson.dumps(line)
        for line in lines
    ]
    return await run_import(store, raw, actor=actor, department=department)


TEST_ADMIN = Actor(Role.ADMIN, key_id="test-admin")


class GQL:
    """Runs operations against the schema as a given caller."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.schema = build_schema(settings)

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        actor: Actor = TEST_ADMIN,
    ) -> Any:
        context = make_context(self.store, self.settings, actor, "test-request")
        return await self.schema.execute(query, variable_values=variables, context_value=context)

    async def ok(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        actor: Actor = TEST_ADMIN,
    ) -> Any:
        result = await self(query, variables, actor)
        assert result.errors is None, result.errors
        return result.data


@pytest.fixture
def gql(graph: Store, settings: Settings) -> GQL:
    return GQL(graph, settings)


@pytest.fixture
async def client(graph: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its lifespan over ASGI (tests of the HTTP layer); a test module that
    needs another client address or settings defines its own."""
    app = create_app(settings, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            yield http


async def key_headers(store: Store, role: Role, department: str | None = None) -> dict[str, str]:
    """The Authorization header of a new API key of ``role``."""
    _, value = await create_key(store, role, department, "test")
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
async def base(graph: Store, settings: Settings) -> AsyncIterator[str]:
    """The hub served on a free loopback port (tests/browser.py serve), for the browser tests."""
    async with serve(settings) as url:
        yield url


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium under Playwright (tests/browser.py chromium)."""
    async with chromium() as found:
        yield found
