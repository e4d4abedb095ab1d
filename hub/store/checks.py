"""Cypher of check-before-approval: one query gathers every reach of a batch of subjects.

For each subject, on ``$asOf``: its employments (a person's WORKS_FOR, for the public-servant
measures), the listings ON it (own ones, and the derived entries of its personal credit record
read through their source listing), the court listings of the persons holding a reaching role
at it that day (upward reach), the listed enterprises it holds more than half of through valid
shareholdings (bounded, simple paths), its broken commitments (confirmed by then) and its
latest evaluation. The last two are read in one pass over the subject's relationships: most
subjects have fewer than 50, and Neo4j then walks all of them for each type asked apart (the
commitments alone cost 13 of a gather's 195 database hits, docs/architecture.md).
Everything comes back as one record (a list), which the driver decodes far faster than one
record per subject. The receipts of the same checks are written by the next statement: the hub
runs both as auto-commit statements (``Store.statements``), the tools in a transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph_seed.model import relationship_types
from hub.rules.decision import (
    RELATED_COURT_LISTED,
    RELATED_ROLES,
    SUSPECTED_CONTROLLER,
    Entry,
    Evaluation,
    ListingView,
    OwnershipPath,
    ReachKind,
    Step,
    Subject,
)
from hub.rules.explain import ROLE_ORDER
from hub.rules.listings import ListingFacts, listing_state
from hub.rules.measures import PartyToken
from hub.rules.ownership import CONTROL_SHARE
from hub.store.adapter import Runner
from hub.store.values import native

MAX_OWNERSHIP_HOPS = 10
_RELATED_TYPES = "|".join(relationship_types(RELATED_ROLES))
# Shareholding paths read per subject towards listed enterprises (ten times the 500 read before
# the review). Beyond it the share is a lower bound: the answer says so (``truncated``) and
# every listed enterprise reached is a suspected-controller hit, so that a cut never turns into a
# CLEAR. A subject at the cap cost the gather 0.11 s once (nine-hop paths, docs/check.md); the
# investigators' beneficialOwners, which is not on an approval's path, reads up to 20,000.
MAX_OWNERSHIP_PATHS = 5_000
# Paths a suspected-controller hit shows (largest first), each with its product; the share is
# the sum over every path read, and the hit says how many paths that was (``pathCount``), so
# the rest are summed in the reason rather than listed one by one.
MAX_PATHS_SHOWN = 20

# A BLACK listing that may be in force on $asOf (listing_state decides: it can still be under
# objection). The ownership search looks for these only, so listings that ended or have not yet
# begun use up no path of the cap.
_IN_FORCE = """{v}.derived = false
      AND {v}.effectiveFrom <= $asOf AND ({v}.expiresOn IS NULL OR {v}.expiresOn > $asOf)
      AND ({v}.endedOn IS NULL OR {v}.endedOn > $asOf)"""

_LISTING = """{v} {{.id, .list, .domain, .source, .department, .effectiveFrom, .expiresOn,
  .endedOn, .basis, .caseNumber, .decisionDate,
  departmentName: [({v})-[:ISSUED_BY]->(dep:Department) | dep.name][0]}}"""
_OBJECTIONS = "[(o:Objection)-[:OBJECTS_TO]->({v}) | o {{.filedOn, .resolvedOn}}]"
_SUBJECT = "[({v})-[:ON]->(x) | x {{.uscc, .idNumber, .name, .kind}}][0]"


def _listing(v: str) -> str:
    return (
        f"listing: {_LISTING.format(v=v)}, objections: {_OBJECTIONS.format(v=v)}, "
        f"subject: {_SUBJECT.format(v=v)}"
    )


GATHER: LiteralString = f"""
UNWIND $subjects AS s
OPTIONAL MATCH (e:Enterprise {{uscc: s.uscc}})
OPTIONAL MATCH (p:Person {{idNumber: s.idNumber}})
WITH s, coalesce(e, p) AS n
CALL (n) {{
  OPTIONAL MATCH (n)<-[:ON]-(l:Listing)
  WHERE NOT coalesce(l.retracted, false)
  OPTIONAL MATCH (l)-[df:DERIVED_FROM]->(src:Listing)
  WITH l, collect(df {{.role, from: df.roleFrom, to: df.roleTo}}) AS links, head(collect(DISTINCT src)) AS src
  WITH l, links, CASE WHEN src IS NULL THEN l ELSE src END AS base
  RETURN collect(CASE WHEN l IS NULL THEN null ELSE {{
    entry: l {{.id, .derived, .parties, .roles, .liable, .via}}, links: links,
    {_listing("base")}
  }} END) AS listed
}}
CALL (n) {{
  OPTIONAL MATCH (n:Enterprise)<-[r:{_RELATED_TYPES}]-(pp)
  WHERE (r.from IS NULL OR r.from <= $asOf) AND (r.to IS NULL OR r.to >= $asOf)
    AND (type(r) <> 'CONTROLS' OR r.declared)
  OPTIONAL MATCH (pp)<-[:ON]-(cl:Listing {{source: 'COURT'}})
  WHERE cl.derived = false
  WITH r, pp, cl WHERE cl IS NOT NULL
  RETURN collect({{
    role: r.role, relationship: type(r), from: r.from, to: r.to,
    person: pp {{.idNumber, .uscc, .name}},
    {_listing("cl")}
  }}) AS related
}}
CALL (n) {{
  CALL (n) {{
    MATCH path = (n)(()-[h:HOLDS_SHARES WHERE (h.from IS NULL OR h.from <= $asOf)
                                      AND (h.to IS NULL OR h.to >= $asOf)]->()){{1,{MAX_OWNERSHIP_HOPS}}}(c:Enterprise)
    WHERE n IS NOT NULL
      AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
      AND EXISTS {{ (c)<-[:ON]-(bl:Listing {{list: 'BLACK'}}) WHERE {_IN_FORCE.format(v="bl")} }}
    RETURN path, c LIMIT {MAX_OWNERSHIP_PATHS + 1}
  }}
  WITH collect([c, path]) AS found
  WITH found, size(found) > {MAX_OWNERSHIP_PATHS} AS truncated
  CALL (found, truncated) {{
    UNWIND found[..{MAX_OWNERSHIP_PATHS}] AS f
    WITH f[0] AS c, f[1] AS path
    WITH c, path, reduce(x = 1.0, r IN relationships(path) | x * r.share) AS product
    ORDER BY product DESC
    WITH c, sum(product) AS share, count(path) AS pathCount,
         collect([path, product])[..{MAX_PATHS_SHOWN}] AS top
    WHERE share > {CONTROL_SHARE} OR truncated
    OPTIONAL MATCH (c)<-[:ON]-(bl:Listing {{list: 'BLACK'}})
    WHERE {_IN_FORCE.format(v="bl")}
    WITH c, share, pathCount, top, bl WHERE bl IS NOT NULL
    RETURN collect({{
      share: share, pathCount: pathCount,
      paths: [t IN top | {{product: t[1], steps: [i IN range(0, length(t[0]) - 1) | {{
        holder: {{uscc: nodes(t[0])[i].uscc, idNumber: nodes(t[0])[i].idNumber,
                  name: nodes(t[0])[i].name}},
        target: {{uscc: nodes(t[0])[i + 1].uscc, name: nodes(t[0])[i + 1].name}},
        share: relationships(t[0])[i].share, from: relationships(t[0])[i].from,
        to: relationships(t[0])[i].to}}]}}],
      {_listing("bl")}
    }}) AS suspected
  }}
  RETURN suspected, truncated
}}
CALL (n) {{
  OPTIONAL MATCH (n:Person)-[w:WORKS_FOR]->()
  RETURN collect(w {{.publicServant, .from, .to}}) AS employment
}}
CALL (n) {{
  OPTIONAL MATCH (n)<-[made:MADE_BY|EVALUATES]-(x)
  WHERE CASE type(made)
    WHEN 'MADE_BY' THEN x:Commitment AND x.fulfilment = 'BROKEN' AND x.confirmedOn <= $asOf
    ELSE x:Evaluation AND x.evaluatedOn <= $asOf END
  WITH collect(CASE type(made) WHEN 'MADE_BY' THEN x END) AS commitments,
       collect(CASE type(made) WHEN 'EVALUATES' THEN x END) AS evaluations
  CALL (evaluations) {{
    UNWIND evaluations AS ev
    WITH ev ORDER BY ev.evaluatedOn DESC, ev.id DESC LIMIT 1
    RETURN collect(ev {{.id, .grade, .evaluatedOn, .source}})[0] AS evaluation
  }}
  RETURN [c IN commitments | c {{.code, .type, .content, .liability, .madeOn, .confirmedOn,
    .department, .scenario, .caseNumber, .undone, .disclosure,
    departmentName: [(c)-[:ISSUED_BY]->(cd:Department) | cd.name][0]}}] AS broken, evaluation
}}
RETURN collect({{
  i: s.i,
  subject: n {{.uscc, .idNumber, .name, .kind, .publicServant}},
  listed: listed, related: related, suspected: suspected, truncated: truncated,
  evaluation: evaluation, employment: employment, broken: broken
}}) AS results
"""

# One asking time per transaction, sent once, and dates as ISO text: packing a timezone-aware
# datetime is slow Python in the driver, and per receipt it showed in a profile of the hub.
# MERGE on the id: a unit retried after its receipts committed (hub/store/adapter.py, the
# connection lost before the answer) writes no second receipt, and sets the one it wrote to the
# answer the retry gives, so that the receipt always says what the caller was told. (Nobody
# else can hold the id yet: it reaches the caller with that answer.)
WRITE_RECEIPTS: LiteralString = """
UNWIND $receipts AS r
MERGE (x:Receipt {id: r.id})
SET x = r, x.askedAt = datetime($askedAt), x.recordedAt = datetime($askedAt),
    x.asOf = date(r.asOf), x.batch = 'check', x.sourceDepartment = r.department
