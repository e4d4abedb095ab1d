"""Cypher of API keys: stored as the hash of their token, never the token; revoked, never
deleted."""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role
from hub.errors import InvalidInput

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
RETURN k.revokedAt AS revokedAt
"""

DEPARTMENT_EXISTS: LiteralString = "MATCH (d:Department {code: $code}) RETURN d.code AS code"


async def insert_key(
    tx: AsyncManagedTransaction,
    key_id: str,
    token_hash: str,
    role: str,
    department: str | None,
    name: str | None,
) -> None:
    if department is not None:
        found = await (await tx.run(DEPARTMENT_EXISTS, {"code": department})).single()
        if found is None:
            raise InvalidInput(f"department {department} does not exist", field="department")
    await tx.run(
        CREATE_KEY,
        {"id": key_id, "hash": token_hash, "role": role, "department": department, "name": name},
    )


async def revoke(tx: AsyncManagedTransaction, key_id: str) -> str:
    record = await (await tx.run(REVOKE_KEY, {"id": key_id})).single()
    if record is None:
        raise InvalidInput(f"key {key_id} does not exist", field="id")
    return str(record["revokedAt"])


async def find_actor(tx: AsyncManagedTransaction, token_hash: str) -> Actor | None:
    record = await (await tx.run(FIND_KEY, {"hash": token_hash})).single()
    if record is None:
        return None
    return Actor(Role(record["role"]), record["id"], record["department"], record["name"])
