"""One upload, whatever its format: JSON Lines (the exchange format) or a 双公示 table (CSV or
XLSX), detected from its start, its name and a declared format. What POST /api/import, the
workbench's department desk and `credit-hub import FILE` all run, with the hub's import
settings (a table is read and validated in a reader process: shuanggongshi/reading.py)."""

from __future__ import annotations

from hub.auth import Actor
from hub.importer.parse import split_lines
from hub.importer.progress import ProgressSink
from hub.importer.report import ImportReport
from hub.importer.runner import run_import
from hub.importer.shuanggongshi.sources import SNIFF_BYTES, Format, detect
from hub.importer.shuanggongshi.upload import import_table
from hub.settings import Settings
from hub.store import Store


async def import_upload(
    store: Store,
    settings: Settings,
    body: bytes,
    *,
    actor: Actor,
    department: str,
    source: str,
    declared: str | None = None,
    progress: ProgressSink | None = None,
) -> ImportReport:
    """The upload's report; InvalidInput when ``declared`` names no format."""
    fmt = detect(body[:SNIFF_BYTES], source, declared)
    if fmt != Format.JSONL:
        return await import_table(
            store,
            body,
            fmt,
            actor=actor,
            department=department,
            source=source,
            chunk=settings.import_chunk_size,
            commit_records=settings.import_commit_records,
            parallel=settings.import_parallel_units,
            today=settings.today(),
            progress=progress,
        )
    return await run_import(
        store,
        split_lines(body),
        actor=actor,
        department=department,
        source=source,
        chunk=settings.import_chunk_size,
        commit_records=settings.import_commit_records,
        parallel=settings.import_parallel_units,
        max_line_bytes=settings.max_line_bytes,
        today=settings.today(),
        progress=progress,
    )
