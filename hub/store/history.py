"""Cypher of a subject's history: every workflow event about it (docs/lifecycle.md).

The events (``ListingEvent``) of its own listings (listed, objections, repair, ending), of the
administrative actions about it (objections, repair, revocation) and of its rectification
orders, newest first by (on, at, id), one page after a cursor. With ``$publicOn`` only what the
public site publishes that day: events of the types in ``$publicTypes`` on listings published
then (BLACK or RED, own, in force) and on actions public then (``public_action``); never a
rectification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.subjects import public_action

PUBLIC_TYPES = [
    "LISTED",
    "CONFIRMED",
    "UPDATED",
    "OBJECTION_FILED",
    "OBJECTION_VERIFYING",
    "OBJECTION_REJECTED",
]


def _history(label: str, key: str) -> LiteralString:
    return trusted(
        f"""
MATCH (s:{label} {{{key}: $key}})
CALL (s) {{
  MATCH (s)<-[:ON]-(r:Listing)-[:HAS_EVENT]->(e:ListingEvent)
  WHERE r.derived = false
    AND ($publicOn IS NULL OR (r.list IN ['BLACK', 'RED'] AND r.effectiveFrom <= $publicOn
         AND (r.expiresOn IS NULL OR r.expiresOn > $publicOn)
         AND (r.endedOn IS NULL OR r.endedOn > $publicOn)))
  RETURN e, 'LISTING' AS kind, r.id AS record
  UNION
  MATCH (s)<-[:ABOUT]-(r:Action)-[:HAS_EVENT]->(e:ListingEvent)
  WHERE $publicOn IS NULL OR {public_action("r", "$publicOn")}
  RETURN e, 'ACTION' AS kind, r.id AS record
  UNION
  MATCH (s)<-[:ABOUT]-(r:Rectification)-[:HAS_EVENT]->(e:ListingEvent)
  WHERE $publicOn IS NULL
  RETURN e, 'RECTIFICATION' AS kind, r.id AS record
}}
WITH e, kind, record
WHERE ($publicOn IS NULL OR e.type IN $publicTypes)
  AND ($afterOn IS NULL OR e.on < $afterOn
       OR (e.on = $afterOn AND (e.at < $afterAt OR (e.at = $afterAt AND e.id < $afterId))))
RETURN e {{.id, .type, .on, .at, .by, .department, .reason}} AS e, kind, record
ORDER BY e.on DESC, e.at DESC, e.id DESC
LIMIT $limit
"""
    )


HISTORY = {"Enterprise": _history("Enterprise", "uscc"), "Person": _history("Person", "idNumber")}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One workflow step about a subject as the store reads it (``HISTORY``): the event and
    the record it is on."""

    id: str
    type: str
    on: dt.date
    at: dt.datetime
    record_kind: str
    record_id: str
    by: str | None = None
    department: str | None = None
    reason: str | None = None


def history_row(row: Mapping[str, Any]) -> HistoryRow:
    """The store's row of ``HISTORY`` (``e``, ``kind``, ``record``) as a ``HistoryRow``."""
    event = row["e"]
    get = event.get
    return HistoryRow(
        id=str(event["id"]),
        type=str(event["type"]),
        on=event["on"],
        at=event["at"],
        record_kind=str(row["kind"]),
        record_id=str(row["record"]),
        by=get("by"),
        department=get("department"),
        reason=get("reason"),
    )


async def history(
    tx: Runner,
    label: str,
    key: str,
    limit: int,
    after: tuple[dt.date, dt.datetime, str] | None,
    public_on: dt.date | None,
) -> list[HistoryRow]:
    on, at, event_id = after if after is not None else (None, None, None)
    found = await rows(
        tx,
        HISTORY[label],
        {
            "key": key,
            "limit": limit,
            "afterOn": on,
            "afterAt": at,
            "afterId": event_id,
            "publicOn": public_on,
            "publicTypes": PUBLIC_TYPES,
        },
    )
    return [history_row(r) for r in found]
