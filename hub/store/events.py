"""Cypher of the event log: events written with their change, numbered at commit, paged.

A change writes its events as ``EventPending`` nodes in its own transaction (the fragments
below, spliced into the change's statement, or ``emit`` for a workflow written in Python).
Before the transaction commits, ``seal`` — run by the store adapter after every write unit of
work (hub/store/adapter.py) — locks the one ``EventCounter`` node, numbers the transaction's
pending events from the counter on into one ``EventBatch`` node (a list per field, an element
per event: one node per transaction, not one per event), deletes the pending nodes (created in
this transaction, so they are never written to the store) and moves the counter. The lock is
held from that last statement to the commit, so transactions that write events commit in the
order of their numbers: a reader that has seen event n has seen every event before n, and a
transaction that fails or rolls back takes its events and its numbers with it (no gaps, no
event without its change). ``EventPending`` nodes of other transactions are never visible: they
are never committed.

Why one counter node rather than a clock or an id per writer: the number must be gapless and in
commit order, which only a lock held to the commit gives. Its cost is that writers of events
commit one at a time; measured in docs/feeds.md (``credit-hub bench events``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from hub.store.imports import trusted
from hub.store.values import native

# Event types (docs/feeds.md). A listing's own trail types map onto these.
EVENT_TYPES = (
    "LISTED",
    "UPDATED",
    "SUSPENDED",
    "ENDED",
    "REMOVED",
    "REVOKED",
    "REPAIRED",
    "OBJECTION_UPHELD",
    "OBJECTION_REJECTED",
    "DERIVED_ADDED",
    "DERIVED_ENDED",
    "EVALUATION_CHANGED",
    "EXECUTION_RECORDED",
    "COMMITMENT_BROKEN",
    "EARLY_WARNING",
    # workflow steps (docs/feeds.md): objections, repair applications, rectification orders
    # and interviews, voluntary information
    "OBJECTION_FILED",
    "OBJECTION_VERIFYING",
    "REPAIR_APPLIED",
    "REPAIR_REFUSED",
    "REPAIR_APPROVED",
    "RECTIFICATION_ORDERED",
    "RECTIFIED",
    "INTERVIEW_RECORDED",
    "VOLUNTARY_REGISTERED",
    "VOLUNTARY_VERIFIED",
)

# What every fragment that writes a pending event node holds (the store adapter looks for it).
PENDING_CREATE = "CREATE (:EventPending"
_PROVENANCE = (
    "madeAt: datetime.realtime(), batch: $batch, recordedAt: $now, sourceDepartment: $dept"
)
# A returned event's provenance: its place in the transaction is its place in the list, and its
# ``recordedAt`` (the statement's $now) is given to ``note`` rather than returned (a DateTime
# each way cost the hub about as much as the rest of the event: docs/benchmarks.md).
_NOTED_PROVENANCE = "batch: $batch, sourceDepartment: $dept"


def _about_listing(v: str, department: str) -> str:
    """The event properties read from listing ``v`` (a source listing or a derived entry)."""
    return (
        f"subjectKey: {v}.subjectKey, subjectLabel: {v}.subjectLabel, listingId: {v}.id, "
        f"list: {v}.list, domain: {v}.domain, department: {department}, "
        f"derived: CASE WHEN {v}.derived THEN true END, sourceId: {v}.sourceId, "
        f"public: {v}.list IN ['BLACK', 'RED'] AND NOT coalesce({v}.derived, false)"
    )


def listing_event(v: str, change: str, on: str, reason: str = "null") -> str:
    """Cypher: the event of a listing trail entry of type ``change`` (a Cypher expression) on
    listing ``v``. A loan report not yet confirmed (not a Listing) and a bank's REPORTED entry
    have no effect, so no event; OBJECTION_FILED is SUSPENDED, CONFIRMED is LISTED."""
    kind = (
        f"CASE {change} WHEN 'OBJECTION_FILED' THEN 'SUSPENDED' "
        f"WHEN 'CONFIRMED' THEN 'LISTED' ELSE {change} END"
    )
    return f"""
FOREACH (_ IN CASE WHEN {v}:Listing AND {change} <> 'REPORTED' THEN [1] ELSE [] END |
  CREATE (:EventPending {{type: {kind}, reason: {reason},
                         on: coalesce({on}, {v}.effectiveFrom),
                         {_about_listing(v, f"{v}.department")}, {_PROVENANCE}}}))
