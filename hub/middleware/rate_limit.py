"""Requests per caller (CREDITHUB_RATE_LIMIT_PER_SECOND, _BURST) on the API routes: over the
limit a request is answered 429 with Retry-After before anything runs."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from hub.app_state import hub_of
from hub.middleware.answers import json_error
from hub.middleware.http_only import HttpMiddleware
from hub.ratelimit import retry_after

LIMITED_PATHS = ("/graphql", "/api/import")


class RateLimit(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] in LIMITED_PATHS:
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
