"""Import a 双公示 table (CSV or XLSX) through the exchange-format importer.

The header row is read and judged first: an unknown column, or a required one missing, is
reported once by name and nothing is imported. Both the reading and the validation of every
row run in a process of its own (reading.py); the validated rows go through the same
runner as a JSON Lines line (hub/importer/runner.py): the same checks of references, owners
and duplicates, the same writers, commit units and report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from typing import Any

from hub.auth import Actor
from hub.clock import COUNTY_CLOCK
from hub.importer.parse import LineError
from hub.importer.report import ImportReport
from hub.importer.runner import run_import
from hub.importer.shuanggongshi.headers import HeaderProblem, Layout
from hub.importer.shuanggongshi.reading import HEADER_LINE, TableReading
from hub.importer.shuanggongshi.sources import Format
from hub.store import Store

log = logging.getLogger("credithub.import")


def _header_report(problems: list[HeaderProblem], table: dict[str, str]) -> ImportReport:
    report = ImportReport(batch="b-" + uuid.uuid4().hex[:16], committed=False, table=table)
    report.errors = [LineError(HEADER_LINE, p.header or "(header)", p.reason) for p in problems]
    report.errors_total = len(report.errors)
    report.failure = (
        "the header row does not match the 双公示 template; nothing was imported "
        "(docs/shuanggongshi.md)"
    )
    report.failure_code = "INVALID_HEADER"
    return report


async def import_table(
    store: Store,
    data: bytes,
    fmt: Format,
    *,
    actor: Actor,
    department: str,
    source: str = "upload",
    today: dt.date | None = None,
    **options: Any,
) -> ImportReport:
    """``options``: run_import's (chunk, commit_records, parallel, max_line_bytes). The file is
    read and its rows validated in a process of its own (reading.py), as they are written."""
    started = time.perf_counter()
    day = today or COUNTY_CLOCK.today()
    reading = TableReading(fmt, department, source, day)
    try:
        encoding, layout = await asyncio.to_thread(reading.start, data)
        table = {"format": fmt.value, "encoding": encoding}
        if not isinstance(layout, Layout):
            report = _header_report(layout, table)
            report.seconds = time.perf_counter() - started
            return report
        table.update(template=layout.template.value, generation=layout.generation.value)
        report = await run_import(
            store,
            reading.outcomes(),
            actor=actor,
            department=department,
            source=source,
            today=day,
            validated=True,
            **options,
        )
    finally:
        await asyncio.to_thread(reading.close)
    report.table = table
    report.warnings = reading.warnings
    report.warnings_total = reading.warnings_total
    report.timings.validation = reading.cpu_seconds
    log.info(
        "batch %s: table read and validated in a reader process: %.1f s CPU, peak RSS %d KiB",
        report.batch,
        reading.cpu_seconds,
        reading.peak_kib,
    )
    return report