"""


def _listing_map(v: str, kind: str, on: str, reason: str, department: str) -> str:
    return (
        f"{{type: {kind}, reason: {reason}, on: {on}, "
        f"{_about_listing(v, department)}, {_NOTED_PROVENANCE}}}"
    )


def listing_event_map(v: str, change: str, on: str, reason: str = "null") -> str:
    """Cypher expression: ``listing_event``'s event as a map (null where it has none), for a
    statement that returns its events rather than writing them (``note``)."""
    kind = (
        f"CASE {change} WHEN 'OBJECTION_FILED' THEN 'SUSPENDED' "
        f"WHEN 'CONFIRMED' THEN 'LISTED' ELSE {change} END"
    )
    return (
        f"CASE WHEN {v}:Listing AND {change} <> 'REPORTED' THEN "
        f"{_listing_map(v, kind, f'coalesce({on}, {v}.effectiveFrom)', reason, f'{v}.department')}"
        " END"
    )


def derived_ended_maps(source: str, on: str) -> str:
    """Cypher expression: ``derived_ended``'s events as a list of maps."""
    about = _listing_map("d", "'DERIVED_ENDED'", on, "null", f"{source}.department")
    return f"""COLLECT {{
  MATCH ({source})<-[:DERIVED_FROM]-(d:Listing)
  WHERE NOT coalesce(d.retracted, false)
  WITH DISTINCT d
  RETURN {about}
}}"""


def derived_event_map(entry: str, source: str, kind: str, on: str) -> str:
    """Cypher expression: a ``kind`` event (DERIVED_ADDED, DERIVED_ENDED) of derived entry
    ``entry`` of ``source``, as a map."""
    return _listing_map(entry, f"'{kind}'", on, "null", f"{source}.department")


def derived_ended(source: str, on: str) -> str:
    """Cypher: a DERIVED_ENDED event for each live derived entry of source listing ``source``
    (a derived entry follows its source: docs/punishment.md)."""
    return f"""
WITH *
CALL (*) {{
  MATCH ({source})<-[:DERIVED_FROM]-(d:Listing)
  WHERE NOT coalesce(d.retracted, false)
  WITH DISTINCT d
  CREATE (:EventPending {{type: 'DERIVED_ENDED', on: {on}, reason: null,
                         {_about_listing("d", f"{source}.department")}, {_PROVENANCE}}})
}}
"""


def subject_event(kind: str, subject: str, fields: str, public: str) -> str:
    """Cypher: an event of type ``kind`` (an expression: a quoted type or a parameter) about
    subject node ``subject`` (an Enterprise or a Person) with
    the extra ``fields`` (``name: expression, …``), shown to anonymous callers when ``public``
    holds; provenance from the statement's $batch, $now and $dept."""
    return f"""
CREATE (:EventPending {{type: {kind}, public: {public},
  subjectKey: coalesce({subject}.uscc, {subject}.idNumber),
  subjectLabel: CASE WHEN {subject}:Enterprise THEN 'Enterprise' ELSE 'Person' END,
  {fields}, {_PROVENANCE}}})
"""


def subject_event_map(kind: str, subject: str, fields: str, public: str) -> str:
    """Cypher expression: ``subject_event``'s event as a map."""
    return f"""{{type: {kind}, public: {public},
  subjectKey: coalesce({subject}.uscc, {subject}.idNumber),
  subjectLabel: CASE WHEN {subject}:Enterprise THEN 'Enterprise' ELSE 'Person' END,
  {fields}, {_NOTED_PROVENANCE}}}"""


def record_event(kind: str, target: str, fields: str) -> str:
    """Cypher: an event of type ``kind`` about the subject of ``target`` (a Listing or an
    administrative Action) — a workflow step on that record (an objection, a repair
    application) — with its listing or action, list, domain and deciding department and the
    extra ``fields``. Public when the record is (a BLACK or RED listing that is not a derived
    entry; an action's publicity depends on the day, so its steps are not)."""
    public = (
        f"{target}:Listing AND {target}.list IN ['BLACK', 'RED'] "
        f"AND NOT coalesce({target}.derived, false)"
    )
    about = (
        f"listingId: CASE WHEN {target}:Listing THEN {target}.id END, "
        f"actionId: CASE WHEN {target}:Action THEN {target}.id END, list: {target}.list, "
        f"domain: {target}.domain, department: {target}.department, {fields}"
    )
    return f"""
WITH *
CALL (*) {{
  MATCH ({target})-[:ON|ABOUT]->(s)
  WHERE s:Enterprise OR s:Person
  WITH {target}, s LIMIT 1
  {subject_event(kind, "s", about, public)}
}}
"""


