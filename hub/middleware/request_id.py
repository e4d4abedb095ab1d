"""Every request gets an id (the caller's X-Request-Id if it is plain, else a new one): in the
logs, in the answer's X-Request-Id header and in error answers. An unexpected error before the
answer started is a JSON 500 with that id (Starlette's own would be plain text without it)."""

from __future__ import annotations

import logging
import re
import uuid

from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from hub.middleware.answers import json_error
from hub.middleware.http_only import HttpMiddleware

log = logging.getLogger("credithub.http")
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestId(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = Headers(scope=scope).get("x-request-id") or ""
        if not REQUEST_ID.fullmatch(request_id):  # it goes into logs and error answers
            request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected error request_id=%s", request_id)
            if started:
                raise
            response = json_error(500, "INTERNAL", "Internal error.", {"requestId": request_id})
            await response(scope, receive, send_with_id)
