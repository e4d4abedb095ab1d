"""One line per request: method, path (never the query string, which may hold identifiers),
status, duration, request id and API key id (replaces uvicorn's access log, which had neither)."""

from __future__ import annotations

import logging
import time
import urllib.parse

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access = logging.getLogger("credithub.access")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
