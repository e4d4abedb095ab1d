"""Cypher reads of listings: own listings of subjects, derived entries, one listing by id.

Every listing comes with what its state needs (objections) and what its page shows (deciding
department, subject, liable persons, events) in one projection, so a subject's listings are
one round trip. States are computed by hub/rules/listings.py, never stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.values import nested_record_times, timed


def projection(v: str) -> str:
    return f"""{v} {{.*,
  departmentName: [({v})-[:ISSUED_BY]->(dep:Department) | dep.name][0],
  subject: [({v})-[:ON]->(sub) | sub {{.*}}][0],
  liable: [(lp:Person)-[:LIABLE]->({v}) | lp {{.idNumber, .name, .publicServant}}],
  objections: [(o:Objection)-[:OBJECTS_TO]->({v}) | o {{.*}}],
  events: [({v})-[:HAS_EVENT]->(ev:ListingEvent) | ev {{.*}}]
}}"""


def timed_projection(v: str) -> str:
    """``projection`` with the record times of the listing, its subject, objections and events
    as ISO text (hub/store/values.py ``timed``: the driver builds each DateTime in Python, and a
    listing carries six or more); read back by ``_rows``."""
    return timed(
        v,
        f""".*,
  departmentName: [({v})-[:ISSUED_BY]->(dep:Department) | dep.name][0],
  subject: [({v})-[:ON]->(sub) | {timed("sub")}][0],
  liable: [(lp:Person)-[:LIABLE]->({v}) | lp {{.idNumber, .name, .publicServant}}],
  objections: [(o:Objection)-[:OBJECTS_TO]->({v}) | {timed("o")}],
  events: [({v})-[:HAS_EVENT]->(ev:ListingEvent) | {timed("ev")}]""",
    )


OWN_LISTINGS: dict[str, LiteralString] = {
    label: trusted(
        f"""
UNWIND $keys AS k
MATCH (:{label} {{{key}: k}})<-[:ON]-(l:Listing)
WHERE l.derived = false
RETURN k AS key, {timed_projection("l")} AS l
"""
    )
    for label, key in (("Enterprise", "uscc"), ("Person", "idNumber"))
}


def state_values(v: str) -> str:
    """Cypher: what listing ``v``'s state (hub/rules/listings.py ``state_of``, ``published``)
    and a badge's fields (schema/subjects.py ``LISTING_STATE_FIELDS``) read, as a list (read
    back by ``state_row``): not every stored property with its record times — a court
    listing's basis, case number, fingerprint, batches — which a badge never shows. Dates as
    ISO text: the driver builds each Date in Python, ``date.fromisoformat`` is C."""
    day = "toString({0}.{1})"
    dates = ", ".join(day.format(v, key) for key in STATE_DATES)
    objections = (
        f"[(o:Objection)-[:OBJECTS_TO]->({v}) | [{day.format('o', 'filedOn')}, "
        f"{day.format('o', 'resolvedOn')}]]"
    )
    return f"[{', '.join(f'{v}.{key}' for key in STATE_VALUES)}, {dates}, {objections}]"


# The parts of ``state_values``, in order: values, then dates, then the objections' periods.
STATE_VALUES = ("id", "list", "domain", "source", "derived")
STATE_DATES = ("effectiveFrom", "expiresOn", "endedOn")


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def state_row(values: list[Any]) -> dict[str, Any]:
    """A listing's ``state_values`` as the map of its properties the rules and badges read."""
    count = len(STATE_VALUES)
    row = dict(zip(STATE_VALUES, values[:count], strict=True))
    for key, text in zip(STATE_DATES, values[count:-1], strict=True):
        row[key] = _day(text)
    row["objections"] = [
        {"filedOn": _day(filed), "resolvedOn": _day(resolved)} for filed, resolved in values[-1]
    ]
    return row


# Own listings with what their state needs (``state_values``) and nothing a listing's page
# shows (department, subject, liable persons, events): a search hit's badges ask only which
# lists.
OWN_LISTING_STATES: dict[str, LiteralString] = {
    label: trusted(
        f"""
UNWIND $keys AS k
MATCH (:{label} {{{key}: k}})<-[:ON]-(l:Listing)
WHERE l.derived = false
RETURN k AS key, {state_values("l")} AS l
"""
    )
    for label, key in (("Enterprise", "uscc"), ("Person", "idNumber"))
}

# Derived entries in persons' credit records, each with its source listing.
DERIVED_OF_PERSONS = trusted(
    f"""
UNWIND $keys AS k
MATCH (:Person {{idNumber: k}})<-[:ON]-(d:Listing)
WHERE d.derived = true AND NOT coalesce(d.retracted, false)
MATCH (d)-[:DERIVED_FROM]->(src:Listing)
WITH DISTINCT k, d, src
RETURN k AS key, d {{.*}} AS entry, {timed_projection("src")} AS source
"""
)

# Derived entries of source listings (who a listing reached).
DERIVED_OF_SOURCES = trusted(
    """
UNWIND $keys AS k
MATCH (src:Listing {id: k})<-[:DERIVED_FROM]-(d:Listing)
WHERE NOT coalesce(d.retracted, false)
WITH DISTINCT k, d
MATCH (d)-[:ON]->(p:Person)
RETURN k AS key, d {.*} AS entry, p {.idNumber, .name, .publicServant} AS person
"""
)

LISTINGS_BY_ID = trusted(
    f"""
UNWIND $keys AS k
MATCH (l:Listing {{id: k}})
OPTIONAL MATCH (l)-[:DERIVED_FROM]->(src:Listing)
WITH k, l, collect(DISTINCT src)[0] AS src
RETURN k AS key, {timed_projection("l")} AS l,
       CASE WHEN src IS NULL THEN null ELSE {timed_projection("src")} END AS source
"""
)

OBJECTIONS_BY_ID: LiteralString = """
UNWIND $keys AS k
MATCH (o:Objection {id: k})-[:OBJECTS_TO]->(t)
WHERE t:Listing OR t:Action
RETURN k AS key, o {.*, listingId: CASE WHEN t:Listing THEN t.id END,
                    actionId: CASE WHEN t:Action THEN t.id END} AS o
"""


async def _rows(tx: Runner, cypher: LiteralString, keys: list[str]) -> list[dict[str, Any]]:
    return [nested_record_times(row) for row in await rows(tx, cypher, {"keys": keys})]


async def own_listings(tx: Runner, label: str, keys: list[str]) -> list[dict[str, Any]]:
    return await _rows(tx, OWN_LISTINGS[label], keys)


async def own_listing_states(tx: Runner, label: str, keys: list[str]) -> list[dict[str, Any]]:
    found = await rows(tx, OWN_LISTING_STATES[label], {"keys": keys})
    return [{"key": row["key"], "l": state_row(row["l"])} for row in found]


async def derived_of_persons(tx: Runner, keys: list[str]) -> list[dict[str, Any]]:
    return await _rows(tx, DERIVED_OF_PERSONS, keys)


async def derived_of_sources(tx: Runner, keys: list[str]) -> list[dict[str, Any]]:
    return await _rows(tx, DERIVED_OF_SOURCES, keys)


async def listings_by_id(tx: Runner, keys: list[str]) -> list[dict[str, Any]]:
    return await _rows(tx, LISTINGS_BY_ID, keys)


async def objections_by_id(tx: Runner, keys: list[str]) -> list[dict[str, Any]]:
    return await _rows(tx, OBJECTIONS_BY_ID, keys)
