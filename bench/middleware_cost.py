"""CPU per request of the hub's HTTP middleware alone, in process (no server, no Neo4j).

A loop of PUBLIC POST /graphql requests through the middleware stack around a handler that
answers at once; prints the CPU time per request of five runs of 20,000. Runs against whichever
tree ``hub`` is imported from, so two versions can be compared:

    .venv/bin/python bench/middleware_cost.py
    PYTHONPATH=/tmp/before .venv/bin/python bench/middleware_cost.py

A tree without hub/middleware/ (before issue 15) is measured through its one CallerMiddleware.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import hub
from hub.ratelimit import RateLimiter
from hub.settings import Settings

BODY = b'{"query":"{ __typename }"}'
HEADERS = [
    (b"host", b"hub"),
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"user-agent", b"bench"),
    (b"accept", b"*/*"),
]


async def _handler(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def _stack() -> Any:
    """The middleware of the tree ``hub`` comes from (asked of the tree itself: the editable
    install would otherwise supply hub.middleware from this checkout)."""
    if not (Path(hub.__file__).parent / "middleware").is_dir():  # before hub/middleware/
        return importlib.import_module("hub.app").CallerMiddleware(_handler)
    from hub.middleware.access_log import AccessLog
    from hub.middleware.authentication import Authentication
    from hub.middleware.body_limit import BodyLimit
    from hub.middleware.rate_limit import RateLimit
    from hub.middleware.request_id import RequestId

    return AccessLog(RequestId(BodyLimit(Authentication(RateLimit(_handler)))))


async def main() -> None:
    state = SimpleNamespace(settings=Settings(), limiter=RateLimiter(0, 0))
    app_state = SimpleNamespace(state=SimpleNamespace(hub=state))
    app = _stack()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    def scope() -> dict[str, Any]:
        return {
            "type": "http",
            "method": "POST",
            "path": "/graphql",
            "headers": HEADERS,
            "client": ("127.0.0.1", 1),
            "app": app_state,
            "query_string": b"",
        }

    for _ in range(2000):
        await app(scope(), receive, send)
    runs = []
    for _ in range(5):
        began = time.process_time()
        for _ in range(20_000):
            await app(scope(), receive, send)
        runs.append((time.process_time() - began) / 20_000 * 1e6)
    print(
        f"{hub.__file__}, {type(app).__name__}: " + " ".join(f"{r:.1f}" for r in runs),
        f"µs CPU per request, best {min(runs):.1f}",
    )


if __name__ == "__main__":
    asyncio.run(main())