"""

RECEIPT: LiteralString = """
MATCH (x:Receipt {id: $id})
RETURN x {.*} AS receipt
"""

RECORD_OUTCOME: LiteralString = """
MATCH (x:Receipt {id: $id})
SET x.outcome = $outcome, x.outcomeAt = $at, x.outcomeBy = $keyId, x.outcomeNote = $note
CREATE (x)-[:HAS_OUTCOME]->(:ApprovalOutcome {id: $outcomeId, outcome: $outcome, at: $at,
        keyId: $keyId, note: $note, recordedAt: $at, batch: 'outcome',
        sourceDepartment: coalesce($department, x.department)})
RETURN x {.*} AS receipt
"""


async def gather(tx: Runner, subjects: list[dict[str, Any]], as_of: Any) -> list[dict[str, Any]]:
    result = await tx.run(GATHER, {"subjects": subjects, "asOf": as_of})
    record = await result.single()
    rows: list[dict[str, Any]] = native(record["results"]) if record else []
    return rows


async def write_receipts(tx: Runner, receipts: list[dict[str, Any]], asked_at: dt.datetime) -> None:
    if receipts:
        params = {"receipts": receipts, "askedAt": asked_at.isoformat()}
        await (await tx.run(WRITE_RECEIPTS, params)).consume()


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    """A check's receipt as the store reads it (``RECEIPT``; ``RECORD_OUTCOME`` returns it with
    its outcome): who asked, about whom, what was answered, and the approval's outcome."""

    id: str
    asked_at: dt.datetime
    key_id: str
    subject_label: str | None
    subject_key: str | None
    scenario: str
    as_of: dt.date
    decision: str
    department: str | None = None
    found: bool = False
    aggravated: bool = False
    truncated: bool = False
    hits: tuple[str, ...] = ()
    suspended_hits: tuple[str, ...] = ()
    incentives: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    outcome: str | None = None
    outcome_at: dt.datetime | None = None
    outcome_note: str | None = None


