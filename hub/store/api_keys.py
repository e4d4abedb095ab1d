"""Cypher of API keys: stored as the hash of their token, never the token; revoked, never
deleted. Creating and revoking a key writes its audit entry (hub/store/audit_log.py:
``write_key_change``) in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role
from hub.errors import InvalidInput
from hub.store.audit_log import write_key_change
from hub.store.values import native

CREATE_KEY: LiteralString = """
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, department: $department, name: $name,
                  createdAt: datetime(), recordedAt: datetime(), sourceDepartment: 'SYSTEM',
                  batch: 'keys'})
"""

FIND_KEY: LiteralString = """
MATCH (k:ApiKey {hash: $hash})
WHERE k.revokedAt IS NULL
RETURN k.id AS id, k.role AS role, k.department AS department, k.name AS name
"""

REVOKE_KEY: LiteralString = """
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN k.revokedAt AS revokedAt, k.role AS role, k.department AS department
"""

# The keys for ADMIN (never their hash), newest first; a county has tens of keys, not thousands.
LIST_KEYS: LiteralString = """
MATCH (k:ApiKey)
WHERE $revoked OR k.revokedAt IS NULL
RETURN k {.id, .role, .department, .name, .createdAt, .revokedAt} AS key
ORDER BY k.createdAt DESC, k.id
LIMIT $limit
"""

KEY_BY_ID: LiteralString = """
MATCH (k:ApiKey {id: $id})
RETURN k {.id, .role, .department, .name, .createdAt, .revokedAt} AS key
"""

DEPARTMENT_EXISTS: LiteralString = "MATCH (d:Department {code: $code}) RETURN d.code AS code"
KNOWN_DEPARTMENTS: LiteralString = "MATCH (d:Department) RETURN d.code AS code ORDER BY code"


async def insert_key(
    tx: AsyncManagedTransaction,
    key_id: str,
    token_hash: str,
    role: str,
    department: str | None,
    name: str | None,
    audit: dict[str, Any],
) -> None:
    """Stores the key and the audit entry of its creation (``audit``: who, when, the request;
    the key's id, role and department are added here)."""
    if department is not None:
        found = await (await tx.run(DEPARTMENT_EXISTS, {"code": department})).single()
        if found is None:
            known = [r["code"] async for r in await tx.run(KNOWN_DEPARTMENTS)]
            raise InvalidInput(
                f"unknown department {department!r}; known departments: {', '.join(known)}",
                field="department",
            )
    await tx.run(
        CREATE_KEY,
        {"id": key_id, "hash": token_hash, "role": role, "department": department, "name": name},
    )
    await write_key_change(tx, audit, key_id, role, department)


async def revoke(tx: AsyncManagedTransaction, key_id: str, audit: dict[str, Any]) -> str:
    """Revokes the key and writes the audit entry of the revocation (also when it was revoked
    before: the attempt is an administrator's act too)."""
    record = await (await tx.run(REVOKE_KEY, {"id": key_id})).single()
    if record is None:
        raise InvalidInput(f"key {key_id} does not exist", field="id")
    await write_key_change(tx, audit, key_id, record["role"], record["department"])
    return str(record["revokedAt"])


async def find_actor(tx: AsyncManagedTransaction, token_hash: str) -> Actor | None:
    record = await (await tx.run(FIND_KEY, {"hash": token_hash})).single()
    if record is None:
        return None
    return Actor(Role(record["role"]), record["id"], record["department"], record["name"])


@dataclass(frozen=True, slots=True)
class KeyRow:
    """An API key as ``LIST_KEYS`` and ``KEY_BY_ID`` read it: never its token or its hash."""

    id: str
    role: str
    department: str | None = None
    name: str | None = None
    created_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


def key_row(row: Mapping[str, Any]) -> KeyRow:
    """The store's map of a key (``k {.id, .role, …}``) as a ``KeyRow``."""
    get = row.get
    return KeyRow(
        id=str(row["id"]),
        role=str(row["role"]),
        department=get("department"),
        name=get("name"),
        created_at=get("createdAt"),
        revoked_at=get("revokedAt"),
    )


async def list_keys(tx: AsyncManagedTransaction, revoked: bool, limit: int) -> list[KeyRow]:
    result = await tx.run(LIST_KEYS, {"revoked": revoked, "limit": limit})
    return [key_row(native(r["key"])) for r in await result.fetch(limit)]


async def key_by_id(tx: AsyncManagedTransaction, key_id: str) -> KeyRow | None:
    record = await (await tx.run(KEY_BY_ID, {"id": key_id})).single()
    return key_row(native(record["key"])) if record else None
