"""A 50,000-row XLSX is read as a stream and imported in bounded memory (tracemalloc)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from bench.tables import PENALTY_HEADERS, penalty_rows, xlsx_shared
from hub.auth import SYSTEM
from hub.importer.shuanggongshi.sources import Format, xlsx_rows
from hub.importer.shuanggongshi.upload import import_table
from hub.store import Store

pytestmark = pytest.mark.neo4j
ROWS = 50_000
MIB = 1 << 20


def _reading_peak(rows: int) -> int:
    row = next(penalty_rows(1))
    data = xlsx_shared([PENALTY_HEADERS] + [row] * rows, len(PENALTY_HEADERS), rows + 1)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        assert sum(1 for _ in xlsx_rows(data)) == rows + 1
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_the_reader_holds_a_row_not_the_sheet() -> None:
    """Ten times the rows (of the same texts: the shared-strings table every XLSX reader loads
    stays one row's) cost almost nothing more: the reader keeps a row, not the sheet (it frees
    each parsed ``<row>`` element and the ones before it: hub/importer/shuanggongshi/xlsx.py).
    A row held as a tuple of its 30 cells alone would be ≥ 280 bytes, with the cells far more."""
    small, large = _reading_peak(2_000), _reading_peak(20_000)
    per_row = (large - small) / 18_000
    assert per_row < 100, f"2,000 rows {small / MIB:.1f} MiB, 20,000 {large / MIB:.1f} MiB"


async def test_a_50000_row_xlsx_imports_in_bounded_memory(graph: Store) -> None:
    data = xlsx_shared([PENALTY_HEADERS, *penalty_rows(ROWS)], len(PENALTY_HEADERS), ROWS + 1)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        # Units of 10,000 lines: the test instance's Neo4j (heap 1g) holds no more in one
        # transaction (the hub's default, CREDITHUB_IMPORT_COMMIT_RECORDS, is 50,000).
        report = await import_table(
            graph, data, Format.XLSX, actor=SYSTEM, department="AMR", commit_records=10_000
        )
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert report.committed and report.accepted == ROWS, report.as_dict()
    # Linear in the rows only through what the runner keeps of every accepted line until the
    # facts are written (its record and key, as for JSON Lines: hub/importer/runner.py) and the
    # file's distinct texts; nothing of the sheet itself.
    assert peak < ROWS * PEAK_PER_ROW, f"peak {peak / MIB:.1f} MiB, {peak / ROWS:.0f} bytes a row"


PEAK_PER_ROW = 10 * 1024  # measured 7.4 KiB (2026-12-07)
