"""Request bodies are bounded (CREDITHUB_MAX_REQUEST_BYTES, CREDITHUB_MAX_IMPORT_BYTES for
uploads: /api/import, the workbench's department desk and batch check files): a declared
Content-Length over the limit is refused before anything else runs, and a body that grows past
it while read is refused as soon as it does (413)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from hub.app_state import hub_of
from hub.middleware.answers import json_error
from hub.middleware.http_only import HttpMiddleware

# Paths whose bodies are uploads (CREDITHUB_MAX_IMPORT_BYTES).
UPLOAD_PATHS = ("/api/import", "/workbench/desk/upload", "/workbench/batch")


class BodyTooLarge(Exception):
    pass


class BodyLimit(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings = hub_of(scope).settings
        limit = (
            settings.max_import_bytes
            if scope["path"].startswith(UPLOAD_PATHS)
            else settings.max_request_bytes
        )
        too_large = f"request body larger than {limit} bytes"
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await json_error(413, "PAYLOAD_TOO_LARGE", too_large)(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited(receive, limit), tracking)
        except BodyTooLarge:
            if not started:
                await json_error(413, "PAYLOAD_TOO_LARGE", too_large)(scope, receive, send)


def limited(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises BodyTooLarge once more than ``limit`` body bytes came in."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped
