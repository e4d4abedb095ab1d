"""Cypher reads of subjects: profiles, roles, shareholdings, actions, search.

Each function takes a batch of keys (DataLoaders call them once per request and access path)
and returns plain dicts with native Python dates; a person is a ``PersonRow`` and an enterprise
an ``EnterpriseRow`` (``person_row`` and ``enterprise_row`` map the store's map of one, here or
nested in another answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from hub.store.adapter import Runner, rows
from hub.store.imports import trusted
from hub.store.listing_states import state_values
from hub.store.values import record_times, timed

ENTERPRISES = trusted(f"""
UNWIND $keys AS k
MATCH (e:Enterprise {{uscc: k}})
OPTIONAL MATCH (e)-[:BRANCH_OF]->(parent:Enterprise)
RETURN {timed("e", ".*, branchOfUscc: parent.uscc, branchOfName: parent.name")} AS e
""")

PERSONS = trusted(f"""
UNWIND $keys AS k
MATCH (p:Person {{idNumber: k}})
RETURN {timed("p")} AS p
""")


@dataclass(frozen=True)
class PersonRow:
    """A person as the store reads it. ``complete`` when every stored property was read
    (``PERSONS``); the persons nested in other answers (a listing's liable persons, a graph's
    nodes, search hits) carry a few (``idNumber``, ``name``), the rest is loaded on demand."""

    id_number: str
    name: str | None = None
    public_servant: bool | None = None
    birth_date: dt.date | None = None
    address: str | None = None
    phone: str | None = None
    source_department: str | None = None
    batch: str | None = None
    recorded_at: dt.datetime | None = None
    first_recorded_at: dt.datetime | None = None
    complete: bool = False


def person_row(row: Mapping[str, Any]) -> PersonRow:
    """The store's map of a person (``p {.*}`` or a few of its properties) as a ``PersonRow``;
    a map with the import fingerprint ``fp`` holds every stored property."""
    return PersonRow(
        id_number=str(row["idNumber"]),
        name=row.get("name"),
        public_servant=row.get("publicServant"),
        birth_date=row.get("birthDate"),
        address=row.get("address"),
        phone=row.get("phone"),
        source_department=row.get("sourceDepartment"),
        batch=row.get("batch"),
        recorded_at=row.get("recordedAt"),
        first_recorded_at=row.get("firstRecordedAt"),
        complete="fp" in row,
    )


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    """An enterprise as the store reads it. ``complete`` when every stored property was read
    (``ENTERPRISES``, the profile); the enterprises nested in other answers carry a few
    (``uscc``, ``name``, ``kind``; a search hit also ``status`` and ``registeredOn``, said by
    ``status_read`` and ``registration_read``), the rest is loaded on demand."""

    uscc: str
    name: str | None = None
    kind: str | None = None
    registered_on: dt.date | None = None
    status: str | None = None
    industry: str | None = None
    address: str | None = None
    phone: str | None = None
    branch_of_uscc: str | None = None
    source_department: str | None = None
    batch: str | None = None
    recorded_at: dt.datetime | None = None
    first_recorded_at: dt.datetime | None = None
    complete: bool = False
    status_read: bool = False
    registration_read: bool = False


def enterprise_row(row: Mapping[str, Any]) -> EnterpriseRow:
    """The store's map of an enterprise (``e {.*}`` or a few of its properties) as an
    ``EnterpriseRow``; a map with the import fingerprint ``fp`` holds every stored property."""
    get = row.get
    complete = "fp" in row
    return EnterpriseRow(
        uscc=str(row["uscc"]),
        name=get("name"),
        kind=get("kind"),
        registered_on=get("registeredOn"),
        status=get("status"),
        industry=get("industry"),
        address=get("address"),
        phone=get("phone"),
        branch_of_uscc=get("branchOfUscc"),
        source_department=get("sourceDepartment"),
        batch=get("batch"),
        recorded_at=get("recordedAt"),
        first_recorded_at=get("firstRecordedAt"),
        complete=complete,
        status_read=complete or "status" in row,
        registration_read=complete or "registeredOn" in row,
    )


# The parts of a role or shareholding row, shared by the batched reads below and the
# enterprise profile's single statement.
_ROLE_TYPES = "LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS"
_ROLE = timed("r", ".role, .title, .from, .to, .key, .sourceDepartment, .batch")
_SHARE = timed("r", ".share, .subscribedCapital, .from, .to, .key, .sourceDepartment, .batch")
_HOLDER_LABEL = "CASE WHEN h:Person THEN 'Person' ELSE 'Enterprise' END"


def _at(enterprise: str) -> str:
    return enterprise + " {.uscc, .name, .kind}"


# Roles at enterprises (the people and controllers behind them).
ROLES_AT = trusted(f"""
UNWIND $keys AS k
MATCH (e:Enterprise {{uscc: k}})<-[r:{_ROLE_TYPES}]-(h)
RETURN k AS key, {_ROLE} AS r, {_HOLDER_LABEL} AS holderLabel, {timed("h")} AS holder,
       {_at("e")} AS enterprise
""")

# Roles a person (or a controlling enterprise) holds.
ROLES_OF_PERSONS = trusted(f"""
UNWIND $keys AS k
MATCH (h:Person {{idNumber: k}})-[r:LEGAL_REPRESENTATIVE_OF|PRINCIPAL_OF|OFFICER_OF|PRACTITIONER_AT|CONTROLS]->(e:Enterprise)
RETURN k AS key, {timed("r", ".role, .title, .from, .to, .key, .sourceDepartment, .batch")} AS r,
       'Person' AS holderLabel, {timed("h")} AS holder, e {{.uscc, .name, .kind}} AS enterprise
""")

SHAREHOLDERS_OF = trusted(f"""
UNWIND $keys AS k
MATCH (e:Enterprise {{uscc: k}})<-[r:HOLDS_SHARES]-(h)
RETURN k AS key, {_SHARE} AS r, {_HOLDER_LABEL} AS holderLabel, {timed("h")} AS holder,
       {_at("e")} AS enterprise
""")

HOLDINGS_OF_ENTERPRISES = trusted(f"""
UNWIND $keys AS k
MATCH (h:Enterprise {{uscc: k}})-[r:HOLDS_SHARES]->(e:Enterprise)
RETURN k AS key, {timed("r", ".share, .subscribedCapital, .from, .to, .key, .sourceDepartment, .batch")} AS r,
       'Enterprise' AS holderLabel, {timed("h")} AS holder, e {{.uscc, .name, .kind}} AS enterprise
""")

HOLDINGS_OF_PERSONS = trusted(f"""
UNWIND $keys AS k
MATCH (h:Person {{idNumber: k}})-[r:HOLDS_SHARES]->(e:Enterprise)
RETURN k AS key, {timed("r", ".share, .subscribedCapital, .from, .to, .key, .sourceDepartment, .batch")} AS r,
       'Person' AS holderLabel, {timed("h")} AS holder, e {{.uscc, .name, .kind}} AS enterprise
""")


def public_action(action: LiteralString, day: LiteralString) -> LiteralString:
    """Cypher: the action ``action`` is public on ``day`` (a parameter): decided by then, its
    disclosure PUBLIC (公示; a 双公示 信息使用范围 of 政府内部共享 or 授权查询 is never shown to
    PUBLIC readers), not revoked (an objection upheld) or repaired by then (docs/lifecycle.md),
    and inside its publicity period (hub/rules/publicity.py: MINOR penalties
    never, GENERAL ones for 12 months, SERIOUS ones for 36). One definition for every public
    read of actions (a subject's page, the site's newest records)."""
    return trusted(f"""({action}.decisionDate <= {day}
  AND ({action}.endedOn IS NULL OR {action}.endedOn > {day})
  AND coalesce({action}.disclosure, 'PUBLIC') = 'PUBLIC'
  AND NOT ({action}.type = 'PENALTY' AND (
        {action}.severity = 'MINOR'
        OR ({action}.severity = 'GENERAL' AND {action}.decisionDate + duration({{months: 12}}) <= {day})
        OR ({action}.severity = 'SERIOUS' AND {action}.decisionDate + duration({{months: 36}}) <= {day}))))""")


# An action as a subject's page shows it.
_ACTION = timed("a", ".*, departmentName: d.name")


def _newest_actions(subject: str) -> LiteralString:
    """The ``$limit`` newest actions about ``subject`` (newest first; the cursor is
    (decisionDate, id) of the last action seen), each with its department as ``d``. With
    $publicOn, only what is public that day (``public_action``)."""
    return trusted(f"""
MATCH ({subject})<-[:ABOUT]-(a:Action)
WHERE ($afterDate IS NULL OR a.decisionDate < $afterDate
       OR (a.decisionDate = $afterDate AND a.id < $afterId))
  AND ($publicOn IS NULL OR {public_action("a", "$publicOn")})
WITH a ORDER BY a.decisionDate DESC, a.id DESC LIMIT $limit
OPTIONAL MATCH (a)-[:ISSUED_BY]->(d:Department)""")


def _actions_of(label: str, key: str) -> LiteralString:
    return trusted(f"""
MATCH (s:{label} {{{key}: $key}})
{_newest_actions("s")}
RETURN {_ACTION} AS a
""")


ACTIONS_OF_ENTERPRISE = _actions_of("Enterprise", "uscc")
ACTIONS_OF_PERSON = _actions_of("Person", "idNumber")


# An enterprise's page in one statement (what the page reads of ENTERPRISES, ROLES_AT,
# SHAREHOLDERS_OF — for the enterprise and, ``levels`` deep, for the enterprises holding shares
# in it — and the first page of ACTIONS_OF_ENTERPRISE, each part only when asked): the separate
# reads cost a round trip each, a third of a profile and most of a shareholder chain
# (docs/benchmarks.md#peer-neo4jgraphql-issue-21). A variable-length bound cannot be a parameter: one text per depth.
def _enterprise_profile(levels: int) -> LiteralString:
    return trusted(f"""
MATCH (e:Enterprise {{uscc: $key}})
OPTIONAL MATCH (e)-[:BRANCH_OF]->(parent:Enterprise)
WITH e, {timed("e", ".*, branchOfUscc: parent.uscc, branchOfName: parent.name")} AS profile
CALL (e) {{
  WITH e WHERE $roles
  MATCH (e)<-[r:{_ROLE_TYPES}]-(h)
  RETURN collect({{key: e.uscc, r: {_ROLE}, holderLabel: {_HOLDER_LABEL}, holder: {timed("h")},
                   enterprise: {_at("e")}}}) AS roles
}}
CALL (e) {{
  WITH e WHERE $shareLevels > 0
  MATCH (e)<-[:HOLDS_SHARES*0..{levels - 1}]-(x:Enterprise)
  WITH DISTINCT x
  OPTIONAL MATCH (x)<-[r:HOLDS_SHARES]-(h)
  RETURN collect(DISTINCT x.uscc) AS shareKeys,
         collect(CASE WHEN r IS NULL THEN null ELSE
                 {{key: x.uscc, r: {_SHARE}, holderLabel: {_HOLDER_LABEL}, holder: {timed("h")},
                   enterprise: {_at("x")}}} END) AS shareholders
}}
CALL (e) {{
  WITH e WHERE $limit > 0
  {_newest_actions("e")}
  RETURN collect({_ACTION}) AS actions
}}
RETURN profile, roles, shareKeys, shareholders, actions
""")


MAX_SHARE_LEVELS = 10
ENTERPRISE_PROFILES = {
    levels: _enterprise_profile(levels) for levels in range(1, MAX_SHARE_LEVELS + 1)
}


@dataclass(frozen=True)
class ProfileParts:
    """What an enterprise's page asks for besides the enterprise: ``actions`` is the number of
    newest actions to read (0: none), ``public_on`` as in ``actions_page``."""

    roles: bool = False
    share_levels: int = 0
    actions: int = 0
    public_on: Any = None

    def __bool__(self) -> bool:
        return self.roles or self.share_levels > 0 or self.actions > 0


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An administrative action as the store reads it (``_ACTION``: every stored property and
    its department's name, its record times read back)."""

    id: str
    type: str
    decision_date: dt.date
    department: str | None = None
    department_name: str | None = None
    severity: str | None = None
    title: str | None = None
    document_number: str | None = None
    basis: str | None = None
    content: str | None = None
    domain: str | None = None
    penalties: tuple[str, ...] = ()
    amount: float | None = None
    published_on: dt.date | None = None
    disclosure: str | None = None
    ended_on: dt.date | None = None
    end_reason: str | None = None
    source_department: str | None = None
    batch: str | None = None
    recorded_at: dt.datetime | None = None
    first_recorded_at: dt.datetime | None = None


