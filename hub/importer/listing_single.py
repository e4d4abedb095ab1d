"""One listing written in two round trips: the path of the ``listSubject`` mutation.

Same record model, same rules, same Cypher bodies as an upload of kind ``listing`` (parse,
authorize, reference checks, the deciding department's kind, ownership, upsert with events,
propagation), but the subject is locked and the checks and the people's ties are read in one
query, and the batch, the listing and its derived entries are written in one statement. An
upload of many listings goes through hub/importer/runner.py.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from hub.errors import Conflict
from hub.importer.listing_records import ListingRecord
from hub.importer.listing_writers import derived_rows, kind_problem, owner_problem
from hub.importer.parse import LineError
from hub.rules.propagation import SourceListing, propagates
from hub.store import listings
from hub.store.imports import Provenance
from hub.store.listing_reads import ListingRow


class ListingRejected(Exception):
    """The record was valid but the graph refused it (missing references, another owner)."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors


async def write_listing(
    tx: AsyncManagedTransaction,
    record: ListingRecord,
    prov: Provenance,
    key_id: str | None,
    source: str,
) -> ListingRow:
    """Check, write and propagate one listing; returns the listing as read back."""
    subject = record.subject
    liable = list(record.liable_persons)
    spread = propagates(
        SourceListing(record.id, record.list_kind.value, subject.label, record.effective_from)
    )
    plan = await listings.plan_one(
        tx, subject.label, subject.key, record.department, record.id, liable, spread
    )
    errors = _problems(record, plan)
    if errors:
        raise ListingRejected(errors)
    row = {**record.row(), "line": 1}
    derived = derived_rows(
        {
            "id": record.id,
            "list": record.list_kind.value,
            "domain": record.domain,
            "source": record.source.value,
            "effectiveFrom": record.effective_from,
            "label": subject.label,
            "uscc": subject.uscc,
            "ties": plan["ties"] or [],
            "liable": liable,
        }
    )
    listing = await listings.write_one(tx, row, derived, prov, key_id, source)
    if (listing.department, listing.source) != (
        row["props"]["department"],
        row["props"]["source"],
    ):
        # Created by another department between the ownership read and this write: the
        # upsert left it alone; nothing of this call is kept.
        raise Conflict(
            f"listing {row['key']} was just created by {listing.department}; "
            "listing ids are unique across departments"
        )
    return listing


def _problems(record: ListingRecord, plan: dict[str, Any]) -> list[LineError]:
    def error(field: str, reason: str) -> LineError:
        return LineError(1, field, reason, record.kind, record.key())

    out = []
    subject = record.subject
    if not plan["subjectFound"]:
        field = subject.field
        out.append(error(field, f"{subject.label.lower()} {subject.key} does not exist"))
    if not plan["departmentFound"]:
        out.append(error("department", f"department {record.department} does not exist"))
    else:
        problem = kind_problem("department", record.department, plan["departmentKind"])
        if problem:
            out.append(error("department", problem))
    found = set(plan["liableFound"])
    for i, person in enumerate(record.liable_persons):
        if person not in found:
            out.append(error(f"liablePersons.{i}", f"person {person} does not exist"))
    if plan["existing"] is not None:
        problem = owner_problem(record, plan["existing"])
        if problem:
            out.append(error("id", problem))
    return out
