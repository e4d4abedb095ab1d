"""Check before approval: validate, gather in one query, decide, write receipts.

The gather and the receipt write are two auto-commit statements (Store.statements). Single
checks asked at the same moment share them (group commit, resolvers/grouping.py); a batch has
its own two."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
import uuid
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hub.auth import PUBLIC, Actor
from hub.errors import Forbidden, HubError, InvalidInput, NotFound, StoreTimeout, StoreUnavailable
from hub.policy import commitment_reader, sees_receipt
from hub.rules.commitments import CommitmentView, may_read
from hub.rules.decision import (
    Decision,
    Outcome,
    Subject,
    decide,
)
from hub.rules.editions import in_force_on
from hub.rules.employment import public_servant_on
from hub.rules.measures import Scenario, governing
from hub.store import Store
from hub.store.adapter import Runner
from hub.store.checks import (
    GatheredSubject,
    ReceiptRow,
    broken_commitments_of,
    entries_of,
    evaluation_of,
    gather,
    gathered_subject,
    receipt,
    record_outcome,
    write_receipts,
)
from hub.store.measures import catalogue_rows
from resolvers.context import HubContext
from resolvers.grouping import Coalescer
from resolvers.subjects import subject_key

log = logging.getLogger("credithub.checks")
MAX_BATCH = 1000
MEASURE_TTL = 30.0


@dataclass(frozen=True)
class Request:
    uscc: str | None
    id_number: str | None
    scenario: Scenario


@dataclass
class Checked:
    """One answer: the outcome (None with an error for a bad batch item) and its receipt."""

    index: int
    scenario: Scenario
    as_of: dt.date
    label: str | None = None
    key: str | None = None
    found: bool = False
    subject: GatheredSubject | None = None  # None: not in the graph
    outcome: Outcome | None = None
    receipt_id: str | None = None
    truncated: bool = False  # the ownership search reached its cap (hub/store/checks.py)
    error: HubError | None = None
    asked_by: Actor | None = None  # for the receipt
    request_id: str = ""


class Catalogue:
    """The measure catalogue as read, and the measures in force on each day a check asks about,
    worked out once per day rather than once per check (``in_force_on`` sorts every measure's
    versions; the list is the same for every check of that day while the catalogue is)."""

    MAX_DAYS = 64  # asOf days kept; beyond it the memo starts again

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._by_day: dict[dt.date, list[Mapping[str, Any]]] = {}
        self._by_scenario: dict[tuple[dt.date, Scenario], list[Mapping[str, Any]]] = {}

    def on(self, day: dt.date) -> list[Mapping[str, Any]]:
        found = self._by_day.get(day)
        if found is None:
            if len(self._by_day) >= self.MAX_DAYS:
                self._by_day.clear()
            found = self._by_day[day] = in_force_on(self.rows, day)
        return found

    def governing(self, day: dt.date, scenario: Scenario) -> list[Mapping[str, Any]]:
        """The measures in force on ``day`` that govern ``scenario``: the only ones a check of
        that scenario can apply (``decide`` asks each of the others in vain, for every entry
        in force: 22 measures a listing where two or three govern the scenario)."""
        found = self._by_scenario.get((day, scenario))
        if found is None:
            if len(self._by_scenario) >= self.MAX_DAYS * len(Scenario):
                self._by_scenario.clear()
            found = self._by_scenario[(day, scenario)] = governing(self.on(day), scenario)
        return found


async def catalogue(store: Store) -> Catalogue:
    """The measure catalogue, cached per process for MEASURE_TTL seconds."""
    cached = store.reference_cache.get("measures")
    now = time.monotonic()
    if cached is not None and now - cached[0] < MEASURE_TTL:
        fresh: Catalogue = cached[1]
        return fresh
    read = Catalogue(await store.read(catalogue_rows, None, None))
    store.reference_cache["measures"] = (now, read)
    return read


def _summary(outcome: Outcome) -> dict[str, list[str]]:
    def line(hit: Any) -> str:
        if hit.commitment is not None:
            return f"{hit.measure['code']}|{hit.effect}|commitment:{hit.commitment.code}|COMMITMENT"
        listing = hit.entry.listing.id if hit.entry else f"grade:{hit.evaluation.grade}"
        kind = hit.entry.kind.value if hit.entry else "EVALUATION"
        return f"{hit.measure['code']}|{hit.effect}|{listing}|{kind}"

    every = (*outcome.hits, *outcome.suspended, *outcome.incentives)
    return {
        "hits": [line(h) for h in outcome.hits],
        "suspendedHits": [line(h) for h in outcome.suspended],
        "incentives": [line(h) for h in outcome.incentives],
        # the catalogue editions the answer was decided under (an old receipt stays explainable)
        "editions": sorted({str(h.measure.get("edition") or "") for h in every} - {""}),
    }


async def _check_statements(tx: Runner, items: list[Checked], measures: Catalogue) -> None:
    """Gather (one statement per asOf among the items), decide, write every receipt.

    Each answer is returned only after the statement writing its receipt has committed.
    """
    rows: dict[int, dict[str, Any]] = {}
    by_day: dict[dt.date, list[int]] = {}
    for position, checked in enumerate(items):
        by_day.setdefault(checked.as_of, []).append(position)
    for day, positions in by_day.items():
        subjects = [
            {
                "i": p,
                "uscc": items[p].key if items[p].label == "Enterprise" else None,
                "idNumber": items[p].key if items[p].label == "Person" else None,
            }
            for p in positions
        ]
        rows.update((row["i"], row) for row in await gather(tx, subjects, day))
    asked_at = dt.datetime.now(dt.UTC)
    receipts = []
    for position, checked in enumerate(items):
        row = rows.get(position) or {}
        node = gathered_subject(row)
        checked.found = node is not None
        checked.subject = node
        checked.error = None  # a retried unit decides again
        checked.truncated = bool(row.get("truncated"))
        subject = Subject(
            label=str(checked.label),
            key=str(checked.key),
            name=str(node.name or "") if node else "",
            kind=str(
                (node.kind if node else None) or ("PERSON" if checked.label == "Person" else "")
            ),
            public_servant=public_servant_on(
                row.get("employment") or (), node is not None and node.public_servant, checked.as_of
            ),
        )
        if node is None:
            checked.outcome = Outcome(Decision.CLEAR, False)
        else:
            try:
                checked.outcome = _decide(row, subject, checked, measures)
            except Exception:  # one subject's stored data must not fail the others' checks
                log.exception("check of item %d (request %s) failed", position, checked.request_id)
                checked.error = HubError(
                    "Internal error.", code="INTERNAL", requestId=checked.request_id
                )
                checked.outcome = None
                continue
        # Kept across a retry of the unit, so that a retry after the receipts committed (the
        # connection lost before their answer) finds them instead of writing a second set.
        checked.receipt_id = checked.receipt_id or "rcpt-" + uuid.uuid4().hex
        summary = _summary(checked.outcome)
        actor = checked.asked_by or PUBLIC
        receipts.append(
            {
                "id": checked.receipt_id,
                "keyId": actor.key_id or "anonymous",
                "role": actor.role.value,
                "department": actor.department,
                "requestId": checked.request_id,
                "subjectLabel": checked.label,
                "subjectKey": checked.key,
                "found": checked.found,
                "scenario": checked.scenario.value,
                "asOf": checked.as_of.isoformat(),
                "decision": checked.outcome.decision.value,
                "aggravated": checked.outcome.aggravated,
                "truncated": checked.truncated,
                **summary,
            }
        )
    await write_receipts(tx, receipts, asked_at)


def _decide(
    row: dict[str, Any], subject: Subject, checked: Checked, catalogue: Catalogue
) -> Outcome:
    entries = entries_of(row, subject, checked.as_of)
    measures = catalogue.governing(checked.as_of, checked.scenario)
    reader = commitment_reader(checked.asked_by or PUBLIC)
    broken = [
        CommitmentView.of(c)
        for c in broken_commitments_of(row)
        if may_read(str(c.get("disclosure")), c.get("department"), reader)
    ]
    return decide(
        subject, checked.scenario, entries, evaluation_of(row), measures, broken, checked.as_of
    )


def _validate(
    index: int, request: Request, as_of: dt.date, today: dt.date | None = None
) -> Checked:
    """``today`` (in the hub's zone) is the latest birth date an ID number may carry."""
    checked = Checked(index, request.scenario, as_of)
    checked.label, checked.key = subject_key(request.uscc, request.id_number, today=today)
    return checked


async def check(
    store: Store,
    actor: Actor,
    request_id: str,
    requests: Sequence[Request],
    as_of: dt.date,
    *,
    per_item_errors: bool,
    today: dt.date | None = None,
) -> list[Checked]:
    """Answers in request order. Invalid items raise (single) or carry their error (batch)."""
    if len(requests) > MAX_BATCH:
        raise InvalidInput(f"at most {MAX_BATCH} requests per batch", field="requests")
    answers: list[Checked] = []
    for index, request in enumerate(requests):
        try:
            answers.append(_validate(index, request, as_of, today))
        except HubError as error:
            if not per_item_errors:
                raise
            answers.append(Checked(index, request.scenario, as_of, error=error))
    valid = [a for a in answers if a.error is None]
    for checked in valid:
        checked.asked_by, checked.request_id = actor, request_id
    if len(valid) == 1 and len(requests) == 1:
        await _coalescer(store).submit(valid[0])
    elif valid:
        await _run_checks(store, valid)
    failed = next((a.error for a in valid if a.error is not None), None)
    if failed is not None and not per_item_errors:
        raise failed
    return answers


async def _run_checks(store: Store, items: list[Checked]) -> list[Checked]:
    measures = await catalogue(store)
    await store.statements(_check_statements, items, measures)
    return items


def _coalescer(store: Store) -> Coalescer[Checked, Checked]:
    """Single checks asked at the same time share their statements (resolvers/grouping.py)."""
    found = _COALESCERS.get(store)
    if found is None:
        found = Coalescer(
            functools.partial(_run_checks, store),
            limit=store.check_transactions,
            max_items=MAX_BATCH,
            # The store down or too slow is nobody's fault in particular: all fail at once.
            shared=lambda error: isinstance(error, StoreUnavailable | StoreTimeout),
        )
        _COALESCERS[store] = found
    return found


_COALESCERS: weakref.WeakKeyDictionary[Store, Coalescer[Checked, Checked]] = (
    weakref.WeakKeyDictionary()
)


def check_day(ctx: HubContext, as_of: dt.date | None) -> dt.date:
    """The date a check is made for: asOf, or today in the hub's zone."""
    day = as_of or ctx.today()
    if day.year < 1949 or day.year > 2199:
        raise InvalidInput("asOf is out of range", field="asOf")
    return day


async def load_receipt(ctx: HubContext, receipt_id: str) -> ReceiptRow:
    """A stored receipt, for the key and department that asked, and ADMIN (hub/policy.py)."""
    if not receipt_id or len(receipt_id) > 100:
        raise InvalidInput("receiptId: not a receipt id", field="receiptId")
    found = await ctx.store.read(receipt, receipt_id)
    if found is None:
        raise NotFound(f"receipt {receipt_id} does not exist", field="receiptId")
    if not sees_receipt(ctx.actor, found.key_id, found.department):
        raise Forbidden("a receipt is visible to the key and department that asked, and ADMIN")
    return found


async def record_approval_outcome(
    ctx: HubContext, receipt_id: str, outcome: str, note: str | None
) -> ReceiptRow:
    """What the approval system finally decided; every outcome is kept. Returns the receipt."""
    if note is not None and len(note) > 2000:
        raise InvalidInput("note is longer than 2,000 characters", field="note")
    await load_receipt(ctx, receipt_id)
    updated: ReceiptRow = await ctx.store.write(
        record_outcome,
        id=receipt_id,
        outcome=outcome,
        at=dt.datetime.now(dt.UTC),
        keyId=ctx.actor.key_id or "anonymous",
        note=note,
        outcomeId="outcome-" + uuid.uuid4().hex,
        department=ctx.actor.department,
    )
    return updated
