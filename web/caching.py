"""ETag and Cache-Control for what anyone may cache: public pages, PUBLIC GraphQL GETs, assets.

A public page's ETag is a hash of what it is rendered from: the front end's version (its
templates, static files and pinned packages: web/render.py ``version``), the template's name
and the page's data — the API's answer and the page's own parameters. Whatever changes what a
page shows (an upload, a listing, its ending or repair) changes that data and so its ETag at
once, and a matching If-None-Match is answered 304 before the page is rendered. A PUBLIC
GraphQL GET's ETag is a hash of its body. ``no-cache`` lets a browser or a CDN keep a copy but
makes it ask again each time. Assets live at versioned paths and are kept for a year. An
answer that already says how to cache it (e.g. no-store on personal data) keeps its own
Cache-Control and gets no ETag. docs/site.md says what a CDN may cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable
from typing import Any

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.auth import Role

PAGE = "public, no-cache"
ASSET = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    given = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return etag in given or "*" in given


def etag_of_data(version: bytes, name: str, data: dict[str, Any]) -> str:
    """The ETag of template ``name`` of a front end at ``version`` rendered from ``data``
    (JSON values: an API answer and the page's parameters), without rendering it."""
    digest = hashlib.sha256(version)
    digest.update(name.encode() + b"\0")
    digest.update(orjson.dumps(data))
    return '"' + digest.hexdigest()[:32] + '"'


def headers_of(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": PAGE, "Vary": "Accept-Encoding"}


def not_modified(request: Request, etag: str) -> Response | None:
    """304 when the client already holds ``etag``, else None (render the page)."""
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers_of(etag))
    return None


def page(html: str, status: int = 200, etag: str | None = None) -> Response:
    """A rendered page: with its ETag (``etag_of_data``) when it is a public 200 answer;
    ``no-cache`` without an ETag for other statuses; ``private, no-store`` when ``etag`` is
    None for a 200 (personal data, a verification code)."""
    if status != 200:
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-cache"})
    if etag is None:
        return HTMLResponse(html, headers={"Cache-Control": PRIVATE})
    return HTMLResponse(html, headers=headers_of(etag))


class PublicGetCache:
    """Around the GraphQL endpoint: a PUBLIC GET answered 200 without errors gets an ETag and
    ``no-cache`` (and 304 on a matching If-None-Match); everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine of its own: what passes untouched (every POST, every keyed caller)
        # is the inner app's coroutine, with no frame of this one around it.
        actor = scope.get("state", {}).get("actor")
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or actor is None
            or actor.role != Role.PUBLIC
        ):
            return self.app(scope, receive, send)
        return self._cached(scope, receive, send)

    async def _cached(self, scope: Scope, receive: Receive, send: Send) -> None:
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
