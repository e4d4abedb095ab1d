"""Cypher of the audit trail: an entry per request that read personal data unmasked, an entry
per API key created or revoked (with the key's id, role and department, never its token), and
pages of entries for ADMIN (newest first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.adapter import Runner
from hub.store.values import native

# MERGE on the entry's id: written as an auto-commit statement that the store may run again
# after a failure whose outcome it cannot know, one entry stays one.
WRITE_ENTRY: LiteralString = """
MERGE (a:AuditEntry {id: $id})
ON CREATE SET a += {at: $at, keyId: $keyId, role: $role, department: $department,
                    requestId: $requestId, operation: $operation, fields: $fields, what: $what,
                    subjects: $subjects, count: $count}
"""

# An API key created or revoked: who (keyId, role, department of the acting key), the change
# (fields: [createApiKey] or [revokeApiKey]) and the key changed (targetKey*).
WRITE_KEY_CHANGE: LiteralString = """
CREATE (a:AuditEntry {id: $id, at: $at, keyId: $keyId, role: $role, department: $department,
                      requestId: $requestId, operation: $operation, fields: $fields,
                      what: 'ApiKey', subjects: [], count: 0, targetKeyId: $targetKeyId,
                      targetRole: $targetRole, targetDepartment: $targetDepartment})
"""

# Newest first; the cursor is (at, id) of the last entry seen. The key filter finds the
# entries of what the key did and of what was done to it (its creation and revocation).
PAGE: LiteralString = """
MATCH (a:AuditEntry)
WHERE ($keyId IS NULL OR a.keyId = $keyId OR a.targetKeyId = $keyId)
  AND ($subject IS NULL OR $subject IN a.subjects)
  AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id < $afterId))
RETURN a {.*} AS a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


async def write_entry(tx: Runner, entry: dict[str, Any]) -> None:
    result = await tx.run(WRITE_ENTRY, entry)
    await result.consume()


async def write_key_change(
    tx: AsyncManagedTransaction,
    entry: dict[str, Any],
    key_id: str,
    role: str,
    department: str | None,
) -> None:
    """``entry``: id, at, keyId, role, department, requestId, operation, fields (the acting key
    and request); the changed key's id, role and department are stored beside them."""
    params = {**entry, "targetKeyId": key_id, "targetRole": role, "targetDepartment": department}
    await (await tx.run(WRITE_KEY_CHANGE, params)).consume()


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An entry of the audit trail as ``PAGE`` reads it (``a {.*}``): who read or changed
    what; a key change names the key it created or revoked (``target_*``)."""

    id: str
    at: dt.datetime
    key_id: str
    role: str | None = None
    department: str | None = None
    request_id: str | None = None
    operation: str | None = None
    fields: tuple[str, ...] = ()
    what: str | None = None
    subjects: tuple[str, ...] = ()
    count: int | None = None
    target_key_id: str | None = None
    target_role: str | None = None
    target_department: str | None = None


def audit_row(row: Mapping[str, Any]) -> AuditRow:
    """The store's map of an audit entry as an ``AuditRow``."""
    get = row.get
    return AuditRow(
        id=str(row["id"]),
        at=row["at"],
        key_id=str(row["keyId"]),
        role=get("role"),
        department=get("department"),
        request_id=get("requestId"),
        operation=get("operation"),
        fields=tuple(get("fields") or ()),
        what=get("what"),
        subjects=tuple(get("subjects") or ()),
        count=get("count"),
        target_key_id=get("targetKeyId"),
        target_role=get("targetRole"),
        target_department=get("targetDepartment"),
    )


async def page(
    tx: AsyncManagedTransaction,
    limit: int,
    after: tuple[dt.datetime, str] | None,
    key_id: str | None,
    subject: str | None,
) -> list[AuditRow]:
    after_at, after_id = after if after else (None, None)
    params = {
        "limit": limit,
        "afterAt": after_at,
        "afterId": after_id,
        "keyId": key_id,
        "subject": subject,
    }
    result = await tx.run(PAGE, params)
    return [audit_row(native(r["a"])) for r in await result.fetch(limit)]
