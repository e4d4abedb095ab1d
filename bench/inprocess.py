"""The hub's app driven in this process (ASGI calls, no uvicorn) on the bench graph.

For the diagnostic scripts (bench/check_gc.py, bench/check_phases.py): the real app with
its own start-up (GC settings, caches), checks asked as the check benchmark asks them, and
nothing between the caller and the app but a function call.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import orjson

from bench.check_bench import QUERY, subjects_and_key
from bench.support import bench_instance
from hub.neo4j_local import connection
from hub.settings import Settings, load_settings
from hub.store import Store, open_driver

Check = Callable[[dict[str, Any]], Awaitable[bool]]


@asynccontextmanager
async def app_checks(subjects: int = 3000) -> AsyncIterator[tuple[Check, list[Any]]]:
    """(check, sampled subjects): ``await check(variables)`` asks one check of the app and
    says whether it answered 200. Needs the bench instance with the check graph."""
    bench = Settings()
    bench_instance(bench)
    conn = connection(bench, "bench")
    os.environ.update(NEO4J_URI=conn.uri, NEO4J_PASSWORD=conn.password)
    settings = load_settings(environment="production", rate_limit_per_second=0, warmup_seconds=0)
    driver = open_driver(settings)
    store = Store(driver, settings)
    sampled, token = await subjects_and_key(store, subjects)
    await driver.close()

    from hub.app import create_app

    app = create_app(settings)
    headers = [
        (b"content-type", b"application/json"),
        (b"authorization", b"Bearer " + token.encode()),
    ]

    async def check(variables: dict[str, Any]) -> bool:
        body = orjson.dumps({"query": QUERY, "variables": variables})
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
            "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
            "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "headers": [(b"host", b"hub"), *headers], "app": app,
        }  # fmt: skip
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return bool(sent) and sent[0]["status"] == 200

    async with app.router.lifespan_context(app):  # the hub's start-up: gc.freeze, thresholds
        yield check, sampled
