"""API keys: created by the CLI (token shown once), looked up by the hash of the bearer token."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role, hash_token, new_key
from hub.errors import InvalidInput
from hub.store import Store

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


async def _create(
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


async def create_key(
    store: Store, role: Role, department: str | None, name: str | None = None
) -> tuple[str, str]:
    if role == Role.DEPARTMENT and not department:
        raise InvalidInput("a DEPARTMENT key needs --department", field="department")
    key = new_key()
    await store.write(_create, key.key_id, key.token_hash, role.value, department, name)
    return key.key_id, key.token


async def _revoke(tx: AsyncManagedTransaction, key_id: str) -> str:
    record = await (await tx.run(REVOKE_KEY, {"id": key_id})).single()
    if record is None:
        raise InvalidInput(f"key {key_id} does not exist", field="id")
    return str(record["revokedAt"])


async def revoke_key(store: Store, key_id: str) -> str:
    """Revokes a key (kept, with the time; revoking again keeps the first time). Hub processes
    stop accepting it within their key cache's ttl (30 s)."""
    revoked: str = await store.write(_revoke, key_id)
    return revoked


async def _find(tx: AsyncManagedTransaction, token_hash: str) -> Actor | None:
    record = await (await tx.run(FIND_KEY, {"hash": token_hash})).single()
    if record is None:
        return None
    return Actor(Role(record["role"]), record["id"], record["department"], record["name"])


@dataclass
class KeyCache:
    """Token-hash -> actor, for ``ttl`` seconds (revocation takes effect within it)."""

    ttl: float = 30.0

    def __post_init__(self) -> None:
        self._entries: dict[str, tuple[float, Actor | None]] = {}

    async def actor(self, store: Store, token: str) -> Actor | None:
        token_hash = hash_token(token)
        now = time.monotonic()
        hit = self._entries.get(token_hash)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        actor = await store.read(_find, token_hash)
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[token_hash] = (now, actor)
        return actor
