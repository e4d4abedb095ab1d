"""The department desk over HTTP: a JSON Lines upload and a 双公示 table with rejected lines,
read back as a table of line, field and reason; the same service as POST /api/import; the
desk refused to other roles."""

from __future__ import annotations

import re

import httpx
import orjson
import pytest

from hub.auth import Role
from hub.keys import create_key
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.workbench_support import page_csrf, sign_in

pytestmark = pytest.mark.neo4j


async def desk_csrf(client: httpx.AsyncClient, graph: Store, department: str = "AMR") -> str:
    _, token = await create_key(graph, Role.DEPARTMENT, department, "数据员")
    assert (await sign_in(client, token)).status_code == 303
    return await page_csrf(client, "/workbench/desk")


def rows_of(page: str) -> dict[int, tuple[str, str]]:
    """line -> (field, reason) of the report's table."""
    table = re.search(r'<table class="stack" id="report-errors">(.*?)</table>', page, re.S)
    assert table is not None
    found = {}
    for line, field, reason in re.findall(
        r'<tr data-line="(\d+)">\s*<td[^>]*>\d+</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>',
        table.group(1),
        re.S,
    ):
        found[int(line)] = (field, reason)
    return found


async def test_a_json_lines_upload_shows_each_rejected_line_with_field_and_reason(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await desk_csrf(client, graph)
    good, person = f.uscc(), f.id_number("1979-09-09")
    lines = [
        f.enterprise(good, "隆林报送测试有限公司"),
        {"kind": "enterprise", "uscc": good[:17] + "0", "name": "坏代码"},
        f.person(person, "韦报送", birthDate="1979-13-01"),
        {"kind": "enterprise", "uscc": f.uscc()},
    ]
    body = b"\n".join(orjson.dumps(line) for line in lines) + b"\nnot json\n"
    answer = await client.post(
        "/workbench/desk/upload",
        data={"csrf": csrf, "format": ""},
        files={"file": ("报送.jsonl", body, "application/x-ndjson")},
    )
    assert answer.status_code == 200
    assert '<dd id="accepted">1（新增 1' in answer.text
    found = rows_of(answer.text)
    assert set(found) == {2, 3, 4, 5}
    assert found[2][0] == "uscc" and "check character" in found[2][1]
    assert found[4][0] == "name"
    assert person not in answer.text  # a DEPARTMENT key sees ID numbers masked
    assert answer.headers["cache-control"] == "private, no-store"


async def test_a_shuanggongshi_table_upload_reads_like_the_api(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await desk_csrf(client, graph)
    firm = f.uscc()
    rows = [
        t.new_penalty(firm, "隆市监罚〔2024〕301号"),
        t.new_penalty(firm, "隆市监罚〔2024〕302号", 处罚机关统一社会信用代码=""),
    ]
    answer = await client.post(
        "/workbench/desk/upload",
        data={"csrf": csrf},
        files={"file": ("处罚.csv", t.csv_file(t.table(t.NEW_PENALTY, rows), "gb18030"))},
    )
    assert answer.status_code == 200
    assert "CSV" in answer.text and "gb18030" in answer.text
    found = rows_of(answer.text)
    assert found == {3: ("处罚机关统一社会信用代码", "required column is empty")}


async def test_a_file_of_no_known_format_and_a_missing_file_are_refused(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await desk_csrf(client, graph)
    bad = await client.post(
        "/workbench/desk/upload",
        data={"csrf": csrf, "format": "pdf"},
        files={"file": ("x.pdf", b"%PDF-1.4")},
    )
    assert bad.status_code == 400 and "无法识别文件格式" in bad.text
    none = await client.post("/workbench/desk/upload", data={"csrf": csrf})
    assert none.status_code == 400 and "请选择要上传的文件" in none.text


async def test_the_desk_is_for_department_keys_only(
    client: httpx.AsyncClient, graph: Store
) -> None:
    for role in (Role.APPROVAL, Role.INVESTIGATOR, Role.ADMIN):
        client.cookies.clear()
        _, token = await create_key(graph, role, None)
        await sign_in(client, token)
        assert (await client.get("/workbench/desk")).status_code == 403, role
        csrf = await page_csrf(client)
        upload = await client.post(
            "/workbench/desk/upload", data={"csrf": csrf}, files={"file": ("a.jsonl", b"{}")}
        )
        assert upload.status_code == 403, role