def action_row(row: Mapping[str, Any]) -> ActionRow:
    """The store's map of an action (``_ACTION``, record times read back) as an ``ActionRow``."""
    get = row.get
    return ActionRow(
        id=str(row["id"]),
        type=str(row["type"]),
        decision_date=row["decisionDate"],
        department=get("department"),
        department_name=get("departmentName"),
        severity=get("severity"),
        title=get("title"),
        document_number=get("documentNumber"),
        basis=get("basis"),
        content=get("content"),
        domain=get("domain"),
        penalties=tuple(get("penalties") or ()),
        amount=get("amount"),
        published_on=get("publishedOn"),
        disclosure=get("disclosure"),
        ended_on=get("endedOn"),
        end_reason=get("endReason"),
        source_department=get("sourceDepartment"),
        batch=get("batch"),
        recorded_at=get("recordedAt"),
        first_recorded_at=get("firstRecordedAt"),
    )


@dataclass(frozen=True)
class EnterpriseProfile:
    """Rows in the shapes of ``enterprises``, ``relations`` and ``actions_page``:
    ``shareholders`` of every enterprise in ``share_keys`` (the enterprise and those holding
    shares in it, up to the levels asked; some have none)."""

    enterprise: EnterpriseRow
    roles: list[RelationRow]
    share_keys: list[str]
    shareholders: list[RelationRow]
    actions: list[ActionRow]


async def enterprise_profile(tx: Runner, key: str, parts: ProfileParts) -> EnterpriseProfile | None:
    levels = min(max(parts.share_levels, 1), MAX_SHARE_LEVELS)
    found = await rows(
        tx,
        ENTERPRISE_PROFILES[levels],
        {
            "key": key,
            "roles": parts.roles,
            "shareLevels": parts.share_levels,
            "limit": parts.actions,
            "publicOn": parts.public_on,
            "afterDate": None,
            "afterId": None,
        },
    )
    if not found:
        return None
    row = found[0]
    return EnterpriseProfile(
        enterprise=enterprise_row(record_times(row)["profile"]),
        roles=[relation_row(record_times(r)) for r in row["roles"]],
        share_keys=row["shareKeys"],
        shareholders=[relation_row(record_times(r)) for r in row["shareholders"]],
        actions=[action_row(record_times({"a": a})["a"]) for a in row["actions"]],
    )


# A hit carries the properties a search result shows (the site's search document asks no
# more), not every stored property with its record times: the GraphQL types read the rest on
# demand (an enterprise map without the fingerprint ``fp`` is partial: schema/subjects.py
# ``Enterprise._full``; a person's is a partial ``PersonRow``). They travel as a list, in the
# order of these names, and are mapped back by ``search_names``: twenty maps of five keys and
# their listings' maps were most of what the driver decodes for a search. The page is one
# record (the hits collected in their order): the driver handles each record as a message of
# its own, in Python, which cost more than decoding its values.
# (registeredOn as ISO text: the driver builds a Date in Python, date.fromisoformat is C)
HIT_ENTERPRISE = ("uscc", "name", "kind", "status", "registeredOn")
HIT_PERSON = ("idNumber", "name", "publicServant")
_ENTERPRISE_VALUES = ", ".join(
    "toString(node.registeredOn)" if key == "registeredOn" else f"node.{key}"
    for key in HIT_ENTERPRISE
)
_PERSON_VALUES = ", ".join(f"node.{key}" for key in HIT_PERSON)

