"""Idempotent writes: a client's ``requestId`` makes a retried mutation return the first
answer and change nothing (docs/lifecycle.md).

``once`` claims ``(:ClientRequest {id})`` with ``MERGE`` in the same transaction as the work:
the key's unique constraint makes two concurrent requests with the same id wait for each
other, so exactly one does the work. A refused request rolls back with its claim, so its
retry is decided again (and refused again, changing nothing). The claim keeps a fingerprint of
the request: the same id with other arguments is a ``CONFLICT``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Concatenate, LiteralString, ParamSpec

from neo4j import AsyncManagedTransaction

from hub.errors import Conflict

P = ParamSpec("P")


@dataclass(frozen=True)
class ClientRequest:
    id: str  # the caller's key id + ':' + its requestId
    request_id: str  # as the client sent it (for messages)
    operation: str  # the mutation's name
    fingerprint: str  # of the operation and its arguments


CLAIM: LiteralString = """
MERGE (r:ClientRequest {id: $id})
ON CREATE SET r.fresh = true, r.operation = $operation, r.fingerprint = $fingerprint,
              r.at = datetime(), r.sourceDepartment = $department
WITH r, coalesce(r.fresh, false) AS fresh
REMOVE r.fresh
RETURN fresh, r.operation AS operation, r.fingerprint AS fingerprint, r.result AS result
"""

ANSWER: LiteralString = """
MATCH (r:ClientRequest {id: $id})
SET r.result = $result
"""


async def once(
    tx: AsyncManagedTransaction,
    request: ClientRequest | None,
    department: str | None,
    answer: str | None,
    work: Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[str | None]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> str | None:
    """Run ``work`` unless ``request`` was done before: then return its first answer (the id
    the work returned, else ``answer``) and write nothing."""
    if request is None:
        return await work(tx, *args, **kwargs) or answer
    result = await tx.run(
        CLAIM,
        {
            "id": request.id,
            "operation": request.operation,
            "fingerprint": request.fingerprint,
            "department": department,
        },
    )
    claim: Any = await result.single()
    if not claim["fresh"]:
        if claim["fingerprint"] != request.fingerprint:
            raise Conflict(
                f"requestId {request.request_id} was used for another request "
                f"({claim['operation']} with other arguments); use a new requestId",
                field="requestId",
            )
        first: str | None = claim["result"]
        return first
    done = await work(tx, *args, **kwargs) or answer
    await tx.run(ANSWER, {"id": request.id, "result": done})
    return done
