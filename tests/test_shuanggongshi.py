"""双公示 tables (CSV / XLSX, both templates, both generations) through the importer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hub.auth import SYSTEM
from hub.importer.report import ImportReport
from hub.importer.shuanggongshi.sources import Format
from hub.importer.shuanggongshi.upload import import_table
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.test_import import count

pytestmark = pytest.mark.neo4j
TODAY = dt.date(2026, 6, 30)


async def upload(
    store: Store, data: bytes, fmt: Format = Format.CSV, department: str = "AMR", name: str = "file.csv"
) -> ImportReport:
    return await import_table(
        store, data, fmt, actor=SYSTEM, department=department, source=name, today=TODAY
    )


def errors(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.reason) for e in report.errors]


async def test_new_penalty_csv_creates_the_action_and_its_unknown_subject(graph: Store) -> None:
    firm = f.uscc()
    cells = t.table(t.NEW_PENALTY, [t.new_penalty(firm, "隆市监罚〔2024〕12号")])
    report = await upload(graph, t.csv_file(cells))
    assert report.committed and errors(report) == [], report.as_dict()
    assert report.accepted == 1 and report.lines == 1
    assert report.table == {"format": "csv", "encoding": "utf-8", "template": "PENALTY", "generation": "2.0"}
    assert await count(graph, "MATCH (a:Action {type: 'PENALTY', amount: 2000.0})-[:ABOUT]->(e:Enterprise {uscc: $u}) RETURN count(*)", u=firm) == 1
    assert await count(graph, "MATCH (e:Enterprise {uscc: $u, createdFrom: 'file.csv', name: '隆林金鑫建材有限公司'}) RETURN count(*)", u=firm) == 1
