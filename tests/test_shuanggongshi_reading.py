"""A table is read and validated in a reader process, not on a thread of the hub's process.

The writer's event loop then never waits on XML parsing or row validation (the GIL): the hub's
process only receives validated rows (hub/importer/shuanggongshi/reading.py). The reports are
those of tests/test_shuanggongshi.py; here the hub's own reading and validating are made to
fail, so an upload can only succeed when they run elsewhere.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from typing import Any

import pytest

from hub.auth import SYSTEM
from hub.errors import InvalidInput
from hub.importer.report import ImportReport
from hub.importer.shuanggongshi import xlsx
from hub.importer.shuanggongshi.rows import RowReader
from hub.importer.shuanggongshi.sources import Format
from hub.importer.shuanggongshi.upload import import_table
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t

pytestmark = pytest.mark.neo4j
TODAY = dt.date(2026, 6, 30)


def _not_here(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a table row was read or validated in the hub's own process")


@pytest.fixture
def no_reading_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RowReader, "__call__", _not_here)
    monkeypatch.setattr(xlsx, "rows", _not_here)


async def _upload(store: Store, data: bytes, fmt: Format) -> ImportReport:
    return await import_table(
        store, data, fmt, actor=SYSTEM, department="AMR", source="处罚", today=TODAY
    )


def _readers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "credithub-table-reader"]


@pytest.mark.parametrize("fmt", [Format.CSV, Format.XLSX])
async def test_rows_are_read_and_validated_in_the_reader_process(
    graph: Store, no_reading_here: None, fmt: Format
) -> None:
    good, warned = f.uscc(), f.uscc()
    rows = [
        t.new_penalty(good, "隆市监罚〔2024〕40号"),
        t.new_penalty(f.uscc(), "隆市监罚〔2024〕41号", 处罚决定日期="2023/02/30"),
        {},  # a blank row
        t.new_penalty(
            warned, "隆市监罚〔2024〕42号", 处罚内容="罚款2000元", **{"罚款金额(万元)": "2000"}
        ),
    ]
    cells = t.table(t.NEW_PENALTY, rows)
    data = t.csv_file(cells, "gb18030") if fmt == Format.CSV else t.xlsx_file(cells)
    report = await _upload(graph, data, fmt)
    assert report.committed, report.as_dict()
    assert (report.lines, report.accepted, report.rejected, report.blank) == (4, 2, 1, 1)
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (3, "处罚决定日期", "'2023/02/30' is not a real date")
    ]
    assert [(w.line, w.field) for w in report.warnings] == [(5, "罚款金额（万元）")]
    assert report.table == {
        "format": fmt.value,
        "encoding": "gb18030" if fmt == Format.CSV else "xlsx",
        "template": "PENALTY",
        "generation": "2.0",
    }
    assert report.timings.validation > 0  # the reader process's CPU time
    assert _readers() == []


async def test_header_problems_and_unreadable_files_come_from_the_reader_process(
    graph: Store, no_reading_here: None
) -> None:
    headers = [*t.table(t.NEW_PENALTY, [])[0], "经办人"]
    report = await _upload(graph, t.csv_file([headers]), Format.CSV)
    assert report.failure_code == "INVALID_HEADER"
    assert [(e.line, e.field) for e in report.errors] == [(1, "经办人")]
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        await _upload(graph, b"PK\x03\x04 not a zip archive", Format.XLSX)
    assert _readers() == []
