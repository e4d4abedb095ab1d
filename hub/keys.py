"""API keys: created by the CLI or an ADMIN through the API (token shown once), looked up by the
hash of the bearer token (their Cypher: hub/store/api_keys.py). Creating and revoking a key is
written to the audit trail with who did it (the acting key; ``SYSTEM`` for the command line),
the key's id, role and department, never its token."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from typing import Any

from hub.auth import SYSTEM, Actor, Role, hash_token, new_key
from hub.errors import InvalidInput, NotFound
from hub.store import Store
from hub.store.api_keys import KeyRow, find_actor, insert_key, key_by_id, list_keys, revoke

MAX_KEYS_LISTED = 1000


def key_change(actor: Actor, request_id: str, operation: str, change: str) -> dict[str, Any]:
    """The audit entry of a key change by ``actor`` (``change``: createApiKey, revokeApiKey)."""
    return {
        "id": "audit-" + uuid.uuid4().hex,
        "at": dt.datetime.now(dt.UTC),
        "keyId": actor.key_id or "anonymous",
        "role": actor.role.value,
        "department": actor.department,
        "requestId": request_id,
        "operation": operation,
        "fields": [change],
    }


def _cli_request() -> str:
    return "cli-" + uuid.uuid4().hex[:16]


async def create_key(
    store: Store,
    role: Role,
    department: str | None,
    name: str | None = None,
    by: Actor = SYSTEM,
    request_id: str | None = None,
    operation: str = "credit-hub keys create",
) -> tuple[str, str]:
    """A new key (its id and token) created by ``by`` (the command line unless an ADMIN's key
    is given), audited in the same transaction."""
    if role == Role.PUBLIC:
        raise InvalidInput("PUBLIC needs no key", field="role")
    if role == Role.DEPARTMENT and not department:
        raise InvalidInput("a DEPARTMENT key needs a department", field="department")
    key = new_key()
    audit = key_change(by, request_id or _cli_request(), operation, "createApiKey")
    await store.write(insert_key, key.key_id, key.token_hash, role.value, department, name, audit)
    return key.key_id, key.token


async def revoke_key(
    store: Store,
    key_id: str,
    by: Actor = SYSTEM,
    request_id: str | None = None,
    operation: str = "credit-hub keys revoke",
) -> str:
    """Revokes a key (kept, with the time; revoking again keeps the first time), audited in the
    same transaction. Hub processes stop accepting it within their key cache's ttl (30 s)."""
    audit = key_change(by, request_id or _cli_request(), operation, "revokeApiKey")
    revoked: str = await store.write(revoke, key_id, audit)
    return revoked


async def keys(store: Store, revoked: bool = True) -> list[KeyRow]:
    """The keys (id, role, department, name, createdAt, revokedAt), newest first, at most
    MAX_KEYS_LISTED; never a token or its hash."""
    found: list[KeyRow] = await store.read(list_keys, revoked, MAX_KEYS_LISTED)
    return found


async def key(store: Store, key_id: str) -> KeyRow:
    found: KeyRow | None = await store.read(key_by_id, key_id)
    if found is None:
        raise NotFound(f"key {key_id} does not exist")
    return found


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
        actor = await store.read(find_actor, token_hash)
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[token_hash] = (now, actor)
        return actor
