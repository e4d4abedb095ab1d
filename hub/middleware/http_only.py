"""The shape every middleware of the hub shares: it wraps an ASGI app and acts on HTTP requests
only (lifespan and other scopes pass through untouched)."""

from __future__ import annotations

from collections.abc import Awaitable

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine of its own: it hands back the one to await (the request's ``http``
        # or the inner app's), so the stack of seven middleware adds one coroutine frame each,
        # not two, to every suspension and resumption of a request (docs/architecture.md).
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        return self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
