"""The 双公示 export over HTTP: who may export what, the due date, and the round trip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from hub.auth import Role
from hub.rules.workdays import Calendar, publication_deadline
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.conftest import key_headers

pytestmark = pytest.mark.neo4j


async def snapshot(store: Store) -> tuple[list[Any], int]:
    """Every node but the upload records (labels, key, content fingerprint), and the ties."""
    async with store.driver.session(database=store.database) as session:
        nodes = await (
            await session.run(
                "MATCH (n) WHERE NOT n:ImportBatch AND NOT n:TestSentinel AND NOT n:SchemaVersion "
                "RETURN labels(n) AS l, coalesce(n.uscc, n.idNumber, n.id, n.code, n.key) AS k, n.fp AS fp "
                "ORDER BY k, fp"
            )
        ).values()
        ties = await (await session.run("MATCH ()-[r]->() RETURN count(r)")).single()
    assert ties is not None
    return [tuple(map(str, row)) for row in nodes], int(ties[0])


def a_department_file() -> list[dict[str, str]]:
    operator = f.id_number("1979-09-09")
    person = f.id_number("1990-10-10", "452631")
    return [
        t.new_penalty(f.uscc(), "隆市监罚〔2024〕1号", 公示截止期="", 备注="已缴纳罚款"),
        t.new_penalty(
            "",
            "隆市监罚〔2024〕2号",
            行政相对人名称="隆林县新州镇阿明小吃店",
            行政相对人类别="个体工商户",
            统一社会信用代码="00000000000000000X",
            工商注册号="451031600012345",
            法定代表人="黄阿明",
            法定代表人证件类型="01",
            法定代表人证件号码=operator,
            处罚类别="其他-不予行政处罚",
            处罚内容="不予行政处罚",
            处罚有效期="2099/12/31",
            **{"罚款金额(万元)": ""},
        ),
        t.new_penalty(
            "",
            "隆市监罚〔2024〕3号",
            行政相对人名称="韦某某",
            行政相对人类别="自然人",
            统一社会信用代码="",
            法定代表人="",
            证件类型="01",
            证件号码=person,
            处罚类别="罚款；没收违法所得、没收非法财物",
            处罚内容="罚款1234.5元，没收违法所得300元",
            处罚决定日期="20240408",
            **{"罚款金额(万元)": "0.12345", "没收违法所得、没收非法财物的金额(万元)": "0.03"},
        ),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_upload_export_upload_changes_nothing(
    client: httpx.AsyncClient, graph: Store, fmt: str
) -> None:
    amr = await key_headers(graph, Role.DEPARTMENT, "AMR")
    body = t.csv_file(t.table(t.NEW_PENALTY, a_department_file()), "gb18030")
    first = await client.post("/api/import?source=处罚.csv", content=body, headers=amr)
    assert first.status_code == 200 and first.json()["accepted"] == 3, first.json()
    before = await snapshot(graph)
    exported = await client.get(f"/api/export/shuanggongshi?kind=PENALTY&format={fmt}", headers=amr)
    assert exported.status_code == 200
    again = await client.post(
        f"/api/import?source=export.{fmt}", content=exported.content, headers=amr
    )
    report = again.json()
    assert report["accepted"] == 3 and report["unchanged"] == 3 and report["created"] == 0, report
    assert report["updated"] == 0 and report["errors"] == []
    assert await snapshot(graph) == before


async def test_export_rows_carry_the_template_and_the_due_date(
    client: httpx.AsyncClient, graph: Store
) -> None:
    amr = await key_headers(graph, Role.DEPARTMENT, "AMR")
    body = t.csv_file(t.table(t.NEW_PENALTY, a_department_file()))
    assert (await client.post("/api/import", content=body, headers=amr)).status_code == 200
    exported = await client.get(
        "/api/export/shuanggongshi?kind=PENALTY&from=2024-03-05&to=2024-03-05", headers=amr
    )
    lines = exported.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[2] == "行政相对人代码_1（统一社会信用代码）" and header[-1] == "应公示日期"
    assert len(lines) == 3  # the 2024-04-08 decision is outside the range
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    due, _ = publication_deadline(dt.date(2024, 3, 5), Calendar())
    assert {r["应公示日期"] for r in rows} == {due.isoformat()} == {"2024-03-14"}
    operator = next(r for r in rows if r["行政相对人类别"] == "个体工商户")
    assert operator["行政相对人代码_1（统一社会信用代码）"] == "00000000000000000X"
    assert operator["处罚有效期"] == "2099-12-31" and operator["处罚类别"] == "其他-不予行政处罚"
    company = next(r for r in rows if r["行政相对人类别"] == "法人及非法人组织")
    assert company["罚款金额（万元）"] == "0.2" and company["备注"] == "已缴纳罚款"


async def test_who_may_export_what(client: httpx.AsyncClient, graph: Store) -> None:
    amr = await key_headers(graph, Role.DEPARTMENT, "AMR")
    body = t.csv_file(t.table(t.NEW_PENALTY, a_department_file()))
    assert (await client.post("/api/import", content=body, headers=amr)).status_code == 200
    url = "/api/export/shuanggongshi?kind=PENALTY"
    assert (await client.get(url)).status_code == 401
    approval = await key_headers(graph, Role.APPROVAL)
    assert (await client.get(url, headers=approval)).status_code == 403
    other = await key_headers(graph, Role.DEPARTMENT, "TAX")
    assert (await client.get(url + "&department=AMR", headers=other)).status_code == 403
    own = await client.get(url, headers=other)  # TAX's own: none
    assert own.status_code == 200 and len(own.content.decode("utf-8-sig").splitlines()) == 1
    admin = await key_headers(graph, Role.ADMIN)
    every = await client.get(url, headers=admin)
    assert len(every.content.decode("utf-8-sig").splitlines()) == 4
    assert (await client.get(url + "&department=TAX", headers=admin)).content.decode(
        "utf-8-sig"
    ).count("\n") == 1
    assert (
        await client.get("/api/export/shuanggongshi?kind=RED", headers=admin)
    ).status_code == 400
    assert (await client.get(url + "&from=2024-13-01", headers=admin)).status_code == 400
