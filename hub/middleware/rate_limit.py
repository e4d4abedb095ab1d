"""Requests per caller (CREDITHUB_RATE_LIMIT_PER_SECOND, _BURST) on the API routes and the
pages of the public site and the workbench (each runs GraphQL in-process): over the limit a
request is answered 429 with Retry-After before anything runs. Assets, health and readiness are
not counted."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from hub.app_state import hub_of
from hub.middleware.answers import json_error
from hub.middleware.http_only import HttpMiddleware
from hub.ratelimit import retry_after

LIMITED_PATHS = ("/graphql", "/api/import", "/", "/search", "/verify", "/reports")
LIMITED_PREFIXES = ("/subjects/", "/lists/", "/reports/", "/workbench/")


class RateLimit(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if path in LIMITED_PATHS or path.startswith(LIMITED_PREFIXES):
            wait = hub_of(scope).limiter.acquire(scope["state"]["caller"])
            if wait > 0:
                response = json_error(
                    429,
                    "RATE_LIMITED",
                    "too many requests for this key; slow down",
                    headers={"Retry-After": retry_after(wait)},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
