"""References between the lines of an upload and the graph: what exists, what was rejected.

A line may refer to an entity (an enterprise, a person, a department) that is in the graph or
defined by another line of the upload. When the defining line was rejected, nothing of it is
written, so every line that refers to that entity (and finds it nowhere else) is rejected too,
and says so: "refers to the enterprise of line N, which was rejected". An entity line that
itself refers to others (an enterprise's ``branchOf``) is *held*: it lands only once the whole
upload is parsed and what it refers to is known to exist (``settle_held``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from neo4j import AsyncManagedTransaction

from hub.importer.kinds import KINDS
from hub.importer.parse import LineError
from hub.importer.records import Record
from hub.store.imports import existing_keys

REF_CHUNK = 20_000
Item = tuple[int, Record]
# label -> keys the upload defines by accepted lines (values: runner.py's line stamps)
Defined = Mapping[str, Mapping[Hashable, int]]


@dataclass
class Rejections:
    """(label, key) -> first line that would have defined that entity but was rejected."""

    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    # Lines refused when written (a writer's check): a later commit unit skips their other
    # records, so a line is rejected at one stage only and nothing of it is half-written.
    refused: set[int] = field(default_factory=set)

    def note(self, label: str, key: str, line: int) -> None:
        self.lines.setdefault((label, key), line)

    def note_errors(self, errors: list[LineError]) -> None:
        """A line that failed validation but whose key was valid (``LineError.key``)."""
        first = errors[0]
        model = KINDS.get(first.kind or "")
        if model is not None and model.label is not None and first.key is not None:
            self.note(model.label, first.key, first.line)

    def error(self, line: int, record: Record, fld: str, label: str, key: str) -> LineError:
        """The error of a reference to an entity found neither in the graph nor the upload."""
        rejected = self.lines.get((label, key))
        if rejected is None:
            reason = f"{label.lower()} {key} does not exist"
        else:
            reason = f"refers to the {label.lower()} of line {rejected}, which was rejected"
        return LineError(line, fld, reason, record.kind, record.key())


async def lookup(tx: AsyncManagedTransaction, needed: dict[str, set[str]]) -> dict[str, set[str]]:
    """label -> the keys among ``needed`` that exist in the graph."""
    existing: dict[str, set[str]] = {}
    for label, keys in needed.items():
        ordered, found = sorted(keys), set[str]()
        for start in range(0, len(ordered), REF_CHUNK):
            found |= await existing_keys(tx, label, ordered[start : start + REF_CHUNK])
        existing[label] = found
    return existing


async def missing_refs(
    tx: AsyncManagedTransaction, items: list[Item], defined: Defined, rejections: Rejections
) -> list[LineError]:
    """The errors of the references of ``items`` that resolve neither in the upload nor the
    graph (read in ``tx``, so in the same transaction as the writes of a commit unit)."""
    needed: dict[str, set[str]] = defaultdict(set)
    for _, record in items:
        for _, label, key in record.refs():
            if key not in defined.get(label, ()):
                needed[label].add(key)
    return unresolved(items, defined, await lookup(tx, needed), rejections)


def unresolved(
    items: list[Item], defined: Defined, existing: Mapping[str, set[str]], rejections: Rejections
) -> list[LineError]:
    """The errors of the references of ``items`` found neither in the upload (``defined``) nor
    among the ``existing`` keys of the graph (the bulk loader knows them without reading)."""
    errors = []
    for line, record in items:
        for fld, label, key in record.refs():
            if key not in defined.get(label, ()) and key not in existing.get(label, ()):
                errors.append(rejections.error(line, record, fld, label, key))
    return errors


def settle_held(
    held: list[Item],
    defined: dict[str, dict[Hashable, int]],
    existing: dict[str, set[str]],
    rejections: Rejections,
) -> tuple[list[Item], list[list[LineError]]]:
    """(accepted held lines, the errors of each rejected one).

    A held line whose references resolve neither in the graph (``existing``, read for every
    key that ``held_lookups`` names) nor among the upload's accepted lines is rejected; its
    entity is then no longer defined, which can reject other held lines (a branch of a
    rejected branch), and so on down the chain. ``defined`` and ``rejections`` are updated.
    """
    # A worklist: every held line is judged once, and again only when an entity it refers to
    # is rejected (each line at most once per reference): linear in the held lines, also for a
    # long branch chain listed child first.
    referring: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
    for position, (_, record) in enumerate(held):
        for _, label, key in record.refs():
            referring[(label, key)].append(position)
    failed: dict[int, list[LineError]] = {}
    todo = list(range(len(held)))
    while todo:
        line, record = held[todo.pop()]
        if line in failed:
            continue
        problems = [
            rejections.error(line, record, fld, label, key)
            for fld, label, key in record.refs()
            if key not in existing.get(label, ()) and key not in defined.get(label, ())
        ]
        if problems:
            failed[line] = problems
            entity = record.defines()
            if entity is not None:
                defined[entity[0]].pop(entity[1], None)
                rejections.note(entity[0], entity[1], line)
                todo.extend(referring.get((entity[0], entity[1]), ()))
    return [item for item in held if item[0] not in failed], list(failed.values())


def held_lookups(held: list[Item], defined: Defined) -> dict[str, set[str]]:
    """The keys held lines refer to that must be looked up in the graph: those the upload does
    not define, and those it defines only by held lines (which may yet be rejected)."""
    held_keys = {record.defines() for _, record in held}
    needed: dict[str, set[str]] = defaultdict(set)
    for _, record in held:
        for _, label, key in record.refs():
            if key not in defined.get(label, ()) or (label, key) in held_keys:
                needed[label].add(key)
    return needed