def receipt_row(row: dict[str, Any]) -> ReceiptRow:
    """The store's map of a receipt (``x {.*}``) as a ``ReceiptRow``."""
    get = row.get
    return ReceiptRow(
        id=str(row["id"]),
        asked_at=row["askedAt"],
        key_id=str(row["keyId"]),
        subject_label=get("subjectLabel"),
        subject_key=get("subjectKey"),
        scenario=str(row["scenario"]),
        as_of=row["asOf"],
        decision=str(row["decision"]),
        department=get("department"),
        found=bool(get("found")),
        aggravated=bool(get("aggravated")),
        truncated=bool(get("truncated")),
        hits=tuple(get("hits") or ()),
        suspended_hits=tuple(get("suspendedHits") or ()),
        incentives=tuple(get("incentives") or ()),
        editions=tuple(get("editions") or ()),
        outcome=get("outcome"),
        outcome_at=get("outcomeAt"),
        outcome_note=get("outcomeNote"),
    )


async def receipt(tx: AsyncManagedTransaction, receipt_id: str) -> ReceiptRow | None:
    record = await (await tx.run(RECEIPT, {"id": receipt_id})).single()
    return receipt_row(native(record["receipt"])) if record else None


async def record_outcome(tx: AsyncManagedTransaction, /, **params: Any) -> ReceiptRow:
    """Records the outcome (every one is kept as an ApprovalOutcome) and returns the receipt."""
    record = await (await tx.run(RECORD_OUTCOME, params)).single()
    if record is None:
        raise LookupError(f"receipt {params['id']} disappeared while recording its outcome")
    return receipt_row(native(record["receipt"]))


# --- the gathered rows as the rules' types -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class GatheredSubject:
    """The checked subject as ``GATHER`` reads it (``subject``: a few of its properties)."""

    name: str | None
    kind: str | None
    public_servant: bool


def gathered_subject(row: dict[str, Any]) -> GatheredSubject | None:
    """The subject of one row of ``gather``; None when the graph does not hold it."""
    node = row.get("subject")
    if node is None:
        return None
    get = node.get
    return GatheredSubject(get("name"), get("kind"), bool(get("publicServant")))


def broken_commitments_of(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The subject's broken commitments confirmed by asOf, with their disclosure (the caller's
    right to read each is decided per answer: resolvers/checks.py)."""
    return [c for c in row.get("broken") or [] if c]


def evaluation_of(row: dict[str, Any]) -> Evaluation | None:
    """The subject's latest evaluation on asOf, if any."""
    ev = row.get("evaluation")
    return Evaluation(ev["id"], ev["grade"], ev["evaluatedOn"], ev.get("source")) if ev else None