def evaluation_event_map(v: str, row: str) -> str:
    """Cypher expression: an EVALUATION_CHANGED event of evaluation ``v``, as a map, from ``row``
    (with the subject's current grade before and after: ``previousGrade``, ``currentGrade``)."""
    return f"""{{type: 'EVALUATION_CHANGED', on: {v}.evaluatedOn,
  reason: null, subjectKey: {row}.subject, subjectLabel: {row}.subjectLabel,
  grade: {v}.grade, evaluationId: {v}.id, department: {row}.department,
  previousGrade: {row}.previousGrade, currentGrade: {row}.currentGrade,
  public: false, {_NOTED_PROVENANCE}}}"""


class Noted:
    """The events a write transaction has made so far, in the order made: those its statements
    returned (``note``: the importer's bulk writers, ``emit``) and, gathered at the point where
    one is noted after them, the ``EventPending`` nodes of the other fragments. The store
    adapter keeps one per write unit of work (hub/store/adapter.py) and hands it to ``seal``."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self.tx = tx
        self.events: list[dict[str, Any]] = []
        # Each event's recordedAt, as runs of [moment, how many events in a row] (one run per
        # statement, as a rule), so the seal gets each moment once.
        self.moments: list[list[Any]] = []
        # a statement able to create EventPending nodes ran since the last gather
        self.nodes = False

    async def add(self, events: list[dict[str, Any]], now: Any) -> None:
        if self.nodes:  # the nodes were made before these: gathered first, to keep the order
            await self.gather()
        for event in events:
            # A node holds no null property: the same event without its null fields.
            kept = {k: v for k, v in event.items() if v is not None}
            self._moment(kept.pop("recordedAt", now))
            self.events.append(kept)

    def _moment(self, moment: Any) -> None:
        last = self.moments[-1][0] if self.moments else None
        if self.moments and type(last) is type(moment) and last == moment:
            self.moments[-1][1] += 1
        else:
            self.moments.append([moment, 1])

    async def gather(self) -> None:
        record = await (await self.tx.run(GATHER)).single()
        for event in record["events"] if record else []:
            event.pop("madeAt", None)
            self._moment(event.pop("recordedAt", None))
            self.events.append(event)
        self.nodes = False


def noted_of(tx: AsyncManagedTransaction) -> Noted:
    """The events noted in write transaction ``tx`` (a Store.write unit of work's)."""
    noted = getattr(tx, "noted", None)
    if not isinstance(noted, Noted):
        raise TypeError("events are written only in a Store write unit of work")
    return noted


def rows_events(rows: list[Any]) -> list[dict[str, Any]]:
    """A statement's returned events, one element per row: a map, a list of maps, or null (a
    row that made none), flattened in row order."""
    out: list[dict[str, Any]] = []
    for row in rows:
        if isinstance(row, list):
            out += [e for e in row if e is not None]
        elif row is not None:
            out.append(row)
    return out


async def note(tx: AsyncManagedTransaction, events: list[dict[str, Any]], now: Any) -> None:
    """Events a statement of ``tx`` returned (maps built by the ``*_map`` fragments), recorded
    at ``now`` (the statement's $now), to be numbered with the transaction's others when it
    commits. Fields that are null are left out, as a pending node leaves them out."""
    if events:
        await noted_of(tx).add(events, now)


async def emit(tx: AsyncManagedTransaction, events: list[dict[str, Any]], now: Any) -> None:
    """Write ``events`` in the caller's transaction (numbered when it commits).

    Each is a map with at least ``type``, ``subjectKey``, ``subjectLabel`` (Enterprise or
    Person) and ``public`` (shown to anonymous callers); optionally ``on``, ``domain``,
    ``department``, ``listingId``, ``reason``, ``batch``, ``sourceDepartment`` and the fields
    of the workflow (plain values only); ``recordedAt`` is ``now``. A type not in EVENT_TYPES
    is a programming error: it fails the transaction (the change with it) rather than an event
    no reader could show."""
    for event in events:
        if event.get("type") not in EVENT_TYPES or not event.get("subjectKey"):
            raise ValueError(
                f"an event needs a type of EVENT_TYPES and a subjectKey: {event.get('type')!r}"
            )
        unknown = sorted(set(event) - set(EVENT_FIELDS))
        if unknown:
            raise ValueError(f"an event field not in EVENT_FIELDS: {unknown}")
    await note(tx, events, now)


# The transaction's EventPending nodes, in the order made, as maps; deleted (made in this
# transaction, so deleting them writes nothing to the store).
_GATHERED = """
  MATCH (e:EventPending)
  WITH e ORDER BY e.madeAt
  WITH collect(e) AS nodes
  WITH nodes, [e IN nodes | properties(e)] AS gathered
  FOREACH (e IN nodes | DELETE e)
  RETURN gathered
"""
GATHER: LiteralString = trusted(f"CALL () {{{_GATHERED}}}\nRETURN gathered AS events")


# What an event may hold (docs/feeds.md), by kind: how the seal stores it in its transaction's
# EventBatch (one list per field, one element per event) and how a read gives it back.
# ``text``: '' stands for null; ``flag``: false for null; ``day``: a date as ISO text ('' for
# null); ``moment``: a datetime (the transaction's time for null); ``texts``: a list of texts,
# each preceded by SEPARATOR ('' for null or empty). A fragment or ``emit`` that writes a field
# not listed here fails its transaction (``seal``), with its change; so does a value of another
# type than its field's (a list property holds values of one type).
EVENT_FIELDS: dict[str, str] = {
    "type": "text",
    "on": "day",
    "recordedAt": "moment",
    "subjectKey": "text",
    "subjectLabel": "text",
    "public": "flag",
    "derived": "flag",
    "listingId": "text",
    "sourceId": "text",
    "actionId": "text",
    "list": "text",
    "domain": "text",
    "department": "text",
    "reason": "text",
    "batch": "text",
    "sourceDepartment": "text",
    "grade": "text",
    "evaluationId": "text",
    "previousGrade": "text",
    "currentGrade": "text",
    "measure": "text",
    "executionId": "text",
    "result": "text",
    "recordId": "text",
    "commitmentCode": "text",
    "scenario": "text",
    "detail": "text",
    "departments": "texts",
    "reasonKinds": "texts",
}
SEPARATOR = "\x1f"  # before each element of a ``texts`` field (not in codes or kinds)
_SEP = "\\u001f"  # the same in a Cypher string
_PENDING_ONLY = ("madeAt",)  # the seal's order, never stored


def _column(name: str, kind: str, pending: str) -> str:
    """Cypher: the list of field ``name`` over the events of list ``pending``, or null (no
    property) when no event has it (``present``: the fields the events have); as ``SEAL``
    sets it, spelt out for the migration (BATCH_OLD_EVENTS, which takes no parameters)."""
    value = {
        "text": f"coalesce(e.{name}, '')",
        "flag": f"coalesce(e.{name}, false)",
        "day": f"coalesce(toString(e.{name}), '')",
        "moment": f"coalesce(e.{name}, datetime.transaction())",
        "texts": f"reduce(t = '', x IN coalesce(e.{name}, []) | t + '{_SEP}' + x)",
    }[kind]
    return f"b.{name} = CASE WHEN '{name}' IN present THEN [e IN {pending} | {value}] END"


def _columns(pending: str) -> str:
    return ",\n    ".join(_column(n, k, pending) for n, k in EVENT_FIELDS.items())


# The transaction's events, in the order made — those noted ($events) and then its pending
# nodes — become one EventBatch numbered first..last: one node per transaction that writes
# events, not one per event (its cost: docs/feeds.md). The fields are a parameter ($fields:
# EVENT_FIELDS) set by name, so the statement stays small: it is planned again whenever the
# store's statistics move, and a statement spelling out every field took 300-450 ms to plan.
SEAL: LiteralString = trusted(
    f"""
CALL () {{{_GATHERED}}}
WITH $events + gathered AS events,
     reduce(m = [], run IN $moments | m + [i IN range(1, run[1]) | run[0]])
     + [e IN gathered | e.recordedAt] AS moments
WHERE size(events) > 0
WITH events, moments,
     COLLECT {{ UNWIND events AS e UNWIND keys(e) AS k RETURN DISTINCT k }}
     + CASE WHEN any(m IN moments WHERE m IS NOT NULL) THEN ['recordedAt'] ELSE [] END AS present
MERGE (c:EventCounter {{name: 'events'}})
ON CREATE SET c.seq = 0
SET c._lock = true
REMOVE c._lock
WITH events, moments, present, c, c.seq AS last
SET c.seq = last + size(events)
CREATE (b:EventBatch {{first: last + 1, last: last + size(events)}})
WITH events, moments, present, b
CALL (events, moments, present, b) {{
  UNWIND $fields AS f
  WITH events, moments, b, f WHERE f.name IN present
  SET b[f.name] = CASE f.kind
    WHEN 'flag' THEN [e IN events | coalesce(e[f.name], false)]
    WHEN 'day' THEN [e IN events | coalesce(toString(e[f.name]), '')]
    // the one moment field, recordedAt: from the runs given (the noted events), then the nodes
    WHEN 'moment' THEN [i IN range(0, size(events) - 1) |
                        coalesce(moments[i], datetime.transaction())]
    WHEN 'texts' THEN [e IN events |
                       reduce(t = '', x IN coalesce(e[f.name], []) | t + '{_SEP}' + x)]
    ELSE [e IN events | coalesce(e[f.name], '')] END
}}
RETURN b.first AS first, b.last AS last, [k IN present WHERE NOT k IN $known] AS unknown
"""
)
SEAL_PARAMS = {
    "known": [*EVENT_FIELDS, *_PENDING_ONLY],
    "fields": [{"name": n, "kind": k} for n, k in EVENT_FIELDS.items()],
    "events": [],
    "moments": [],
}
assert [n for n, k in EVENT_FIELDS.items() if k == "moment"] == ["recordedAt"]  # noqa: S101 - SEAL


async def seal(tx: AsyncManagedTransaction, noted: Noted | None = None) -> tuple[int, int] | None:
    """Number this transaction's events (``noted``, then its pending nodes); (first, last)
    number, or None if none. An event with a field not in EVENT_FIELDS fails the transaction
    (ValueError)."""
    given = {"events": noted.events, "moments": noted.moments} if noted else {}
    result = await tx.run(SEAL, {**SEAL_PARAMS, **given})
    record = await result.single()
    if record is None:
        return None
    if record["unknown"]:  # raised before the commit: the transaction rolls back, change and all
        raise ValueError(f"an event field not in EVENT_FIELDS: {sorted(record['unknown'])}")
    return (int(record["first"]), int(record["last"]))


# The events of one-event-a-node logs (before the EventBatch) as batches of one, numbers kept
# (hub/store/schema_ops.py runs it at migration; nothing matches once done).
BATCH_OLD_EVENTS: LiteralString = trusted(
    f"""
MATCH (e:Event)
CALL (e) {{
  WITH e, [e] AS pending, keys(e) AS present
  CREATE (b:EventBatch {{first: e.seq, last: e.seq}})
  SET {_columns("pending")}
  DELETE e
}} IN TRANSACTIONS OF 1000 ROWS
"""
)


# Pages in number order. The filters are ANDed; ``watch`` (a watchlist's subjects and domains)
# matches an event of a watched subject or of a watched domain.
# ``grades``: evaluation changes that moved a subject's current grade into or out of one of them.
# An EARLY_WARNING is read only by the departments it names (``departments``: those supervising
# its subject) unless ``warningsAll`` (hub/policy.py: warning_scope); ``warnedFor``: only
# events naming it. Batches are read in number order, each one's lists once, and the reading
# stops at ``limit`` events (the batches after are not read).
PAGE: LiteralString = trusted(
    f"""
MATCH (b:EventBatch)
WHERE b.last > $after
WITH b ORDER BY b.last
CALL (b) {{
  WITH b, properties(b) AS p
  UNWIND range(0, b.last - b.first) AS i
  WITH b, p, i, p.type[i] AS type, coalesce(p.departments[i], '') + '{_SEP}' AS departments
  WHERE b.first + i > $after
    AND ($public = false OR p.public[i])
    AND ($grades IS NULL OR (type = 'EVALUATION_CHANGED'
         AND coalesce(p.previousGrade[i], '') <> coalesce(p.currentGrade[i], '')
         AND (p.previousGrade[i] IN $grades OR p.currentGrade[i] IN $grades)))
    AND ($subjects IS NULL OR p.subjectKey[i] IN $subjects)
    AND ($domains IS NULL OR p.domain[i] IN $domains)
    AND ($types IS NULL OR type IN $types)
    AND ($watchSubjects IS NULL OR p.subjectKey[i] IN $watchSubjects
         OR p.domain[i] IN $watchDomains)
    AND (type <> 'EARLY_WARNING' OR $warningsAll
         OR departments CONTAINS '{_SEP}' + $warningDepartment + '{_SEP}')
    AND ($warnedFor IS NULL OR departments CONTAINS '{_SEP}' + $warnedFor + '{_SEP}')
  RETURN b.first + i AS seq, [k IN keys(p) WHERE NOT k IN ['first', 'last'] | [k, p[k][i]]] AS e
}}
RETURN seq, e
LIMIT $limit
"""
)


def _decoded(seq: int, fields: list[list[Any]]) -> dict[str, Any]:
    """An event as its reader gets it from a batch's lists (EVENT_FIELDS: null where absent)."""
    event: dict[str, Any] = {"seq": seq}
    for name, value in fields:
        kind = EVENT_FIELDS.get(name, "text")
        if kind == "flag":
            event[name] = value
        elif value is None or value == "":
            continue
        elif kind == "day":
            event[name] = dt.date.fromisoformat(value)
        elif kind == "texts":
            event[name] = value.split(SEPARATOR)[1:]
        else:
            event[name] = native(value)
    return event


async def page(
    tx: AsyncManagedTransaction, after: int, limit: int, filters: dict[str, Any]
) -> list[dict[str, Any]]:
    """Events numbered after ``after``, at most ``limit``, oldest first (``filters``: public,
    subjects, domains, types, grades, watchSubjects, watchDomains, warnedFor; None where not
    filtered; warningsAll and warningDepartment: which early warnings the caller reads), as
    maps of EVENT_FIELDS (``event_reads.page``: as typed rows)."""
    result = await tx.run(PAGE, {"after": after, "limit": limit, **filters})
    return [_decoded(int(r["seq"]), r["e"]) for r in await result.fetch(limit)]


LAST: LiteralString = """
OPTIONAL MATCH (c:EventCounter {name: 'events'})
RETURN coalesce(c.seq, 0) AS last
"""


async def last_number(tx: AsyncManagedTransaction) -> int:
    record = await (await tx.run(LAST)).single()
    return int(record["last"]) if record else 0


# --- watchlists -----------------------------------------------------------------------------

WATCH: LiteralString = """
MERGE (w:Watchlist {keyId: $keyId})
ON CREATE SET w.subjects = [], w.domains = [], w.createdAt = $now
SET w._lock = true
REMOVE w._lock
WITH w, [s IN w.subjects WHERE NOT s IN $dropSubjects] + $addSubjects AS subjects,
     [d IN w.domains WHERE NOT d IN $dropDomains] + $addDomains AS domains
SET w.subjects = reduce(acc = [], s IN subjects | CASE WHEN s IN acc THEN acc ELSE acc + s END),
    w.domains = reduce(acc = [], d IN domains | CASE WHEN d IN acc THEN acc ELSE acc + d END),
    w.updatedAt = $now
RETURN w {.keyId, .subjects, .domains} AS w
"""


async def change_watchlist(
    tx: AsyncManagedTransaction,
    key_id: str,
    add: tuple[list[str], list[str]],
    drop: tuple[list[str], list[str]],
    now: Any,
) -> dict[str, Any]:
    """Add and drop (subjects, domains) of a key's watchlist; the watchlist after."""
    params = {
        "keyId": key_id,
        "addSubjects": add[0],
        "addDomains": add[1],
        "dropSubjects": drop[0],
        "dropDomains": drop[1],
        "now": now,
    }
    record = await (await tx.run(WATCH, params)).single()
    assert record is not None  # noqa: S101 - MERGE always yields the watchlist
    return native(record["w"])  # type: ignore[no-any-return]


WATCHLIST: LiteralString = """
OPTIONAL MATCH (w:Watchlist {keyId: $keyId})
RETURN coalesce(w.subjects, []) AS subjects, coalesce(w.domains, []) AS domains
"""


async def watchlist(tx: AsyncManagedTransaction, key_id: str) -> tuple[list[str], list[str]]:
    record = await (await tx.run(WATCHLIST, {"keyId": key_id})).single()
    return (list(record["subjects"]), list(record["domains"])) if record else ([], [])
