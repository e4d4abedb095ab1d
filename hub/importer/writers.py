"""Which store upsert writes each record kind, and in which order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.importer.parse import LineError
from hub.importer.records import (
    ActionRecord,
    DepartmentRecord,
    EnterpriseRecord,
    PersonRecord,
    Record,
    RoleRecord,
    ShareholdingRecord,
)
from hub.store import imports as q

WriteFn = Callable[
    [AsyncManagedTransaction, list[tuple[int, Record]], q.Provenance], Awaitable[q.Counts]
]
# Checks that need the graph (ownership of an id, a department's kind): rejected lines.
CheckFn = Callable[[AsyncManagedTransaction, list[tuple[int, Record]]], Awaitable[list[LineError]]]


@dataclass(frozen=True)
class Writer:
    kind: str
    order: int
    write: WriteFn
    # Runs once after every chunk of this kind is written (links between records of the kind).
    after: (
        Callable[[AsyncManagedTransaction, list[tuple[int, Record]], q.Provenance], Awaitable[None]]
        | None
    ) = None
    # Runs before anything is written; the lines it rejects are reported and not written.
    check: CheckFn | None = None


def _rows(items: list[tuple[int, Record]]) -> list[dict[str, Any]]:
    return [{**record.row(), "line": line} for line, record in items]


def _node_writer(query: Any) -> WriteFn:
    async def write(
        tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: q.Provenance
    ) -> q.Counts:
        return await q.upsert(tx, query, _rows(items), prov)

    return write


async def _write_rels(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: q.Provenance
) -> q.Counts:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(items):
        groups[(row["type"], row["holderLabel"])].append(row)
    total = q.Counts()
    for (rel_type, holder_label), rows in groups.items():
        total.add(await q.upsert(tx, q.UPSERT_RELS[(rel_type, holder_label)], rows, prov))
    return total


async def _link_branches(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: q.Provenance
) -> None:
    rows = [
        {"key": r.key(), "branchOf": getattr(r, "branch_of", None)}
        for _, r in items
        if getattr(r, "branch_of", None) is not None
    ]
    # Unlinking must also run for enterprises whose branchOf was removed.
    rows += [
        {"key": r.key(), "branchOf": None}
        for _, r in items
        if getattr(r, "branch_of", None) is None
    ]
    await q.run_rows(tx, q.LINK_BRANCHES, rows, prov)


WRITERS: dict[type[Record], Writer] = {
    DepartmentRecord: Writer("department", 0, _node_writer(q.UPSERT_DEPARTMENTS)),
    EnterpriseRecord: Writer(
        "enterprise", 10, _node_writer(q.UPSERT_ENTERPRISES), after=_link_branches
    ),
    PersonRecord: Writer("person", 11, _node_writer(q.UPSERT_PERSONS)),
    RoleRecord: Writer("role", 20, _write_rels),
    ShareholdingRecord: Writer("shareholding", 21, _write_rels),
    ActionRecord: Writer("action", 30, _node_writer(q.UPSERT_ACTIONS)),
}


def register_writer(model: type[Record], writer: Writer) -> None:
    WRITERS[model] = writer
