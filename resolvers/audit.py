"""The audit trail of unmasked personal-data reads (who, what, when)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, LiteralString

from neo4j import AsyncManagedTransaction

if TYPE_CHECKING:
    from resolvers.context import HubContext

WRITE_ENTRY: LiteralString = """
CREATE (a:AuditEntry {id: $id, at: $at, keyId: $keyId, role: $role, department: $department,
                      requestId: $requestId, operation: $operation, fields: $fields, what: $what,
                      subjects: $subjects, count: $count})
"""

# Newest first; the cursor is (at, id) of the last entry seen.
PAGE: LiteralString = """
MATCH (a:AuditEntry)
WHERE ($keyId IS NULL OR a.keyId = $keyId)
  AND ($subject IS NULL OR $subject IN a.subjects)
  AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id < $afterId))
RETURN a {.*} AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""

MAX_SUBJECTS = 1000


async def _write(tx: AsyncManagedTransaction, entry: dict[str, Any]) -> None:
    await tx.run(WRITE_ENTRY, entry)


async def record_reads(
    ctx: HubContext, operation: str | None, what: str = "Person", fields: list[str] | None = None
) -> None:
    subjects = sorted({key for _, key in ctx.audited})
    ctx.audited.clear()
    entry = {
        "id": "audit-" + uuid.uuid4().hex,
        "at": dt.datetime.now(dt.UTC),
        "keyId": ctx.actor.key_id or "anonymous",
        "role": ctx.actor.role.value,
        "department": ctx.actor.department,
        "requestId": ctx.request_id,
        "operation": operation or "anonymous",
        "fields": fields or [],
        "what": what,
        "subjects": subjects[:MAX_SUBJECTS],
        "count": len(subjects),
    }
    await ctx.store.write(_write, entry)


async def page(
    tx: AsyncManagedTransaction,
    limit: int,
    after: tuple[dt.datetime, str] | None,
    key_id: str | None,
    subject: str | None,
) -> list[dict[str, Any]]:
    from hub.store.values import native

    after_at, after_id = after if after else (None, None)
    params = {
        "limit": limit,
        "afterAt": after_at,
        "afterId": after_id,
        "keyId": key_id,
        "subject": subject,
    }
    result = await tx.run(PAGE, params)
    return [native(r["a"]) for r in await result.fetch(limit)]
