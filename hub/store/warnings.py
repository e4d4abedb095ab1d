"""Cypher of credit-risk early warning: what one write transaction's changes reached, read in
that transaction before its events are numbered (hub/store/adapter.py runs ``warn`` after the
unit of work, before ``seal``), and the EARLY_WARNING events it writes there (``emit``).

The step starts only from the changes themselves, so it costs nothing where none happened:

* the transaction's ``LISTED`` events (pending nodes and those noted) of BLACK or WATCH listings (not derived): the
  ties of the listed party, at most two steps over roles, shareholdings and declared control
  (hub/store/related.py's link types), valid on the day, at most ``cap`` per listing;
* its ``EVALUATION_CHANGED`` events: the subject's evaluations and the content a
  changed one had before (its Revision of the same batch);
* its new penalties: an Action of type PENALTY created by an upload carries the label
  ``PenaltyPending`` (``PENALTY_MARK``, spliced into the importer's create statement) until
  this step reads it and takes the label off, in the same transaction — like ``EventPending``,
  never visible to another transaction.

Paths come out in the investigation's shape (hub/store/graph.py ``node``/``rel``, as
``findPaths`` returns them: nodes in walking order from the warned subject to the listed party),
so the schema draws them with the same code (schema/links.py ``paths_of``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from hub.rules.warnings import WARNED_LISTS, Policy, warnings, window_start
from hub.store.events import emit, noted_of
from hub.store.graph import KEY, LABEL, node, rel, types, valid
from hub.store.imports import trusted
from hub.store.related import LINK_TYPES
from hub.store.values import plain

# The label a new penalty carries until the step has read it (hub/store/import_writes.py).
PENALTY_PENDING = "PenaltyPending"
PENALTY_MARK = f"""
FOREACH (_ IN CASE WHEN n.type = 'PENALTY' THEN [1] ELSE [] END | SET n:{PENALTY_PENDING})
"""

# Penalties written without the importer's create statement (the bulk load's import tool):
# marked in the transaction that is to warn of them, as the create statement marks its own.
MARK_PENALTIES: LiteralString = """
UNWIND $ids AS id
MATCH (a:Action {id: id})
WHERE a.type = 'PENALTY'
SET a:PenaltyPending
"""


async def mark_penalties(tx: AsyncManagedTransaction, ids: list[str]) -> None:
    """Mark these actions' penalties as new in ``tx`` (its early-warning step reads them)."""
    await (await tx.run(MARK_PENALTIES, {"ids": ids})).consume()


_LINKS = types(LINK_TYPES)
_DIRECT = types(("HOLDS_SHARES", "CONTROLS"))
_SUBJECT = "{{label: " + LABEL + ", key: " + KEY + "}}"

