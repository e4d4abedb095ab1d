"""The client's ``requestId`` of a lifecycle mutation: a retried request returns the first
answer and changes nothing (hub/store/client_requests.py, docs/lifecycle.md)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec

import orjson
from neo4j import AsyncManagedTransaction

from hub.errors import InvalidInput
from hub.policy import acts_for_every_department
from hub.store import client_requests
from hub.store.client_requests import ClientRequest
from resolvers.context import HubContext

P = ParamSpec("P")
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


def client_request(
    ctx: HubContext, request_id: str | None, operation: str, *arguments: Any
) -> ClientRequest | None:
    """The request's identity: scoped to the caller's key, fingerprinted with its arguments
    as given (a default date is not part of it: a retry the next day is the same request)."""
    if request_id is None:
        return None
    given = request_id.strip()
    if not REQUEST_ID.fullmatch(given):
        raise InvalidInput(
            "requestId must be 1 to 100 letters, digits or . _ : - (starting with a letter or "
            "digit)",
            field="requestId",
        )
    body = orjson.dumps([operation, *arguments], default=str, option=orjson.OPT_SORT_KEYS)
    return ClientRequest(
        id=f"{ctx.actor.key_id or 'anonymous'}:{given}",
        request_id=given,
        operation=operation,
        fingerprint=hashlib.sha256(body).hexdigest(),
    )


async def write_once(
    ctx: HubContext,
    request: ClientRequest | None,
    answer: str | None,
    work: Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[str | None]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> str | None:
    """``work`` in one write transaction, once per ``request``; the id it (or ``answer``)
    names, the first time's on a retry."""
    department = "ADMIN" if acts_for_every_department(ctx.actor) else ctx.actor.department
    return await ctx.store.write(
        client_requests.once, request, department, answer, work, *args, **kwargs
    )
