"""Cypher of the department desk's reads: a department's own listings (every state, newest
effectiveFrom first, keyset cursor) and the open objections to them (oldest filing first)."""

from __future__ import annotations

import datetime as dt
from typing import LiteralString

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.listing_reads import ListingRow, ObjectionRow, listing_row, objection_row, projection

DEPARTMENT_LISTINGS = trusted(
    f"""
MATCH (:Department {{code: $department}})<-[:ISSUED_BY]-(l:Listing)
WHERE l.derived = false
  AND ($afterDate IS NULL OR l.effectiveFrom < $afterDate
       OR (l.effectiveFrom = $afterDate AND l.id < $afterId))
WITH l ORDER BY l.effectiveFrom DESC, l.id DESC LIMIT $limit
RETURN {projection("l")} AS l
"""
)

OPEN_OBJECTIONS: LiteralString = """
MATCH (:Department {code: $department})<-[:ISSUED_BY]-(l:Listing)<-[:OBJECTS_TO]-(o:Objection)
WHERE o.status IN ['FILED', 'VERIFYING', 'OPEN']
WITH o, l ORDER BY o.filedOn, o.id LIMIT $limit
RETURN o {.*, listingId: l.id} AS o
"""


async def department_listings(
    tx: Runner,
    department: str,
    limit: int,
    after: tuple[dt.date, str] | None = None,
) -> list[ListingRow]:
    after_date, after_id = after if after else (None, None)
    params = {
        "department": department,
        "limit": limit,
        "afterDate": after_date,
        "afterId": after_id,
    }
    return [listing_row(r["l"]) for r in await rows(tx, DEPARTMENT_LISTINGS, params)]


async def open_objections(tx: Runner, department: str, limit: int) -> list[ObjectionRow]:
    found = await rows(tx, OPEN_OBJECTIONS, {"department": department, "limit": limit})
    return [objection_row(r["o"]) for r in found]
