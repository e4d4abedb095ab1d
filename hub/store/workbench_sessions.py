"""Cypher of workbench sessions: stored as the SHA-256 of the session id (never the id), with
the key that signed in and the last use. Read with their key, so a revoked key's session is
refused at once; an idle one (last use before ``$cutoff``) is refused and removed. A request
reads its session (``look_up``, one auto-commit read); the last use is written (``touch``) only
when the stored one is older than the touch interval (hub/sessions.py), not on every request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role
from hub.store.adapter import Runner

CREATE: LiteralString = """
MATCH (k:ApiKey {id: $keyId})
WHERE k.revokedAt IS NULL
CREATE (s:WorkbenchSession {hash: $hash, keyId: k.id, startedAt: $now, lastSeen: $now,
                            recordedAt: $now, sourceDepartment: 'SYSTEM', batch: 'sessions'})
RETURN s.hash AS hash
"""

# The session and its key in one statement, nothing written.
LOOK_UP: LiteralString = """
MATCH (s:WorkbenchSession {hash: $hash})
OPTIONAL MATCH (k:ApiKey {id: s.keyId})
RETURN s.lastSeen AS lastSeen, k.revokedAt IS NULL AS unrevoked,
       k {.id, .role, .department, .name} AS key
"""

# The last use set to now, only while the session is still live (not ended meanwhile by a
# logout or its key's revocation, not idle past the cutoff).
TOUCH: LiteralString = """
MATCH (s:WorkbenchSession {hash: $hash})
WHERE s.lastSeen >= $cutoff
MATCH (k:ApiKey {id: s.keyId})
WHERE k.revokedAt IS NULL
SET s.lastSeen = $now
RETURN s.hash AS hash
"""

END: LiteralString = """
MATCH (s:WorkbenchSession {hash: $hash})
DETACH DELETE s
"""

# Sessions idle past the cutoff, a bounded number at a time (called at each sign-in).
SWEEP: LiteralString = """
MATCH (s:WorkbenchSession)
WHERE s.lastSeen < $cutoff
WITH s LIMIT $limit
DETACH DELETE s
RETURN count(*) AS removed
"""


async def create(
    tx: AsyncManagedTransaction, session_hash: str, key_id: str, now: dt.datetime
) -> bool:
    """False when the key is unknown or revoked (nothing is stored)."""
    record = await (
        await tx.run(CREATE, {"hash": session_hash, "keyId": key_id, "now": now})
    ).single()
    return record is not None


@dataclass(frozen=True)
class StoredSession:
    last_seen: dt.datetime
    actor: Actor | None  # None when the key is unknown or revoked


async def look_up(run: Runner, session_hash: str) -> StoredSession | None:
    """The stored session and its key's actor; None when there is no such session."""
    record = await (await run.run(LOOK_UP, {"hash": session_hash})).single()
    if record is None:
        return None
    key = record["key"]
    actor = None
    if key is not None and record["unrevoked"]:
        actor = Actor(Role(key["role"]), key["id"], key["department"], key["name"])
    return StoredSession(record["lastSeen"].to_native(), actor)


async def touch(
    tx: AsyncManagedTransaction, session_hash: str, now: dt.datetime, cutoff: dt.datetime
) -> bool:
    """Sets the last use; False when the session ended meanwhile (nothing written)."""
    params = {"hash": session_hash, "now": now, "cutoff": cutoff}
    return await (await tx.run(TOUCH, params)).single() is not None


async def end(tx: AsyncManagedTransaction, session_hash: str) -> None:
    await (await tx.run(END, {"hash": session_hash})).consume()


async def sweep(tx: AsyncManagedTransaction, cutoff: dt.datetime, limit: int = 1000) -> int:
    record = await (await tx.run(SWEEP, {"cutoff": cutoff, "limit": limit})).single()
    return int(record["removed"]) if record else 0
