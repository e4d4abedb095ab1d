"""Every import path: text in NFC with half-width letters and digits; branch cycles rejected."""

from __future__ import annotations

import asyncio
import unicodedata
from pathlib import Path

import orjson
import pytest

from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.conftest import load
from tests.test_import import count

pytestmark = pytest.mark.neo4j


async def test_json_lines_names_are_nfc_and_half_width(graph: Store) -> None:
    firm, boss = f.uscc(), f.id_number("1970-02-03")
    decomposed = unicodedata.normalize("NFD", "隆林ＡＢＣ商贸Café１号店")
    report = await load(graph, [f.enterprise(firm, decomposed), f.person(boss, "黄Ｇｕｏ明")])
    assert report.committed and report.accepted == 2, report.errors
    assert (
        await count(
            graph,
            "MATCH (e:Enterprise {uscc: $u, name: '隆林ABC商贸Café1号店'}) RETURN count(*)",
            u=firm,
        )
        == 1
    )
    assert await count(graph, "MATCH (p:Person {name: '黄Guo明'}) RETURN count(*)") == 1
    # the same name from another spelling is the same content: nothing changes
    again = await load(graph, [f.enterprise(firm, "隆林ABC商贸Café1号店")])
    assert again.unchanged == 1


async def test_table_and_json_spellings_of_a_name_are_one_name(graph: Store) -> None:
    from hub.auth import SYSTEM
    from hub.importer.shuanggongshi.sources import Format
    from hub.importer.shuanggongshi.upload import import_table

    firm = f.uscc()
    row = t.new_penalty(firm, "隆市监罚〔2024〕7号", 行政相对人名称="隆林ＸＹＺ建材有限公司")
    report = await import_table(
        graph, t.csv_file(t.table(t.NEW_PENALTY, [row])), Format.CSV, actor=SYSTEM, department="AMR"
    )
    assert report.accepted == 1, report.as_dict()
    assert (
        await count(
            graph,
            "MATCH (e:Enterprise {uscc: $u, name: '隆林XYZ建材有限公司'}) RETURN count(*)",
            u=firm,
        )
        == 1
    )


async def test_a_branch_cycle_in_one_upload_is_rejected(graph: Store) -> None:
    a, b, c = f.uscc(), f.uscc(), f.uscc()
    report = await load(
        graph,
        [
            f.enterprise(a, "甲分公司", branchOf=b),
            f.enterprise(b, "乙分公司", branchOf=c),
            f.enterprise(c, "丙公司", branchOf=a),
        ],
    )
    # The line closing the loop is rejected, and with it the branches that need its enterprise
    # (a rejected line writes nothing, and neither does a line that needs it).
    assert report.committed and report.accepted == 0
    found = sorted((e.line, e.field, e.reason) for e in report.errors)
    assert found == [
        (1, "branchOf", "refers to the enterprise of line 2, which was rejected"),
        (2, "branchOf", "refers to the enterprise of line 3, which was rejected"),
        (
            3,
            "branchOf",
            f"branch cycle: {a} is itself a branch (directly or through others) of {c}",
        ),
    ]
    assert await count(graph, "MATCH (e:Enterprise) RETURN count(e)") == 0


async def test_a_loop_closed_on_a_known_enterprise_leaves_the_rest(graph: Store) -> None:
    a, b, c = f.uscc(), f.uscc(), f.uscc()
    await load(graph, [f.enterprise(c, "丙公司")])
    report = await load(
        graph,
        [
            f.enterprise(a, "甲分公司", branchOf=b),
            f.enterprise(b, "乙分公司", branchOf=c),
            f.enterprise(c, "丙公司", branchOf=a),
        ],
    )
    assert report.accepted == 2 and [(e.line, e.field) for e in report.errors] == [(3, "branchOf")]
    assert (
        await count(graph, "MATCH (:Enterprise)-[:BRANCH_OF]->(:Enterprise) RETURN count(*)") == 2
    )


async def test_a_branch_cycle_through_the_graph_is_rejected(graph: Store) -> None:
    a, b = f.uscc(), f.uscc()
    first = await load(graph, [f.enterprise(b, "乙公司"), f.enterprise(a, "甲分公司", branchOf=b)])
    assert first.accepted == 2
    report = await load(graph, [f.enterprise(b, "乙公司", branchOf=a)])
    assert report.accepted == 0
    assert [(e.line, e.field) for e in report.errors] == [(1, "branchOf")]
    assert (
        await count(graph, "MATCH (:Enterprise {uscc: $b})-[:BRANCH_OF]->() RETURN count(*)", b=b)
        == 0
    )


async def test_credit_hub_import_reads_a_table_file(
    graph: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hub.cli import main

    firm = f.uscc()
    path = tmp_path / "处罚2024.csv"
    path.write_bytes(
        t.csv_file(t.table(t.NEW_PENALTY, [t.new_penalty(firm, "隆市监罚〔2024〕8号")]), "gb18030")
    )
    code = await asyncio.to_thread(
        main, ["--instance", "test", "import", str(path), "--department", "AMR"]
    )
    report = orjson.loads(capsys.readouterr().out)
    assert code == 0 and report["accepted"] == 1 and report["table"]["encoding"] == "gb18030"
    assert (
        await count(
            graph,
            "MATCH (e:Enterprise {uscc: $u, createdFrom: '处罚2024.csv'}) RETURN count(*)",
            u=firm,
        )
        == 1
    )
