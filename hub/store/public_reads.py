"""Cypher reads of what the public credit site lists: published listings, recent 双公示 records.

"Published" is the rule of schema/credit_record.py ``published``: a BLACK or RED listing (never
WATCH, never a derived entry) in force today, i.e. effectiveFrom <= today < expiresOn and
today < endedOn (hub/rules/listings.py ``listing_state``; an objection suspends a listing but
does not end it). The WHERE below selects exactly those, so a page of listings is one query
and its keyset cursor never skips; the schema applies ``published`` again to every row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.listing_reads import ListingRow, listing_row, projection
from hub.store.subjects import (
    ActionRow,
    EnterpriseRow,
    PersonRow,
    action_row,
    enterprise_row,
    person_row,
    public_action,
)
from hub.store.values import record_times, timed

PUBLISHED_LISTINGS = trusted(
    f"""
MATCH (l:Listing)
WHERE l.list = $list AND l.list IN ['BLACK', 'RED'] AND l.derived = false
  AND l.effectiveFrom <= $today
  AND (l.expiresOn IS NULL OR l.expiresOn > $today)
  AND (l.endedOn IS NULL OR l.endedOn > $today)
  AND ($domain IS NULL OR l.domain = $domain)
  AND ($fromDay IS NULL OR l.effectiveFrom >= $fromDay)
  AND ($toDay IS NULL OR l.effectiveFrom <= $toDay)
  AND ($department IS NULL OR EXISTS {{ (l)-[:ISSUED_BY]->(:Department {{code: $department}}) }})
  AND ($afterDate IS NULL OR l.effectiveFrom < $afterDate
       OR (l.effectiveFrom = $afterDate AND l.id < $afterId))
WITH l ORDER BY l.effectiveFrom DESC, l.id DESC LIMIT $limit
RETURN {projection("l")} AS l
"""
)

# Newest public 双公示 records (许可 and 处罚 in their publicity period, as actions_page with
# $publicOn: hub/store/subjects.py), each with its subject.
RECENT_ACTIONS = trusted(
    f"""
MATCH (a:Action)
WHERE a.type IN $types AND a.decisionDate >= $since AND {public_action("a", "$today")}
WITH a ORDER BY a.decisionDate DESC, a.id DESC LIMIT $limit
MATCH (a)-[:ABOUT]->(s)
OPTIONAL MATCH (a)-[:ISSUED_BY]->(d:Department)
RETURN {timed("a", ".*, departmentName: d.name")} AS a,
       CASE WHEN s:Enterprise THEN 'Enterprise' ELSE 'Person' END AS label,
       s {{.uscc, .idNumber, .name, .kind}} AS subject
"""
)


async def published_listings(
    tx: Runner,
    kind: str,
    today: dt.date,
    limit: int,
    after: tuple[dt.date, str] | None = None,
    domain: str | None = None,
    department: str | None = None,
    from_day: dt.date | None = None,
    to_day: dt.date | None = None,
) -> list[ListingRow]:
    """Newest effectiveFrom first (then id); ``after``: (effectiveFrom, id) of the last seen."""
    after_date, after_id = after if after else (None, None)
    found = await rows(
        tx,
        PUBLISHED_LISTINGS,
        {
            "list": kind,
            "today": today,
            "limit": limit,
            "afterDate": after_date,
            "afterId": after_id,
            "domain": domain,
            "department": department,
            "fromDay": from_day,
            "toDay": to_day,
        },
    )
    return [listing_row(row["l"]) for row in found]


@dataclass(frozen=True, slots=True)
class RecentActionRow:
    """A public action of ``RECENT_ACTIONS`` with its subject (a few of its properties)."""

    action: ActionRow
    subject: EnterpriseRow | PersonRow


async def recent_actions(
    tx: Runner, types: list[str], today: dt.date, since: dt.date, limit: int
) -> list[RecentActionRow]:
    """Public actions decided in [since, today], newest first, with their subjects."""
    found = await rows(
        tx,
        RECENT_ACTIONS,
        {"types": types, "today": today, "since": since, "limit": limit},
    )
    return [
        RecentActionRow(
            action_row(record_times(dict(row))["a"]),
            enterprise_row(row["subject"])
            if row["label"] == "Enterprise"
            else person_row(row["subject"]),
        )
        for row in found
    ]


DEPARTMENTS = trusted("""
MATCH (d:Department)
RETURN d.code AS code, d.name AS name ORDER BY d.code
""")


async def departments(tx: Runner) -> list[dict[str, Any]]:
    return await rows(tx, DEPARTMENTS, {})
