"""What a writer is, and the writers of the registration kinds (entities, ties, actions).

Which writer handles which record model, and in which order a commit unit runs them, is
declared once, in hub/importer/registry.py; nothing registers itself on import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from hub.importer.parse import LineError
from hub.importer.records import ActionRecord, Record, fingerprint
from hub.pinyin import pinyin_terms
from hub.store import import_writes
from hub.store.imports import Counts, Provenance

WriteFn = Callable[
    [AsyncManagedTransaction, list[tuple[int, Record]], Provenance], Awaitable[Counts]
]
# Checks that need the graph (ownership of an id, a department's kind) or the upload's
# provenance (its department, its date): rejected lines.
CheckFn = Callable[
    [AsyncManagedTransaction, list[tuple[int, Record]], Provenance], Awaitable[list[LineError]]
]


AfterFn = Callable[[AsyncManagedTransaction, list[tuple[int, Record]], Provenance], Awaitable[None]]


@dataclass(frozen=True, eq=False)
class Writer:
    """The store write of some record models, with its checks and follow-up step. Compared
    and hashed by identity: a commit unit groups its lines by writer, line by line."""

    kind: str  # the writer's name: the report counts its lines under it
    write: WriteFn
    records: tuple[type[Record], ...]  # the record models it writes (each has one writer)
    # The writers whose lines must have landed before this one's (by name; the order of
    # hub/importer/registry.py respects them, tests/test_writer_registry.py checks it).
    needs: tuple[str, ...] = ()
    # Runs once after every chunk of this kind in a commit unit is written (once for
    # consecutive writers sharing it, after the last of them: hub/importer/runner.py).
    after: AfterFn | None = None
    # False for writers of derived items (a branch link) that are not lines of their own.
    counted: bool = True
    # Runs before anything of the unit is written; the lines it rejects are not written.
    check: CheckFn | None = None
    # A commit unit holding lines of this writer runs alone, after every unit before it (the
    # listing kinds propagate from the ties that the units before them wrote).
    alone: bool = False


def rows_of(items: list[tuple[int, Record]]) -> list[dict[str, Any]]:
    rows = []
    for line, record in items:
        row = record.row()
        row["fp"] = fingerprint(row)
        row["line"] = line
        rows.append(row)
    return rows


# Labels whose names are searched: their pinyin is stored beside the name (hub/pinyin.py).
# It is derived from the name, so it is left out of the fingerprint: it changes with it.
SEARCHED = frozenset({"Enterprise", "Person"})


def node_writer(label: str) -> WriteFn:
    async def write(
        tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: Provenance
    ) -> Counts:
        rows = rows_of(items)
        if label in SEARCHED:
            for row in rows:
                row["props"]["pinyin"] = pinyin_terms(row["props"]["name"])
        return await import_writes.upsert_nodes(tx, label, rows, prov)

    return write


async def write_rels(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: Provenance
) -> Counts:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows_of(items):
        groups[(row["type"], row["holderLabel"])].append(row)
    total = Counts()
    for (rel_type, holder_label), rows in groups.items():
        total.add(await import_writes.upsert_rels(tx, rel_type, holder_label, rows, prov))
    return total


async def link_branches(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: Provenance
) -> Counts:
    rows = [record.row() for _, record in items]
    await import_writes.link_branches(tx, rows, prov)
    return Counts()


async def check_action_owners(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: Provenance
) -> list[LineError]:
    """An action id belongs to the department that decided it, for ever: another department's
    record with the same id is refused instead of overwriting that department's decision."""
    found = await import_writes.action_departments(tx, [r.key() for _, r in items])
    errors = []
    for line, record in items:
        assert isinstance(record, ActionRecord)  # noqa: S101 - registered for actions
        owner = found.get(record.id, record.department)
        if owner != record.department:
            errors.append(owner_refusal(line, record.id, owner, record.kind))
    return errors


def owner_refusal(line: int, action: str, owner: str, kind: str) -> LineError:
    return LineError(
        line,
        "id",
        f"action {action} already exists from {owner}; action ids are unique across departments",
        kind,
        action,
    )


async def write_employment(
    tx: AsyncManagedTransaction, items: list[tuple[int, Record]], prov: Provenance
) -> Counts:
    total = Counts()
    rows = rows_of(items)
    for label in ("Department", "Enterprise"):
        chunk = [row for row in rows if row["employerLabel"] == label]
        if chunk:
            total.add(await import_writes.upsert_employment(tx, label, chunk, prov))
    return total
