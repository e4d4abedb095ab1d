"""Import a 双公示 table (CSV or XLSX) through the exchange-format importer.

The header row is read and judged first: an unknown column, or a required one missing, is
reported once by name and nothing is imported. Then every data row goes through the same
runner as a JSON Lines line (hub/importer/runner.py): the same checks of references, owners
and duplicates, the same writers, commit units and report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from typing import Any

from hub.auth import Actor
from hub.clock import COUNTY_CLOCK
from hub.importer.parse import LineError
from hub.importer.report import ImportReport
from hub.importer.runner import run_import
from hub.importer.shuanggongshi.headers import HeaderProblem, Layout, read_header
from hub.importer.shuanggongshi.rows import RowReader
from hub.importer.shuanggongshi.sources import Format, table_rows
from hub.store import Store

HEADER_LINE = 1


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


def _open(data: bytes, fmt: Format) -> tuple[Any, list[Any] | None, str]:
    rows, encoding = table_rows(data, fmt)
    return rows, next(rows, None), encoding


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
    """``options``: run_import's (chunk, commit_records, parallel, max_line_bytes)."""
    started = time.perf_counter()
    rows, header, encoding = await asyncio.to_thread(_open, data, fmt)
    table = {"format": fmt.value, "encoding": encoding}
    cells = ["" if c is None else str(c) for c in header or []]
    layout: Layout | list[HeaderProblem] = (
        read_header(cells) if cells else [HeaderProblem(0, "", "the file is empty")]
    )
    if not isinstance(layout, Layout):
        report = _header_report(layout, table)
        report.seconds = time.perf_counter() - started
        return report
    table.update(template=layout.template.value, generation=layout.generation.value)
    day = today or COUNTY_CLOCK.today()
    reader = RowReader(layout, department, source, day)
    report = await run_import(
        store,
        rows,
        actor=actor,
        department=department,
        source=source,
        today=day,
        parse_one=reader,
        first_line=HEADER_LINE + 1,
        **options,
    )
    report.table = table
    report.warnings = reader.warnings
    report.warnings_total = reader.warnings_total
    return report
