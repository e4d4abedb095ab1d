"""Writers of the listing, evaluation and measure kinds, with their checks and propagation.

Their place in a commit unit is declared in hub/importer/registry.py. Propagation runs as the
``after`` step of every listing kind: in the upload's transaction, for every accepted listing
(changed or not), so re-uploading a listing refreshes its derived entries idempotently; and as
the ``after`` step of roles and shareholdings, for the BLACK listings of the enterprises they
touch (registration data that arrives or is corrected after the listing).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from hub.errors import Conflict
from hub.importer import grade_orders
from hub.importer.listing_records import (
    CourtDefaultRecord,
    ListingRecord,
    LoanDefaultRecord,
    _ListingRecord,
)
from hub.importer.parse import LineError
from hub.importer.records import Record
from hub.rules import listings as rules
from hub.rules.propagation import LIABLE_TOKENS, ROLE_TOKENS, SourceListing, Tie, propagate
from hub.store import imports
from hub.store import listings as lq
from hub.store import propagation as pq
from hub.store.measures import UPSERT_EVALUATIONS, UPSERT_MEASURES

Items = list[tuple[int, Record]]


def _rows(items: Items) -> list[dict[str, Any]]:
    return [{**record.row(), "line": line} for line, record in items]


async def write_listings(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> imports.Counts:
    rows = _rows(items)
    counts = await lq.upsert(tx, lq.UPSERT_LISTINGS, rows, prov)
    taken = await lq.taken_ids(tx, rows)
    if taken:
        # The unit is rolled back and run again (hub/importer/runner.py): its owner check
        # then refuses these lines with the owner's name.
        raise Conflict(
            f"listing ids {', '.join(taken[:5])} were created by another upload meanwhile"
        )
    return counts


async def write_loans(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> imports.Counts:
    return await lq.upsert(tx, lq.UPSERT_LOAN_REPORTS, _rows(items), prov)


def _owner(record: _ListingRecord) -> str:
    if isinstance(record, LoanDefaultRecord):
        return record.bank
    return record.department_field() or ""


def owner_problem(record: _ListingRecord, existing: dict[str, Any]) -> str | None:
    """A listing id belongs to one source and one department (or bank) for ever."""
    owner = existing.get("bank") if existing.get("source") == "LOAN" else existing.get("department")
    if (
        existing.get("derived")
        or existing.get("source") != record.source
        or owner != _owner(record)
    ):
        return (
            f"listing {record.key()} already exists from {owner} "
            f"({existing.get('source')}); listing ids are unique across departments"
        )
    return None


def ended_problem(record: _ListingRecord, existing: dict[str, Any]) -> str | None:
    """A listing ends once (as the endListing mutation says): an upload may repeat the ending
    it has (a re-import), not give it another one."""
    ending = record.ending()
    if ending is None or existing.get("endedOn") is None:
        return None
    if (existing["endedOn"], existing.get("endReason")) == (ending["on"], ending["reason"]):
        return None
    return (
        f"listing {record.key()} already ended on {existing['endedOn'].isoformat()} "
        f"({existing.get('endReason')}); a listing ends once"
    )


def admin_court_problem(
    record: _ListingRecord, existing: dict[str, Any], prov: imports.Provenance
) -> str | None:
    """A court listing is changed only by the court's own uploads: an ADMIN may send it again
    unchanged (a re-import), not with other facts (its ground or dates decide when it ends)."""
    if not prov.admin or existing.get("source") != "COURT" or record.ending() is not None:
        return None  # an ending has its own rule and message (ending_problem)
    if existing.get("fp") == record.fingerprint():
        return None
    return (
        f"listing {record.key()} is a court listing: only the court's own uploads change it, "
        "not ADMIN"
    )


def confirmed_loan_problems(
    record: _ListingRecord, existing: dict[str, Any]
) -> list[tuple[str, str]]:
    """(field, reason): a confirmed loan listing is the regulator's.

    The bank may re-report the same facts (nothing changes) but not another subject or other
    facts; only the regulator that confirmed it re-uploads it confirmed (a correction).
    """
    if not isinstance(record, LoanDefaultRecord) or not existing.get("listed"):
        return []
    regulator = str(existing.get("confirmedBy") or existing.get("department"))
    if record.confirmed:
        if record.confirmed_by == regulator:
            return []
        return [
            (
                "confirmedBy",
                f"loan listing {record.id} was confirmed by {regulator}; only {regulator} "
                "corrects it",
            )
        ]
    subject = record.subject.field
    reported: dict[str, Any] = {
        subject: record.subject.key,
        "principalOverdueSince": record.principal_overdue_since,
        "reportedOn": record.reported_on,
    }
    if record.basis is not None:
        reported["basis"] = record.basis
    stored = {
        subject: existing.get("subjectKey"),
        "principalOverdueSince": existing.get("principalOverdueSince"),
        "reportedOn": existing.get("reportedOn"),
        "basis": existing.get("basis"),
    }
    return rules.loan_rereport_problems(
        record.id, regulator, existing.get("confirmedOn"), stored, reported
    )


async def _check_owners(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> list[LineError]:
    found = await lq.existing_owners(tx, [r.key() for _, r in items])
    errors: list[LineError] = []
    for line, record in items:
        assert isinstance(record, _ListingRecord)  # noqa: S101 - registered for listing kinds
        existing = found.get(record.key())
        if existing is None:
            continue
        # The owner first: another department's line learns nothing of the listing's ending.
        problem = owner_problem(record, existing) or admin_court_problem(record, existing, prov)
        ended = None if problem else ended_problem(record, existing)
        if problem:
            problems = [("id", problem)]
        elif ended:
            problems = [("endedOn", ended)]
        else:
            problems = confirmed_loan_problems(record, existing)
        errors.extend(
            LineError(line, field, reason, record.kind, record.key()) for field, reason in problems
        )
    return errors


# The kind of department each deciding field needs: an administrative listing is a government
# department's decision; courts list through courtDefault, banks report through loanDefault and
# only the financial regulator confirms.
_REQUIRED_KINDS = {
    "department": "GOVERNMENT",
    "court": "COURT",
    "bank": "BANK",
    "confirmedBy": "REGULATOR",
}
_KIND_HINTS = {
    "department": (
        "; an administrative listing is a government department's decision (a court lists "
        "through courtDefault, a bank reports through loanDefault)"
    ),
}


def kind_problem(field: str, code: str, kind: str | None) -> str | None:
    """Why department ``code`` (of ``kind``) may not stand in ``field``, or None."""
    wanted = _REQUIRED_KINDS[field]
    if kind == wanted:
        return None
    return f"{field} must be a {wanted} department; {code} is {kind}{_KIND_HINTS.get(field, '')}"


def _departments_to_check(record: Record) -> list[tuple[str, str]]:
    if isinstance(record, ListingRecord):
        return [("department", record.department)]
    if isinstance(record, CourtDefaultRecord):
        return [("court", record.court)]
    if isinstance(record, LoanDefaultRecord):
        pairs = [("bank", record.bank)]
        if record.confirmed_by is not None:
            pairs.append(("confirmedBy", record.confirmed_by))
        return pairs
    return []


def ending_problem(record: _ListingRecord, prov: imports.Provenance) -> str | None:
    """An ending in an upload obeys the rules of the endListing mutation.

    Dated between the decision and today (the record's validators check the first), and a court
    listing ends only by the court: the upload must be the court's own.
    """
    ending = record.ending()
    if ending is None:
        return None
    props = record.row()["props"]
    listing = {
        "id": record.key(),
        "source": record.source,
        "department": record.department_field(),
        "decisionDate": props.get("decisionDate"),
        "effectiveFrom": props.get("effectiveFrom"),
        "list": props.get("list"),
        "domain": props.get("domain"),
    }
    who = rules.Decider(department=prov.department, admin=prov.admin)
    refusal = rules.court_only_refusal(listing, who, "it ends") or rules.ending_refusal(
        listing, ending["reason"], ending["on"], prov.today, name="endedOn"
    )
    return refusal.message if refusal is not None else None


async def check_listing(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> list[LineError]:
    errors = await _check_owners(tx, items, prov)
    codes = sorted({code for _, r in items for _, code in _departments_to_check(r)})
    kinds = await lq.department_kinds(tx, codes) if codes else {}
    rejected = {e.line for e in errors}
    for line, record in items:
        if line in rejected:
            continue
        assert isinstance(record, _ListingRecord)  # noqa: S101 - registered for listing kinds
        for field, code in _departments_to_check(record):
            problem = kind_problem(field, code, kinds.get(code))
            if problem:
                errors.append(LineError(line, field, problem, record.kind, record.key()))
                break
        else:
            problem = ending_problem(record, prov)
            if problem:
                errors.append(LineError(line, "endedOn", problem, record.kind, record.key()))
    return errors


# The role behind each party token (LIABLE_PERSON has none).
_ROLE_OF_TOKEN = {t.value: r for r, t in (*ROLE_TOKENS.items(), *LIABLE_TOKENS.items())}


def _entry_fp(props: dict[str, Any], links: list[dict[str, Any]]) -> str:
    content = orjson.dumps({"p": props, "l": links}, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(content, digest_size=12).hexdigest()


def derived_rows(source: dict[str, Any]) -> dict[str, Any]:
    """The write row of one source listing: its derived entries and the ids to keep."""
    listing = SourceListing(
        id=source["id"],
        list=source["list"],
        subject_label=source["label"],
        effective_from=source["effectiveFrom"],
    )
    ties = [Tie.of(t) for t in source["ties"]]
    entries = []
    for entry in propagate(listing, ties, source["liable"]):
        links = []
        for token in entry.parties:
            role = _ROLE_OF_TOKEN.get(token.value)
            start, end = entry.role_periods.get(role, (None, None)) if role else (None, None)
            links.append({"role": token.value, "from": start, "to": end})
        props = {
            "list": source["list"],
            "domain": source["domain"],
            "source": source["source"],
            "parties": [t.value for t in entry.parties],
            "roles": list(entry.roles),
            "liable": entry.liable,
            "sourceId": source["id"],
            "via": source["uscc"],
            "status": "DERIVED",
            "subjectKey": entry.id_number,
            "subjectLabel": "Person",
        }
        entries.append(
            {
                "id": entry.id,
                "idNumber": entry.id_number,
                "props": props,
                "links": links,
                "fp": _entry_fp(props, links),
            }
        )
    return {"id": source["id"], "entries": entries, "keep": [e["id"] for e in entries]}


async def propagate_listings(
    tx: AsyncManagedTransaction, ids: list[str], prov: imports.Provenance
) -> tuple[int, int]:
    """Derive entries for the given source listings; (written, retracted)."""
    if not ids:
        return 0, 0
    rows = [derived_rows(source) for source in await pq.sources(tx, ids)]
    return await pq.write_derived(tx, rows, prov)


async def propagate_written(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> None:
    """The listings of these lines (changed or not): their derived entries, afresh."""
    await propagate_listings(tx, sorted({r.key() for _, r in items}), prov)


async def refresh_listed(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> None:
    """Roles or shareholdings changed at listed enterprises: re-derive their listings' entries.

    Registration data often arrives after the listing (or is corrected later); who is reached is
    still decided by the ties held on each listing's effectiveFrom.
    """
    usccs = sorted({str(getattr(r, "uscc", "")) for _, r in items} - {""})
    await propagate_listings(tx, await pq.listed_at(tx, usccs), prov)


async def write_evaluations(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> imports.Counts:
    """Evaluations with the grade each moves the subject from and to (its event carries
    both), then the interview orders of subjects that became D (hub/importer/grade_orders.py)."""
    rows = _rows(items)
    await grade_orders.with_moves(tx, rows)
    counts = await imports.upsert(tx, UPSERT_EVALUATIONS, rows, prov)
    await grade_orders.focus_orders(tx, rows, prov)
    return counts


async def write_measures(
    tx: AsyncManagedTransaction, items: Items, prov: imports.Provenance
) -> imports.Counts:
    return await imports.upsert(tx, UPSERT_MEASURES, _rows(items), prov)
