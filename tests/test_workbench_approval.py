"""The approval console over HTTP (the real app, real Neo4j): who may use which page, a check
whose hit comes through a legal representative, its receipt and outcome, batch files with bad
rows, and the batch file reader (pure)."""

from __future__ import annotations

import base64
import csv
import io
import re

import httpx
import pytest
from openpyxl import Workbook

from hub.auth import Role
from hub.keys import create_key
from hub.store import Store
from tests import workbench_story
from tests.conftest import GQL
from tests.workbench_support import bad_check_character, page_csrf, sign_in
from web.workbench.batch_file import BatchFileError, read_batch, subject_ref

PAGES = ("/workbench/check", "/workbench/batch")


@pytest.mark.neo4j
async def test_each_role_sees_its_menu_and_is_refused_other_pages(
    client: httpx.AsyncClient, graph: Store
) -> None:
    allowed = {
        Role.APPROVAL: True,
        Role.DEPARTMENT: True,
        Role.INVESTIGATOR: False,
        Role.ADMIN: False,
    }
    for role, may in allowed.items():
        client.cookies.clear()
        _, token = await create_key(graph, role, "AMR" if role == Role.DEPARTMENT else None, "t")
        assert (await sign_in(client, token)).status_code == 303
        home = await client.get("/workbench/")
        assert ('data-menu="check"' in home.text) is may, role
        for path in PAGES:
            answer = await client.get(path)
            assert answer.status_code == (200 if may else 403), (role, path)
            if not may:
                assert "无权访问" in answer.text
        csrf = await page_csrf(client)
        posted = await client.post("/workbench/check", data={"csrf": csrf, "identifier": "x"})
        assert posted.status_code == (400 if may else 403), role
    client.cookies.clear()
    for path in PAGES:  # PUBLIC: the login page
        answer = await client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/workbench/login?next=")


async def signed_in_as(
    client: httpx.AsyncClient, graph: Store, role: Role = Role.APPROVAL, name: str = "审批员"
) -> str:
    _, token = await create_key(graph, role, "AMR" if role == Role.DEPARTMENT else None, name)
    assert (await sign_in(client, token)).status_code == 303
    return await page_csrf(client, "/workbench/check")


@pytest.mark.neo4j
async def test_a_check_through_a_legal_representative_shows_the_path_and_its_receipt(
    client: httpx.AsyncClient, graph: Store
) -> None:
    story = await workbench_story.build(graph)
    csrf = await signed_in_as(client, graph)
    form = {
        "csrf": csrf,
        "identifier": story.rep,
        "scenario": "MARKET_ENTRY",
        "asOf": story.as_of,
    }
    answer = await client.post("/workbench/check", data=form)
    assert answer.status_code == 200
    page = answer.text
    assert 'data-decision="RESTRICTED"' in page and "限制办理" in page
    assert 'data-reach="DERIVED"' in page
    # The path drawn as steps: the person (masked) → 法定代表人 → the listed enterprise.
    path = re.search(r'<ol class="path"[^>]*>(.*?)</ol>', page, re.S)
    assert path is not None
    steps = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.group(1)))
    assert f"{story.rep_name}（{story.rep[:4]}" in steps
    assert "→ 法定代表人" in steps and f"{story.polluter_name}（{story.polluter}）" in steps
    assert story.rep not in page  # APPROVAL sees ID numbers masked
    assert "依据" in page and story.listing in page
    receipt_id = re.search(r'<span id="receipt-id">([^<]+)</span>', page)
    assert receipt_id is not None
    receipt_path = f"/workbench/receipts/{receipt_id.group(1)}"
    receipt = await client.get(receipt_path)
    assert receipt.status_code == 200
    assert "打印核查回执" in receipt.text and receipt_id.group(1) in receipt.text
    assert "尚未记录" in receipt.text and story.rep not in receipt.text
    recorded = await client.post(
        receipt_path + "/outcome",
        data={"csrf": csrf, "outcome": "REJECTED", "note": "申请人法定代表人任职企业为失信主体"},
    )
    assert recorded.status_code == 303
    assert recorded.headers["location"] == receipt_path + "?recorded=1"
    after = await client.get(recorded.headers["location"])
    assert "不予办理" in after.text and "申请人法定代表人任职企业为失信主体" in after.text
    # Another APPROVAL key may not read this receipt, as the API answers.
    client.cookies.clear()
    await signed_in_as(client, graph, name="另一审批员")
    assert (await client.get(receipt_path)).status_code == 403