# The ranking is made over the index's best ``$pool`` hits (Lucene's top-N by score), not over
# every hit: for a common word Neo4j otherwise read and sorted every one — 100,005 hits for
# 隆林, 17,069 of them with the same score — 243.6 ms against 7.0 ms for a pool of 1,101
# (`make bench-search`, docs/benchmarks.md#search). The pool is the same for every page of a
# search, so while the index does not change the pages never repeat or skip a hit; which of a
# large group of equal scores make the pool is the index's choice (its own document order,
# which a re-indexed node changes; the top-N list it returns is not in that order, so it
# cannot be paged directly). Equal scores are ordered by USCC, and persons (no USCC) by their
# element id: an opaque key that is stable while the node exists. Ordering them by ID number
# showed PUBLIC, through the order of masked results, the order of the hidden digits.
# The USCC of each pooled enterprise is read from ``tieKey``, the USCC again, at or near the
# head of the node's property chain: written in the first column by the bulk load, on
# creation by the importer, or by `credit-hub migrate` on a stored node (Neo4j puts a
# property it adds to a stored node at the head of the chain); ``uscc``
# itself is near its end (written after the registration's other fields), and walking the
# chain to it for the pool's 1,101 hits cost Neo4j ~1 ms per search
# (docs/benchmarks.md#public-site). An enterprise without a tieKey is ordered by its uscc
# (``coalesce``): the same order. A person has neither: no property is read for it.
TIE_ORDER = "CASE WHEN node:Enterprise THEN coalesce(node.tieKey, node.uscc) END"
# The filters, when one is asked (``SearchFilter``): a statement without them (the site's
# search page and most searches) saves Neo4j evaluating them for each of the pool's hits,
# ~0.2–0.4 ms per search (docs/benchmarks.md#public-site).
_SEARCH_FILTERS = f"""
WHERE ($kind IS NULL OR coalesce(node.kind, 'PERSON') = $kind)
  AND ($division IS NULL OR substring(coalesce({TIE_ORDER}, ''), 2, 6) = $division)
  AND ($list IS NULL OR EXISTS {{
        MATCH (node)<-[:ON]-(l:Listing)
        WHERE l.list = $list AND l.derived = false AND l.effectiveFrom <= $today
          AND (l.expiresOn IS NULL OR l.expiresOn > $today)
          AND (l.endedOn IS NULL OR l.endedOn > $today) }})"""


def _search_names(filters: str) -> LiteralString:
    return trusted(f"""
CALL db.index.fulltext.queryNodes('subjectNames', $query, {{limit: $pool}}) YIELD node, score
{filters}
WITH node, score ORDER BY score DESC, {TIE_ORDER}, elementId(node) SKIP $skip LIMIT $limit
WITH node, score, node:Enterprise AS firm
RETURN collect([
         firm,
         CASE WHEN firm THEN [{_ENTERPRISE_VALUES}] ELSE [{_PERSON_VALUES}] END,
         score,
         CASE WHEN $states THEN [(node)<-[:ON]-(l:Listing) WHERE l.derived = false |
           {state_values("l")}]
         END]) AS hits
""")


SEARCH_NAMES = _search_names("")
SEARCH_NAMES_FILTERED = _search_names(_SEARCH_FILTERS)