def _view(item: dict[str, Any], as_of: dt.date) -> ListingView:
    """A gathered listing (with its objections and subject) as the decision sees it on as_of."""
    listing, subject = item["listing"], item["subject"] or {}
    label = "Enterprise" if subject.get("uscc") else "Person"
    return ListingView(
        id=str(listing["id"]),
        list=str(listing["list"]),
        domain=str(listing.get("domain") or ""),
        source=str(listing.get("source") or "ADMINISTRATIVE"),
        state=listing_state(ListingFacts.of(listing, item.get("objections") or []), as_of),
        department=listing.get("department"),
        department_name=listing.get("departmentName"),
        subject_label=label,
        subject_key=str(subject.get("uscc") or subject.get("idNumber") or ""),
        subject_name=str(subject.get("name") or ""),
        subject_kind=str(subject.get("kind") or ("PERSON" if label == "Person" else "")),
        effective_from=listing["effectiveFrom"],
        expires_on=listing.get("expiresOn"),
        basis=listing.get("basis"),
        case_number=listing.get("caseNumber"),
    )


def _name(node: dict[str, Any] | None) -> str:
    return str((node or {}).get("name") or "")


def entries_of(row: dict[str, Any], subject: Subject, as_of: dt.date) -> list[Entry]:
    """The gathered reaches of one subject (a row of ``gather``) as decision entries with their
    paths: the rules see typed entries, never the statement's rows."""
    out: list[Entry] = []
    for item in row.get("listed") or []:
        if item is None or item.get("subject") is None:
            continue
        entry = item["entry"]
        view = _view(item, as_of)
        if not entry.get("derived"):
            out.append(Entry(ReachKind.OWN, view, (PartyToken.SUBJECT.value,)))
            continue
        links = sorted(item.get("links") or [], key=lambda link: str(link.get("role")))
        steps = tuple(
            Step(
                "Person",
                subject.key,
                subject.name,
                "Enterprise",
                view.subject_key,
                view.subject_name,
                "LIABLE" if str(link.get("role")).startswith("LIABLE") else "ROLE",
                str(link.get("role")),
                None,
                link.get("from"),
                link.get("to"),
            )
            for link in links
        )
        out.append(Entry(ReachKind.DERIVED, view, tuple(entry.get("parties") or ()), steps))
    # One entry per court listing and person (or controlling enterprise), with a step for each
    # role they hold at the subject on as_of: a legal representative who is also a director is
    # one reason, not two identical hits.
    related: dict[tuple[str, str], tuple[ListingView, list[Step]]] = {}
    for item in row.get("related") or []:
        holder = item["person"]
        label = "Enterprise" if holder.get("uscc") else "Person"
        key = str(holder.get("uscc") or holder.get("idNumber"))
        step = Step(
            label,
            key,
            _name(holder),
            "Enterprise",
            subject.key,
            subject.name,
            item["relationship"],
            item.get("role"),
            None,
            item.get("from"),
            item.get("to"),
        )
        slot = (str(item["listing"]["id"]), key)
        if slot not in related:
            related[slot] = (_view(item, as_of), [])
        related[slot][1].append(step)
    for view, held in related.values():
        held.sort(key=lambda s: (ROLE_ORDER.get(s.role or "", len(ROLE_ORDER)), s.role or ""))
        out.append(Entry(ReachKind.RELATED, view, (RELATED_COURT_LISTED,), tuple(held)))
    truncated = bool(row.get("truncated"))
    for item in row.get("suspected") or []:
        view = _view(item, as_of)
        paths = tuple(
            OwnershipPath(_share_steps(p.get("steps") or [], n), float(p["product"]))
            for n, p in enumerate(item.get("paths") or [], start=1)
        )
        share = float(item["share"])
        out.append(
            Entry(
                ReachKind.SUSPECTED,
                view,
                (SUSPECTED_CONTROLLER,),
                tuple(step for path in paths for step in path.steps),
                share,
                truncated,
                paths,
                int(item.get("pathCount") or len(paths)),
            )
        )
    return out


def _share_steps(steps: list[dict[str, Any]], path: int) -> tuple[Step, ...]:
    return tuple(
        Step(
            "Enterprise" if s["holder"].get("uscc") else "Person",
            str(s["holder"].get("uscc") or s["holder"].get("idNumber")),
            _name(s["holder"]),
            "Enterprise",
            str(s["target"]["uscc"]),
            _name(s["target"]),
            "HOLDS_SHARES",
            "SHAREHOLDER",
            s.get("share"),
            s.get("from"),
            s.get("to"),
            path,
        )
        for s in steps
    )
