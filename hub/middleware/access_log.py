"""One line per request: method, path (never the query string, which may hold identifiers),
status, duration, request id and API key id (replaces uvicorn's access log, which had neither)."""

from __future__ import annotations

import logging
import time
import urllib.parse

from starlette.types import Message, Receive, Scope, Send

from hub.middleware.http_only import HttpMiddleware

access = logging.getLogger("credithub.access")


class AccessLog(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        began = time.perf_counter()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            if access.isEnabledFor(logging.INFO):
                state = scope.get("state", {})
                actor = state.get("actor")
                access.info(
                    "%s %s %d %.1fms request_id=%s key=%s",
                    scope["method"],
                    urllib.parse.quote(scope["path"]),  # decoded by the server: %0A is a newline
                    status,
                    (time.perf_counter() - began) * 1000,
                    state.get("request_id", "-"),
                    (actor.key_id if actor is not None else None) or "-",
                )
