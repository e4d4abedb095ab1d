"""Cypher reads of listings: own listings of subjects, derived entries, one listing by id.

Every listing comes with what its state needs (objections) and what its page shows (deciding
department, subject, liable persons, events) in one projection, so a subject's listings are
one round trip. States are computed by hub/rules/listings.py, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from hub.rules.listings import ListingFacts, ObjectionPeriod, ObjectionStatus, objection_status
from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.listing_states import STATE_VALUES, state_values
from hub.store.subjects import EnterpriseRow, PersonRow, enterprise_row, person_row
from hub.store.values import iso_day, nested_record_times, timed


@dataclass(frozen=True, slots=True)
class ObjectionRow:
    """An objection as the store reads it (``o {.*}``, with the id of the listing or action
    objected to where the statement names it)."""

    id: str
    status: ObjectionStatus
    filed_on: dt.date
    verifying_on: dt.date | None = None
    resolved_on: dt.date | None = None
    reason: str | None = None
    resolution: str | None = None
    listing_id: str | None = None
    action_id: str | None = None


def objection_row(row: Mapping[str, Any], listing_id: str | None = None) -> ObjectionRow:
    """The store's map of an objection as an ``ObjectionRow``; ``listing_id`` for one read
    inside its listing's projection."""
    get = row.get
    return ObjectionRow(
        id=str(row["id"]),
        status=objection_status(row),
        filed_on=row["filedOn"],
        verifying_on=get("verifyingOn"),
        resolved_on=get("resolvedOn"),
        reason=get("reason"),
        resolution=get("resolution"),
        listing_id=get("listingId") or listing_id,
        action_id=get("actionId"),
    )


@dataclass(frozen=True, slots=True)
class ListingEventRow:
    """A dated change of a listing's state as the store reads it."""

    id: str
    type: str
    on: dt.date
    department: str | None = None
    reason: str | None = None
    at: dt.datetime | None = None


def listing_event_row(row: Mapping[str, Any]) -> ListingEventRow:
    get = row.get
    return ListingEventRow(
        id=str(row["id"]),
        type=str(row["type"]),
        on=row["on"],
        department=get("department"),
        reason=get("reason"),
        at=get("at"),
    )


@dataclass(frozen=True, slots=True)
class CourtFacts:
    """A court listing's own facts (失信被执行人)."""

    ground: int
    case_number: str


@dataclass(frozen=True, slots=True)
class LoanFacts:
    """A loan default's own facts: reported by a bank, confirmed by the regulator."""

    bank: str
    principal_overdue_since: dt.date
    reported_on: dt.date
    confirmed_by: str
    confirmed_on: dt.date


@dataclass(frozen=True, slots=True)
class ListingRow:
    """A listing as the store reads it (``projection``: with its department's name, subject,
    liable persons, objections and events; ``OWN_LISTING_STATES``: objections only).
    ``facts`` are what its state on any day is computed from (hub/rules/listings.py)."""

    id: str
    list_kind: str
    domain: str
    source: str
    facts: ListingFacts
    derived: bool = False
    department: str | None = None
    department_name: str | None = None
    basis: str | None = None
    document_number: str | None = None
    decision_date: dt.date | None = None
    end_reason: str | None = None
    subject: PersonRow | EnterpriseRow | None = None
    liable: tuple[PersonRow, ...] = ()
    objections: tuple[ObjectionRow, ...] = ()
    events: tuple[ListingEventRow, ...] = ()
    court: CourtFacts | None = None  # a court listing's (source COURT)
    loan: LoanFacts | None = None  # a loan default's (source LOAN)
    source_department: str | None = None
    batch: str | None = None
    recorded_at: dt.datetime | None = None
    first_recorded_at: dt.datetime | None = None

    @property
    def effective_from(self) -> dt.date:
        return self.facts.effective_from

    @property
    def expires_on(self) -> dt.date | None:
        return self.facts.expires_on

    @property
    def ended_on(self) -> dt.date | None:
        return self.facts.ended_on


def listed_subject(
    label: str | None, raw: Mapping[str, Any] | None
) -> PersonRow | EnterpriseRow | None:
    """The listed subject, typed by its key; fails closed. A listing without ``subjectLabel``
    was once rendered as an Enterprise, which would have shown a person with the address and
    phone an enterprise shows: the key decides the type, and a label that disagrees with the
    key, or a subject with neither key, gives None rather than a guess."""
    if not raw:
        return None
    kind = label or ("Person" if "idNumber" in raw else "Enterprise" if "uscc" in raw else None)
    if kind == "Person" and raw.get("idNumber") and "uscc" not in raw:
        return person_row(raw)
    if kind == "Enterprise" and raw.get("uscc") and "idNumber" not in raw:
        return enterprise_row(raw)
    return None


