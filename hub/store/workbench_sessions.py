"""Cypher of workbench sessions: stored as the SHA-256 of the session id (never the id), with
the key that signed in and the last use. Read with their key, so a revoked key's session is
refused at once; an idle one (last use before ``$cutoff``) is refused and removed."""

from __future__ import annotations

import datetime as dt
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from hub.auth import Actor, Role

CREATE: LiteralString = """
MATCH (k:ApiKey {id: $keyId})
WHERE k.revokedAt IS NULL
CREATE (s:WorkbenchSession {hash: $hash, keyId: k.id, startedAt: $now, lastSeen: $now,
                            recordedAt: $now, sourceDepartment: 'SYSTEM', batch: 'sessions'})
RETURN s.hash AS hash
"""

# The session and its key in one statement; an idle session is removed, a live one touched.
TOUCH: LiteralString = """
MATCH (s:WorkbenchSession {hash: $hash})
OPTIONAL MATCH (k:ApiKey {id: s.keyId})
WITH s, k, s.lastSeen >= $cutoff AND k IS NOT NULL AND k.revokedAt IS NULL AS live
CALL (s, live) {
  WITH s, live WHERE live
  SET s.lastSeen = $now
}
CALL (s, live) {
  WITH s, live WHERE NOT live
  DETACH DELETE s
}
RETURN CASE WHEN live THEN k {.id, .role, .department, .name} END AS key
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


async def touch(
    tx: AsyncManagedTransaction, session_hash: str, now: dt.datetime, cutoff: dt.datetime
) -> Actor | None:
    params = {"hash": session_hash, "now": now, "cutoff": cutoff}
    record = await (await tx.run(TOUCH, params)).single()
    if record is None or record["key"] is None:
        return None
    key = record["key"]
    return Actor(Role(key["role"]), key["id"], key["department"], key["name"])


async def end(tx: AsyncManagedTransaction, session_hash: str) -> None:
    await (await tx.run(END, {"hash": session_hash})).consume()


async def sweep(tx: AsyncManagedTransaction, cutoff: dt.datetime, limit: int = 1000) -> int:
    record = await (await tx.run(SWEEP, {"cutoff": cutoff, "limit": limit})).single()
    return int(record["removed"]) if record else 0
