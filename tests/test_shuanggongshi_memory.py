"""A 50,000-row XLSX is read as a stream and imported in bounded memory (tracemalloc)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from hub.auth import SYSTEM
from hub.bench.tables import PENALTY_HEADERS, penalty_rows, xlsx_shared
from hub.importer.shuanggongshi.sources import Format, xlsx_rows
from hub.importer.shuanggongshi.upload import import_table
from hub.store import Store

pytestmark = pytest.mark.neo4j
ROWS = 50_000
MIB = 1 << 20


@pytest.fixture(scope="module")
def big_xlsx() -> bytes:
    return xlsx_shared([PENALTY_HEADERS, *penalty_rows(ROWS)], len(PENALTY_HEADERS), ROWS + 1)


def test_the_reader_streams_the_sheet(big_xlsx: bytes) -> None:
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        rows = sum(1 for _ in xlsx_rows(big_xlsx))
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert rows == ROWS + 1
    # The sheet's cells as Python values would take ~50 MiB; the reader holds a row at a time
    # (and openpyxl's shared-strings table: the distinct texts, here ~5 MiB).
    assert peak < 16 * MIB, f"peak {peak / MIB:.1f} MiB"


async def test_a_50000_row_xlsx_imports_in_bounded_memory(graph: Store, big_xlsx: bytes) -> None:
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        report = await import_table(graph, big_xlsx, Format.XLSX, actor=SYSTEM, department="AMR")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert report.committed and report.accepted == ROWS, report.as_dict()
    # What the runner keeps of every line until the facts are written (the accepted records
    # and their keys: hub/importer/runner.py), as for JSON Lines, and no more.
    assert peak < ROWS * 4 * 1024, f"peak {peak / MIB:.1f} MiB, {peak / ROWS:.0f} bytes a row"