def listing_row(row: Mapping[str, Any]) -> ListingRow:
    """The store's map of a listing (``projection``, ``timed_projection``, the states' read or
    ``l {.*}``) as a ``ListingRow``."""
    get = row.get
    listing_id = str(get("id"))
    objections = tuple(objection_row(o, listing_id) for o in get("objections") or ())
    source = str(get("source"))
    return ListingRow(
        id=listing_id,
        list_kind=str(get("list")),
        domain=str(get("domain")),
        source=source,
        facts=ListingFacts(
            effective_from=row["effectiveFrom"],
            expires_on=get("expiresOn"),
            ended_on=get("endedOn"),
            objections=tuple(ObjectionPeriod(o.filed_on, o.resolved_on) for o in objections),
        ),
        derived=bool(get("derived")),
        department=get("department"),
        department_name=get("departmentName"),
        basis=get("basis"),
        document_number=get("documentNumber"),
        decision_date=get("decisionDate"),
        end_reason=get("endReason"),
        subject=listed_subject(get("subjectLabel"), get("subject")),
        liable=tuple(person_row(p) for p in get("liable") or ()),
        objections=objections,
        events=tuple(listing_event_row(e) for e in get("events") or ()),
        court=CourtFacts(int(row["ground"]), row["caseNumber"]) if source == "COURT" else None,
        loan=_loan(row) if source == "LOAN" else None,
        source_department=get("sourceDepartment"),
        batch=get("batch"),
        recorded_at=get("recordedAt"),
        first_recorded_at=get("firstRecordedAt"),
    )


def _loan(row: Mapping[str, Any]) -> LoanFacts:
    return LoanFacts(
        bank=row["bank"],
        principal_overdue_since=row["principalOverdueSince"],
        reported_on=row["reportedOn"],
        confirmed_by=row["confirmedBy"],
        confirmed_on=row["confirmedOn"],
    )


@dataclass(frozen=True, slots=True)
class DerivedEntryRow:
    """A derived entry in a person's credit record (a ``Listing`` with ``derived: true``): how
    the source listing reached the person, and the enterprise it reached them through."""

    id: str
    parties: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    liable: bool = False
    via: str | None = None


def derived_entry_row(row: Mapping[str, Any]) -> DerivedEntryRow:
    return DerivedEntryRow(
        id=str(row["id"]),
        parties=tuple(row.get("parties") or ()),
        roles=tuple(row.get("roles") or ()),
        liable=bool(row.get("liable")),
        via=row.get("via"),
    )


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


def state_row(values: list[Any]) -> ListingRow:
    """A listing's ``state_values`` as a ``ListingRow`` of what the rules and badges read: its
    facts (the objections' periods in them), no department, subject, liable persons, events or
    objection rows — a badge never shows them."""
    count = len(STATE_VALUES)
    listing_id, kind, domain, source, derived = values[:count]
    starts, expires, ended = values[count:-1]
    return ListingRow(
        id=str(listing_id),
        list_kind=str(kind),
        domain=str(domain),
        source=str(source),
        derived=bool(derived),
        facts=ListingFacts(
            effective_from=dt.date.fromisoformat(starts),
            expires_on=iso_day(expires),
            ended_on=iso_day(ended),
            objections=tuple(
                ObjectionPeriod(dt.date.fromisoformat(filed), iso_day(resolved))
                for filed, resolved in values[-1]
                if filed is not None
            ),
        ),
    )


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


async def own_listings(tx: Runner, label: str, keys: list[str]) -> list[tuple[str, ListingRow]]:
    """(key, listing) of the subjects of ``label`` keyed ``keys``."""
    return [(r["key"], listing_row(r["l"])) for r in await _rows(tx, OWN_LISTINGS[label], keys)]


async def own_listing_states(
    tx: Runner, label: str, keys: list[str]
) -> list[tuple[str, ListingRow]]:
    found = await rows(tx, OWN_LISTING_STATES[label], {"keys": keys})
    return [(row["key"], state_row(row["l"])) for row in found]


async def derived_of_persons(
    tx: Runner, keys: list[str]
) -> list[tuple[str, tuple[DerivedEntryRow, ListingRow]]]:
    """(ID number, (entry, its source listing))."""
    return [
        (r["key"], (derived_entry_row(r["entry"]), listing_row(r["source"])))
        for r in await _rows(tx, DERIVED_OF_PERSONS, keys)
    ]


async def derived_of_sources(
    tx: Runner, keys: list[str]
) -> list[tuple[str, tuple[DerivedEntryRow, PersonRow]]]:
    """(source listing id, (entry, whose it is))."""
    return [
        (r["key"], (derived_entry_row(r["entry"]), person_row(r["person"])))
        for r in await _rows(tx, DERIVED_OF_SOURCES, keys)
    ]


async def listings_by_id(tx: Runner, keys: list[str]) -> list[tuple[str, ListingRow]]:
    return [(r["key"], listing_row(r["l"])) for r in await _rows(tx, LISTINGS_BY_ID, keys)]


async def objections_by_id(tx: Runner, keys: list[str]) -> list[tuple[str, ObjectionRow]]:
    return [(r["key"], objection_row(r["o"])) for r in await _rows(tx, OBJECTIONS_BY_ID, keys)]
