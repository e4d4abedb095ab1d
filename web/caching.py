"""ETag and Cache-Control for what anyone may cache: public pages, PUBLIC GraphQL GETs, assets.

The ETag of a page or a GraphQL answer is a hash of its body, so whatever changes what a page
shows (an upload, a listing, its ending or repair) changes its ETag at once; ``no-cache`` lets
a browser or a CDN keep a copy but makes it ask again each time (If-None-Match), and the hub
answers 304 without the body when nothing changed. Assets live at versioned paths and are kept
for a year. An answer that already says how to cache it (e.g. no-store on personal data) keeps
its own Cache-Control and gets no ETag. docs/site.md says what a CDN may cache.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.auth import Role

PAGE = "public, no-cache"
ASSET = "public, max-age=31536000, immutable"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    given = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return etag in given or "*" in given


def page(request: Request, html: str, status: int = 200) -> Response:
    """A rendered public page with its ETag; 304 when the client already has it."""
    body = html.encode()
    if status != 200:
        return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-cache"})
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": PAGE, "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(body, headers=headers)


class PublicGetCache:
    """Around the GraphQL endpoint: a PUBLIC GET answered 200 without errors gets an ETag and
    ``no-cache`` (and 304 on a matching If-None-Match); everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        actor = scope.get("state", {}).get("actor")
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or actor is None
            or actor.role != Role.PUBLIC
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffering(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None  # noqa: S101 - ASGI sends the start first
            body = b"".join(chunks)
            headers = MutableHeaders(raw=list(start["headers"]))
            if start["status"] != 200 or "cache-control" in headers or b'"errors"' in body:
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            etag = etag_of(body)
            headers["ETag"] = etag
            headers["Cache-Control"] = PAGE
            if _matches(Headers(scope=scope).get("if-none-match"), etag):
                del headers["content-length"]
                del headers["content-type"]
                await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffering)


class LongLived:
    """Around a static mount whose paths change with their content: kept for a year."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def marking(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = ASSET
            await send(message)

        await self.app(scope, receive, marking)
