"""Who is calling: no Authorization header is PUBLIC; one `Bearer <token>` of a known, unrevoked
key is that key's actor; anything else is 401 (never silently PUBLIC). The actor and the caller
the rate limits count against (the key id, or "ip:<address>" for PUBLIC) go into the scope."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from hub.app_state import hub_of
from hub.auth import PUBLIC, bearer_token
from hub.errors import HubError
from hub.middleware.answers import json_error
from hub.middleware.http_only import HttpMiddleware


class Authentication(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        actor = PUBLIC
        given = Headers(scope=scope).getlist("authorization")
        token = bearer_token(given[0]) if len(given) == 1 else None
        if given and token is None:
            # Present but empty, blank, malformed or sent twice: never silently PUBLIC.
            message = (
                "send one Authorization header"
                if len(given) > 1
                else "use Authorization: Bearer <token>"
            )
            await json_error(401, "UNAUTHENTICATED", message)(scope, receive, send)
            return
        if token is not None:
            hub = hub_of(scope)
            try:
                found = await hub.keys.actor(hub.store, token)
            except HubError as error:
                await json_error(503, error.code, error.message)(scope, receive, send)
                return
            if found is None:
                response = json_error(401, "UNAUTHENTICATED", "unknown or revoked API key")
                await response(scope, receive, send)
                return
            actor = found
        scope["state"]["actor"] = actor
        client = scope.get("client")
        scope["state"]["caller"] = actor.key_id or f"ip:{client[0] if client else '-'}"
        await self.app(scope, receive, send)
