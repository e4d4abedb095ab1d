"""Workbench sessions: a key's token is exchanged once for a session id kept in an HttpOnly
cookie; the hub stores only the id's SHA-256, the key id and the last use, in Neo4j (their
Cypher: hub/store/workbench_sessions.py), so every worker process of ``credit-hub serve
--workers N`` sees the same sessions and a logout or an idle end holds everywhere at once.

A session is read with its key on every request (no cache): a revoked key's session ends at its
next request, well within the key cache's 30 s. The read writes nothing; the last use is
written at most once per ``touch_interval`` (a minute, less for idle limits under four
minutes), so the idle end is exact to within that interval: a session can end up to one
interval sooner than ``CREDITHUB_WORKBENCH_IDLE_SECONDS`` after its last request, never later.
The CSRF token of a session's forms is derived
from the session id (``csrf_token``); only the browser holding the cookie can know it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from hub.auth import Actor, hash_token
from hub.settings import Settings
from hub.store import Store
from hub.store.workbench_sessions import create, end, look_up, sweep, touch


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(session_id: str) -> str:
    """The token the session's forms carry (not stored: derived from the secret id)."""
    return hashlib.sha256(b"csrf:" + session_id.encode()).hexdigest()


def csrf_matches(session_id: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(csrf_token(session_id), given)


TOUCH_INTERVAL = dt.timedelta(minutes=1)


def touch_interval(settings: Settings) -> dt.timedelta:
    """How old the stored last use may be before a request writes it again: a minute, or a
    quarter of the idle limit when that is shorter (a short limit in tests or demos)."""
    return min(TOUCH_INTERVAL, dt.timedelta(seconds=settings.workbench_idle_seconds / 4))


def needs_touch(last_seen: dt.datetime, now: dt.datetime, interval: dt.timedelta) -> bool:
    return now - last_seen >= interval


def _cutoff(settings: Settings, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.workbench_idle_seconds)


async def start_session(store: Store, settings: Settings, actor: Actor) -> str | None:
    """A new session for ``actor``'s key (None when the key was revoked meanwhile); sessions
    idle past the limit are swept first, a thousand at most."""
    if actor.key_id is None:
        return None
    now = settings.clock.now()
    await store.write(sweep, _cutoff(settings, now))
    session_id = new_session_id()
    stored = await store.write(create, hash_token(session_id), actor.key_id, now)
    return session_id if stored else None


async def session_actor(store: Store, settings: Settings, session_id: str) -> Actor | None:
    """The key's actor of a live session; None when the session is unknown, ended, idle past
    ``CREDITHUB_WORKBENCH_IDLE_SECONDS`` (then it is removed) or its key revoked (removed too).
    The last use is set to now when the stored one is a ``touch_interval`` old or older."""
    now = settings.clock.now()
    session_hash = hash_token(session_id)
    stored = await store.read_statements(look_up, session_hash)
    if stored is None:
        return None
    cutoff = _cutoff(settings, now)
    if stored.actor is None or stored.last_seen < cutoff:
        await store.write(end, session_hash)
        return None
    stale = needs_touch(stored.last_seen, now, touch_interval(settings))
    if stale and not await store.write(touch, session_hash, now, cutoff):
        return None  # ended meanwhile (a logout, the key revoked)
    return stored.actor


async def end_session(store: Store, session_id: str) -> None:
    await store.write(end, hash_token(session_id))