@pytest.mark.neo4j
async def test_a_check_shows_incentives_apart_and_refuses_bad_input_in_chinese(
    client: httpx.AsyncClient, graph: Store
) -> None:
    story = await workbench_story.build(graph)
    csrf = await signed_in_as(client, graph, Role.DEPARTMENT, "市监局")
    red = await client.post(
        "/workbench/check",
        data={"csrf": csrf, "identifier": story.coop, "scenario": "HONORS", "asOf": ""},
    )
    assert red.status_code == 200 and 'data-decision="CLEAR"' in red.text
    assert 'id="incentives"' in red.text and "守信激励" in red.text
    receipt_id = re.search(r'<span id="receipt-id">([^<]+)</span>', red.text)
    assert receipt_id is not None
    receipt = await client.get(f"/workbench/receipts/{receipt_id.group(1)}")
    assert f"{story.coop_name}（{story.coop}）" in receipt.text  # an enterprise's name
    assert "守信激励（1）" in receipt.text
    bad = await client.post(
        "/workbench/check",
        data={"csrf": csrf, "identifier": bad_check_character(story.coop), "scenario": "HONORS"},
    )
    assert bad.status_code == 400 and "统一社会信用代码无效" in bad.text
    no_csrf = await client.post(
        "/workbench/check", data={"identifier": story.coop, "scenario": "HONORS"}
    )
    assert no_csrf.status_code == 403 and "安全令牌" in no_csrf.text


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_file(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def downloaded_csv(page: str) -> list[list[str]]:
    found = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page)
    assert found is not None
    text = base64.b64decode(found.group(1)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.neo4j
async def test_a_batch_file_with_bad_rows_is_checked_and_downloadable(
    client: httpx.AsyncClient, graph: Store
) -> None:
    story = await workbench_story.build(graph)
    csrf = await signed_in_as(client, graph)
    rows = [
        ["统一社会信用代码或身份证号码", "核查场景"],
        [story.polluter, "FISCAL_FUNDS"],
        [story.rep, "市场准入"],
        [story.coop, "评优评先"],
        [story.coop, "买房"],  # unknown scenario
        [bad_check_character(story.polluter), "HONORS"],  # the API: INVALID_USCC
        ["", "HONORS"],
    ]
    for name, data in (("checks.csv", csv_file(rows)), ("checks.xlsx", xlsx_file(rows))):
        answer = await client.post(
            "/workbench/batch",
            data={"csrf": csrf, "asOf": story.as_of},
            files={"file": (name, data)},
        )
        assert answer.status_code == 200, name
        page = answer.text
        assert "共 6 行，3 行已核查，3 行有问题" in page, name
        assert 'data-line="2" data-decision="RESTRICTED"' in page
        assert 'data-line="3" data-decision="RESTRICTED"' in page
        assert 'data-line="4" data-decision="CLEAR"' in page
        assert "核查场景不认识" in page and "统一社会信用代码无效" in page
        assert story.rep not in page
        table = downloaded_csv(page)
        assert table[0][:2] == ["行号", "统一社会信用代码或身份证号码"]
        by_line = {row[0]: row for row in table[1:]}
        assert set(by_line) == {"2", "3", "4", "5", "6", "7"}
        assert by_line["2"][4].startswith("限制办理") and by_line["2"][6].startswith("rcpt")
        assert by_line["3"][1] == story.rep[:4] + "**********" + story.rep[-4:]
        assert by_line["5"][6] == "" and "核查场景不认识" in by_line["5"][7]
        assert "统一社会信用代码无效" in by_line["6"][7]


@pytest.mark.neo4j
async def test_a_batch_file_over_1000_rows_or_unreadable_is_refused_whole(
    client: httpx.AsyncClient, graph: Store
) -> None:
    story = await workbench_story.build(graph)
    csrf = await signed_in_as(client, graph)
    too_many = csv_file([[story.coop, "HONORS"]] * 1001)
    answer = await client.post(
        "/workbench/batch", data={"csrf": csrf}, files={"file": ("big.csv", too_many)}
    )
    assert answer.status_code == 400 and "超过 1000 行" in answer.text
    broken = await client.post(
        "/workbench/batch",
        data={"csrf": csrf},
        files={"file": ("x.xlsx", b"PK\x03\x04 not really a workbook")},
    )
    assert broken.status_code == 400 and "无法读取该文件" in broken.text
    huge = await client.post(
        "/workbench/batch",
        data={"csrf": csrf},
        files={"file": ("huge.csv", b"x,HONORS\n" * 400_000)},  # 3.6 MB
    )
    assert huge.status_code == 400 and "文件过大（上限 2 MB）" in huge.text


@pytest.mark.neo4j
async def test_a_batch_of_1000_rows_is_answered(client: httpx.AsyncClient, graph: Store) -> None:
    story = await workbench_story.build(graph)
    csrf = await signed_in_as(client, graph)
    rows = [[story.polluter if i % 2 else story.coop, "FISCAL_FUNDS"] for i in range(1000)]
    answer = await client.post(
        "/workbench/batch",
        data={"csrf": csrf, "asOf": story.as_of},
        files={"file": ("many.csv", csv_file(rows))},
    )
    assert answer.status_code == 200
    assert "共 1000 行，1000 行已核查，0 行有问题" in answer.text
    assert len(downloaded_csv(answer.text)) == 1001


# --- the batch file reader (pure) ------------------------------------------------------------


def test_the_reader_takes_codes_or_chinese_scenarios_and_marks_bad_rows() -> None:
    rows = read_batch(
        "代码,场景\n91451031MA5HD00012,行政许可\n\n x ,honors\nabc,\n,HONORS\nq,买房\n".encode(),
        "a.csv",
    )
    assert [(r.line, r.identifier, r.scenario, r.problem) for r in rows] == [
        (2, "91451031MA5HD00012", "ADMINISTRATIVE_LICENSE", None),
        (4, "x", "HONORS", None),
        (5, "abc", None, "NO_SCENARIO"),
        (6, "", None, "NO_IDENTIFIER"),
        (7, "q", None, "UNKNOWN_SCENARIO"),
    ]


def test_the_reader_reads_gbk_csv_without_a_header() -> None:
    rows = read_batch("91451031MA5HD00012,评优评先\n".encode("gbk"), "b.csv")
    assert [(r.line, r.scenario) for r in rows] == [(1, "HONORS")]


def test_the_reader_refuses_empty_and_oversized_files() -> None:
    for data in (b"", "代码,场景\n".encode()):
        with pytest.raises(BatchFileError) as empty:
            read_batch(data, "c.csv")
        assert empty.value.code == "EMPTY"
    with pytest.raises(BatchFileError) as big:
        read_batch(b"x,HONORS\n" * 1001, "d.csv")
    assert big.value.code == "TOO_MANY_ROWS"
    assert len(read_batch(b"x,HONORS\n" * 1000, "d.csv")) == 1000


def test_an_identifier_is_an_id_number_only_when_shaped_like_one() -> None:
    assert subject_ref(" 45103119750308 0011 ") == {"idNumber": "451031197503080011"}
    assert subject_ref("45103119750308001x") == {"idNumber": "45103119750308001X"}
    assert subject_ref("91451031MA5HD00012") == {"uscc": "91451031MA5HD00012"}
    assert subject_ref("123") == {"uscc": "123"}


@pytest.mark.neo4j
async def test_a_hit_under_objection_is_shown_apart_as_suspended(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    story = await workbench_story.build(graph)
    await gql.ok(
        """mutation { fileObjection(listingId: "ECO-WB-1", reason: "数据有误",
        on: "2025-05-01") { id } }"""
    )
    csrf = await signed_in_as(client, graph)
    answer = await client.post(
        "/workbench/check",
        data={
            "csrf": csrf,
            "identifier": story.polluter,
            "scenario": "FISCAL_FUNDS",
            "asOf": story.as_of,
        },
    )
    assert answer.status_code == 200
    assert 'data-decision="CLEAR"' in answer.text
    assert "命中措施（0）" in answer.text
    assert 'id="suspended-hits"' in answer.text and "异议核实期间暂不执行（1）" in answer.text