async def _rows(tx: Runner, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
    return [record_times(row) for row in await rows(tx, cypher, params)]


async def enterprises(tx: Runner, keys: list[str]) -> list[EnterpriseRow]:
    return [enterprise_row(row["e"]) for row in await _rows(tx, ENTERPRISES, keys=keys)]


async def persons(tx: Runner, keys: list[str]) -> list[PersonRow]:
    return [person_row(row["p"]) for row in await _rows(tx, PERSONS, keys=keys)]


@dataclass(frozen=True, slots=True)
class RelationRow:
    """A role or a shareholding as the store reads it (``RELATION_QUERIES``, the parts of
    ``ENTERPRISE_PROFILES``): the relationship's properties, its holder (every stored property)
    and its enterprise (a few). ``key`` is the subject it was read for."""

    key: str
    holder: EnterpriseRow | PersonRow
    enterprise: EnterpriseRow
    role: str | None = None
    title: str | None = None
    share: float | None = None
    subscribed_capital: float | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source_department: str | None = None
    batch: str | None = None
    recorded_at: dt.datetime | None = None
    first_recorded_at: dt.datetime | None = None


def relation_row(row: Mapping[str, Any]) -> RelationRow:
    """The store's row of a relation (``key``, ``r``, ``holderLabel``, ``holder``,
    ``enterprise``; record times already read back) as a ``RelationRow``."""
    rel, holder = row["r"], row["holder"]
    get = rel.get
    return RelationRow(
        key=str(row["key"]),
        holder=enterprise_row(holder) if row["holderLabel"] == "Enterprise" else person_row(holder),
        enterprise=enterprise_row(row["enterprise"]),
        role=get("role"),
        title=get("title"),
        share=get("share"),
        subscribed_capital=get("subscribedCapital"),
        valid_from=get("from"),
        valid_to=get("to"),
        source_department=get("sourceDepartment"),
        batch=get("batch"),
        recorded_at=get("recordedAt"),
        first_recorded_at=get("firstRecordedAt"),
    )


RELATION_QUERIES: dict[str, LiteralString] = {
    "rolesAt": ROLES_AT,
    "rolesOfPersons": ROLES_OF_PERSONS,
    "shareholdersOf": SHAREHOLDERS_OF,
    "holdingsOfEnterprises": HOLDINGS_OF_ENTERPRISES,
    "holdingsOfPersons": HOLDINGS_OF_PERSONS,
}


async def relations(tx: Runner, which: str, keys: list[str]) -> list[tuple[str, RelationRow]]:
    """(key, relation): the relations ``which`` (a name of ``RELATION_QUERIES``) of ``keys``."""
    found = await _rows(tx, RELATION_QUERIES[which], keys=keys)
    return [(str(r["key"]), relation_row(r)) for r in found]


async def actions_page(
    tx: Runner,
    label: str,
    key: str,
    limit: int,
    after: tuple[Any, str] | None,
    public_on: Any = None,
) -> list[ActionRow]:
    """Newest first. ``public_on``: only actions public on that date (hub/rules/publicity.py)."""
    query = ACTIONS_OF_ENTERPRISE if label == "Enterprise" else ACTIONS_OF_PERSON
    after_date, after_id = after if after else (None, None)
    rows = await _rows(
        tx,
        query,
        key=key,
        limit=limit,
        afterDate=after_date,
        afterId=after_id,
        publicOn=public_on,
    )
    return [action_row(row["a"]) for row in rows]


@dataclass(frozen=True)
class SearchFilter:
    """Filters of a name search, applied to the index's pool of hits. ``listed``: only subjects
    with a listing of that list in force on ``today`` (the published lists: BLACK or RED)."""

    kind: str | None = None
    division: str | None = None
    listed: str | None = None
    today: Any = None


async def search_names(
    tx: Runner,
    query: str,
    skip: int,
    limit: int,
    pool: int,
    only: SearchFilter | None = None,
    states: bool = False,
) -> list[dict[str, Any]]:
    """Best score first, equal scores by identifier, among the index's best ``pool`` hits;
    each row's ``node`` an ``EnterpriseRow`` or a ``PersonRow`` (partial: ``HIT_ENTERPRISE``,
    ``HIT_PERSON``). ``states``: each hit also with its own listings as the badges read them,
    in the same statement: ``state_values`` lists (hub/store/listing_states.py), which
    hub/store/listing_reads.py ``state_row`` maps (it imports this module's rows)."""
    if skip + limit > pool:
        raise ValueError(f"a page ending at {skip + limit} is past the pool of {pool} hits")
    only = only or SearchFilter()
    filtered = only.kind is not None or only.division is not None or only.listed is not None
    result = await tx.run(
        SEARCH_NAMES_FILTERED if filtered else SEARCH_NAMES,
        {
            "query": query,
            "skip": skip,
            "limit": limit,
            "pool": pool,
            "kind": only.kind,
            "division": only.division,
            "list": only.listed,
            "today": only.today,
            "states": states,
        },
    )
    record = await result.single(strict=True)
    found = []
    for firm, values, score, listed in record[0]:
        node: EnterpriseRow | PersonRow
        if firm:
            uscc, name, kind, status, day = values
            node = EnterpriseRow(
                uscc=str(uscc),
                name=name,
                kind=kind,
                status=status,
                registered_on=None if day is None else dt.date.fromisoformat(day),
                status_read=True,
                registration_read=True,
            )
        else:
            number, name, public_servant = values
            node = PersonRow(id_number=str(number), name=name, public_servant=public_servant)
        found.append(
            {
                "label": "Enterprise" if firm else "Person",
                "node": node,
                "score": score,
                "states": listed,
            }
        )
    return found