TRIGGERS: LiteralString = trusted(
    f"""
CALL () {{
  CALL () {{
    MATCH (p:EventPending) RETURN properties(p) AS t
    UNION ALL
    UNWIND $events AS t RETURN t
  }}
  WITH t WHERE t.type = 'LISTED' AND t.list IN $lists AND NOT coalesce(t.derived, false)
  MATCH (:Listing {{id: t.listingId}})-[:ON]->(x)
  CALL (x) {{
    CALL (x) {{
      MATCH (x:Enterprise)<-[r1:{_LINKS}]-(m)-[r2:{_LINKS}]->(s:Enterprise)
      WHERE s <> x AND {valid("r1", "$today")} AND {valid("r2", "$today")}
      RETURN s, [s, m, x] AS ns, [r2, r1] AS rs
      UNION ALL
      MATCH (x:Enterprise)-[r:{_DIRECT}]-(s:Enterprise)
      WHERE s <> x AND {valid("r", "$today")}
      RETURN s, [s, x] AS ns, [r] AS rs
      UNION ALL
      MATCH (x:Person)-[r:{_LINKS}]->(s:Enterprise)
      WHERE {valid("r", "$today")}
      RETURN s, [s, x] AS ns, [r] AS rs
    }}
    RETURN s, ns, rs LIMIT $cap
  }}
  WITH t, x, collect({{s: s, ns: ns, rs: rs}}) AS ties
  UNWIND ties[0..$capped] AS tie
  WITH t, x, tie, size(ties) > $capped AS capped
  RETURN tie.s AS s, {{cause: 'RELATED_PARTY_LISTED', listingId: t.listingId, list: t.list,
    domain: t.domain, department: t.department, on: t.on, batch: t.batch,
    sourceDepartment: t.sourceDepartment, asOf: $today, capped: capped,
    listed: {_SUBJECT.format(v="x")},
    nodes: [n IN tie.ns | {node("n")}], rels: [r IN tie.rs | {rel("r")}]}} AS cause
  UNION ALL
  CALL () {{
    MATCH (p:EventPending) RETURN properties(p) AS t
    UNION ALL
    UNWIND $events AS t RETURN t
  }}
  WITH t WHERE t.type = 'EVALUATION_CHANGED'
  MATCH (v:Evaluation {{id: t.evaluationId}})-[:EVALUATES]->(s)
  RETURN s, {{cause: 'GRADE_FELL', evaluationId: v.id, batch: t.batch,
    sourceDepartment: t.sourceDepartment,
    old: [(v)-[:HAS_REVISION]->(o:Revision) WHERE o.supersededBy = t.batch
          | o {{.grade, .evaluatedOn}}],
    evaluations: [(s)<-[:EVALUATES]-(e:Evaluation) | e {{.id, .grade, .evaluatedOn}}]}} AS cause
  UNION ALL
  MATCH (a:{PENALTY_PENDING})
  REMOVE a:{PENALTY_PENDING}
  WITH a
  MATCH (a)-[:ABOUT]->(s)
  WITH s, collect(a {{.id, .decisionDate, .batch, .sourceDepartment}}) AS new
  RETURN s, {{cause: 'PENALTIES_ACCUMULATED', new: new,
    recent: [(s)<-[:ABOUT]-(p:Action) WHERE p.type = 'PENALTY' AND p.decisionDate >= $since
             AND p.decisionDate <= $today | p {{.id, .decisionDate}}]}} AS cause
}}
WITH s, collect(cause) AS causes
RETURN {_SUBJECT.format(v="s")} AS subject, causes,
       COLLECT {{
         MATCH (s)<-[:ABOUT]-(a:Action) RETURN a.department AS department
         UNION
         MATCH (s)<-[:ON]-(l:Listing) WHERE NOT coalesce(l.derived, false)
         RETURN l.department AS department
       }} AS departments
"""
)


TRIGGER_TYPES = ("LISTED", "EVALUATION_CHANGED")
# What TRIGGERS reads of a noted event (the rest is not sent back to Neo4j).
TRIGGER_FIELDS = (
    "type", "list", "derived", "listingId", "domain", "department", "on", "batch",
    "sourceDepartment", "evaluationId",
)  # fmt: skip


async def reached(
    tx: AsyncManagedTransaction, policy: Policy, today: dt.date
) -> list[dict[str, Any]]:
    """Per subject the transaction's changes reached: {subject, causes, departments} (from its
    pending event nodes and the events it noted, hub/store/events.py)."""
    triggers = [
        {k: e[k] for k in TRIGGER_FIELDS if k in e}
        for e in noted_of(tx).events
        if e["type"] in TRIGGER_TYPES
    ]
    params = {
        "events": triggers,
        "lists": list(WARNED_LISTS),
        "today": today,
        "since": window_start(today),
        "cap": policy.related_cap + 1,
        "capped": policy.related_cap,
    }
    result = await tx.run(TRIGGERS, params)
    return [plain(record) for record in await result.fetch(1_000_000)]


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


async def warn(
    tx: AsyncManagedTransaction, policy: Policy, today: dt.date, now: dt.datetime
) -> int:
    """Write, in ``tx``, the EARLY_WARNING events of the changes it made; how many."""
    found = await reached(tx, policy, today)
    if not found:
        return 0
    events = []
    for warning in warnings(found, policy, today):
        detail = {"reasons": warning.pop("reasons")}
        warning["detail"] = orjson.dumps(detail, default=_json_default).decode()
        events.append(warning)
    if events:
        await emit(tx, events, now)
    return len(events)
