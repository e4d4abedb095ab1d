"""The measure catalogue loader: graph_seed/measures.toml into the graph (a migrate step).

The file's entries are exchange-format records of kind ``measure``; they are validated all
together first (an unknown scenario, party token, list or kind stops the migration with the
entry and the field named), then imported in one upload as the system (idempotent: an
unchanged entry is not written, a changed one keeps its previous content as a Revision).
Adding a measure is an entry in the file and ``credit-hub migrate``: data, not a release.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from graph_seed.reference_data import MEASURES_FILE, catalogue_edition, load_measure_entries
from hub.auth import SYSTEM
from hub.importer.parse import parse_lines
from hub.importer.runner import ImportReport, run_import
from hub.store import Store
from hub.store.measures import catalogue_codes, retire_measures

CATALOGUE_DEPARTMENT = "SYSTEM"


class CatalogueError(ValueError):
    """The catalogue file breaks a rule; nothing of it was loaded."""


def catalogue_lines(path: Path = MEASURES_FILE) -> list[bytes]:
    """The file's entries as JSON lines; raises CatalogueError naming every bad entry."""
    entries = load_measure_entries(path)
    lines = [orjson.dumps(entry) for entry in entries]
    parsed = parse_lines(lines, max_line_bytes=1_000_000)
    if parsed.errors:
        problems = "; ".join(
            f"measure {entries[e.line - 1].get('code', '#' + str(e.line))}: {e.field}: {e.reason}"
            for e in parsed.errors
        )
        raise CatalogueError(f"{path.name}: {problems}")
    codes = [str(entry.get("code")) for entry in entries]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogueError(f"{path.name}: code(s) {', '.join(duplicates)} appear twice")
    return lines


async def load_catalogue(store: Store, path: Path = MEASURES_FILE) -> ImportReport:
    """Load (or refresh) the catalogue; a migration step, idempotent.

    A measure of the catalogue that the file no longer holds is retired from the file's
    ``editionDate`` (it stays in the graph, named by old receipts; checks from that day on no
    longer apply it). A file that drops measures without an ``editionDate`` is refused before
    anything is written."""
    lines = catalogue_lines(path)
    edition, edition_date = catalogue_edition(path)
    held = {str(entry["code"]) for entry in load_measure_entries(path)}
    dropped = sorted(await store.read(catalogue_codes, CATALOGUE_DEPARTMENT) - held)
    if dropped and edition_date is None:
        raise CatalogueError(
            f"{path.name}: measure(s) {', '.join(dropped)} are no longer in the file: give the "
            "new edition's editionDate (the day they stop applying)"
        )
    report = await run_import(
        store, lines, actor=SYSTEM, department=CATALOGUE_DEPARTMENT, source=f"migrate:{path.name}"
    )
    if not report.committed or report.errors:
        raise CatalogueError(f"{path.name}: not loaded: {report.failure or report.errors}")
    if dropped:
        await store.write(
            retire_measures,
            dropped,
            CATALOGUE_DEPARTMENT,
            on=edition_date,
            edition=edition,
            batch=report.batch,
        )
    return report
