"""The department desk over HTTP: a JSON Lines upload and a 双公示 table with rejected lines,
read back as a table of line, field and reason; the same service as POST /api/import; the
department's own listings with their state and its objection queue, an objection resolved;
the desk refused to other roles; the desk's API reads kept to the key's department."""

from __future__ import annotations

import re

import httpx
import orjson
import pytest

from hub.auth import Actor, Role
from hub.keys import create_key
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.conftest import GQL, load
from tests.workbench_support import bad_check_character, page_csrf, sign_in

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
        {"kind": "enterprise", "uscc": bad_check_character(good), "name": "坏代码"},
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
    # The reasons in Chinese (hub/importer/reasons_zh.toml), the English in the cell's title.
    assert found[2][0] == "uscc" and found[2][1].startswith("统一社会信用代码无效：校验码为")
    assert found[3] == ("birthDate", "不认识的字段")  # a person has no birthDate field
    assert found[4] == ("name", "缺少必填字段")
    assert found[5][1].startswith("JSON 格式错误：")
    assert 'title="required field is missing"' in answer.text
    # The API's report of the same file keeps the importer's English.
    _, token = await create_key(graph, Role.DEPARTMENT, "AMR", "接口")
    api = await client.post(
        "/api/import", content=body, headers={"Authorization": f"Bearer {token}"}
    )
    reasons = {e["line"]: e["reason"] for e in api.json()["errors"]}
    assert reasons[4] == "required field is missing" and "check character" in reasons[2]
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
    assert found == {3: ("处罚机关统一社会信用代码", "必填列为空")}


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
        for path in ("/workbench/desk", "/workbench/listings", "/workbench/objections"):
            assert (await client.get(path)).status_code == 403, (role, path)
        csrf = await page_csrf(client)
        upload = await client.post(
            "/workbench/desk/upload", data={"csrf": csrf}, files={"file": ("a.jsonl", b"{}")}
        )
        assert upload.status_code == 403, role


ECO = Actor(Role.DEPARTMENT, "key-eco-desk", "ECOENV")
FILE = """mutation($id: String!) { fileObjection(listingId: $id, reason: "监测数据有误",
  on: "2025-05-01") { id } }"""


async def desk_story(graph: Store, gql: GQL) -> tuple[str, str, str]:
    """Two ECOENV listings (one under objection) and a TAX one; the objection's id."""
    firm, other, taxed = f.uscc(), f.uscc(), f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林异议测试有限公司"),
            f.enterprise(other, "隆林名单测试有限公司"),
            f.enterprise(taxed, "隆林税务测试有限公司"),
            f.listing("ECO-DESK-1", {"uscc": firm}, start="2025-01-01"),
            f.listing("ECO-DESK-2", {"uscc": other}, start="2025-02-01", kind="WATCH"),
            f.listing("TAX-DESK-1", {"uscc": taxed}, domain="TAX", department="TAX"),
        ],
    )
    filed = await gql.ok(FILE, {"id": "ECO-DESK-1"}, actor=ECO)
    return firm, other, str(filed["fileObjection"]["id"])


async def test_the_departments_listings_and_its_objection_queue(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    _, _, objection = await desk_story(graph, gql)
    csrf = await desk_csrf(client, graph, "ECOENV")
    listings = await client.get("/workbench/listings")
    assert listings.status_code == 200
    assert 'data-listing="ECO-DESK-1" data-status="SUSPENDED"' in listings.text
    assert 'data-listing="ECO-DESK-2" data-status="ACTIVE"' in listings.text
    assert "重点关注名单" in listings.text and "TAX-DESK-1" not in listings.text
    assert listings.text.index("ECO-DESK-2") < listings.text.index("ECO-DESK-1")  # newest first
    queue = await client.get("/workbench/objections")
    assert f'data-objection="{objection}"' in queue.text
    assert "2025-05-01" in queue.text and "监测数据有误" in queue.text
    # Its deadline in working days (filed 2025-05-01, during the May Day holiday), overdue now.
    assert f'data-objection="{objection}" data-overdue="true"' in queue.text
    assert re.search(r'class="deadline">2025-05-(\d\d)（提出后 10 个工作日', queue.text)
    incomplete = await client.post(
        f"/workbench/objections/{objection}/resolve", data={"csrf": csrf, "reason": "x"}
    )
    assert incomplete.status_code == 303 and "error=INCOMPLETE" in incomplete.headers["location"]
    done = await client.post(
        f"/workbench/objections/{objection}/resolve",
        data={"csrf": csrf, "decision": "rejected", "reason": "经复核监测数据无误"},
    )
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert "已处理" in after.text and f'data-objection="{objection}"' not in after.text
    again = await client.get("/workbench/listings")
    assert 'data-listing="ECO-DESK-1" data-status="ACTIVE"' in again.text
    assert "异议不成立" in again.text


async def test_another_departments_objection_is_refused_by_the_api(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    _, _, objection = await desk_story(graph, gql)
    csrf = await desk_csrf(client, graph, "TAX")
    assert f'data-objection="{objection}"' not in (await client.get("/workbench/objections")).text
    refused = await client.post(
        f"/workbench/objections/{objection}/resolve",
        data={"csrf": csrf, "decision": "upheld", "reason": "越权"},
    )
    assert refused.status_code == 403


async def test_desk_reads_are_the_departments_own_in_the_api(gql: GQL, graph: Store) -> None:
    await desk_story(graph, gql)
    query = """query($d: String) { departmentListings(department: $d) { nodes { id } }
      openObjections(department: $d) { listingId } }"""
    own = await gql.ok(query, {"d": None}, actor=ECO)
    assert [n["id"] for n in own["departmentListings"]["nodes"]] == ["ECO-DESK-2", "ECO-DESK-1"]
    assert own["openObjections"] == [{"listingId": "ECO-DESK-1"}]
    other = await gql(query, {"d": "TAX"}, actor=ECO)
    assert other.errors is not None and other.errors[0].extensions["code"] == "FORBIDDEN"
    admin = await gql.ok(query, {"d": "TAX"}, actor=Actor(Role.ADMIN, "key-admin-desk"))
    assert [n["id"] for n in admin["departmentListings"]["nodes"]] == ["TAX-DESK-1"]
    unnamed = await gql(query, {"d": None}, actor=Actor(Role.ADMIN, "key-admin-desk"))
    assert unnamed.errors is not None
    assert unnamed.errors[0].extensions["code"] == "BAD_USER_INPUT"


async def test_a_listing_ended_and_an_objection_filed_from_the_listings_page(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    await desk_story(graph, gql)
    third = f.uscc()
    await load(graph, [f.enterprise(third), f.listing("ECO-DESK-3", {"uscc": third})])
    csrf = await desk_csrf(client, graph, "ECOENV")
    filed = await client.post(
        "/workbench/listings/ECO-DESK-3/objection",
        data={"csrf": csrf, "reason": "当事人称已整改", "on": ""},
    )
    assert filed.status_code == 303 and "done=objection" in filed.headers["location"]
    page = await client.get(filed.headers["location"])
    assert "已登记异议" in page.text
    assert 'data-listing="ECO-DESK-3" data-status="SUSPENDED"' in page.text
    assert "当事人称已整改" in (await client.get("/workbench/objections")).text
    incomplete = await client.post(
        "/workbench/listings/ECO-DESK-2/end", data={"csrf": csrf, "kind": "REMOVED", "reason": "x"}
    )
    assert "error=INCOMPLETE" in incomplete.headers["location"]  # REMOVED is the court's
    # REPAIRED decides the listing's pending repair application (docs/lifecycle.md)
    await gql.ok(
        """mutation { applyForRepair(input: {listingId: "ECO-DESK-2", conductCorrected: true,
             publicCommitment: "信用修复承诺书", reason: "已整改"}) { status } }""",
        actor=ECO,
    )
    ended = await client.post(
        "/workbench/listings/ECO-DESK-2/end",
        data={"csrf": csrf, "kind": "REPAIRED", "reason": "已完成信用修复"},
    )
    assert ended.status_code == 303 and "done=end" in ended.headers["location"]
    page = await client.get(ended.headers["location"])
    assert 'data-listing="ECO-DESK-2" data-status="ENDED"' in page.text
    assert "信用修复" in page.text
    again = await client.post(
        "/workbench/listings/ECO-DESK-2/objection", data={"csrf": csrf, "reason": "晚了"}
    )
    assert "error=CONFLICT" in again.headers["location"]  # the API: the listing has ended
    assert "与已记录的情况冲突" in (await client.get(again.headers["location"])).text


APPLY = (
    """mutation($input: RepairInput!) { applyForRepair(input: $input) { id status deadline } }"""
)


async def repair_story(graph: Store, gql: GQL) -> tuple[str, str]:
    """Two ECOENV BLACK listings (TAX domain: repairable a year after 2024-03-01), each with a
    PENDING repair application: one applied on 2025-03-03 (its deadline long past), one today.
    Their ids: (overdue, recent)."""
    old, new = f.uscc(), f.uscc()
    await load(
        graph,
        [
            f.enterprise(old, "隆林修复超期有限公司"),
            f.enterprise(new, "隆林修复新近有限公司"),
            f.listing("ECO-REP-1", {"uscc": old}, domain="TAX", start="2024-03-01"),
            f.listing("ECO-REP-2", {"uscc": new}, domain="TAX", start="2024-03-01"),
        ],
        department="ECOENV",
    )
    ids = []
    for listing, on in (("ECO-REP-2", None), ("ECO-REP-1", "2025-03-03")):
        given = {
            "listingId": listing,
            "conductCorrected": True,
            "publicCommitment": "信用修复承诺书",
            "repairTraining": "培训证明 2025-88",
            "creditReport": "信用报告 GX-1",
            "reason": f"已补缴税款（{listing}）",
            "on": on,
        }
        applied = (await gql.ok(APPLY, {"input": given}, actor=ECO))["applyForRepair"]
        assert applied["status"] == "PENDING"
        ids.append(str(applied["id"]))
    return ids[1], ids[0]


async def test_the_repair_queue_overdue_first_with_deadlines_and_the_decide_form(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    overdue, recent = await repair_story(graph, gql)
    csrf = await desk_csrf(client, graph, "ECOENV")
    assert 'data-menu="repairs"' in (await client.get("/workbench/")).text
    queue = await client.get("/workbench/repairs")
    assert queue.status_code == 200
    shown = re.findall(r'data-repair="([^"]+)" data-overdue="(true|false)"', queue.text)
    assert shown == [(overdue, "true"), (recent, "false")]  # overdue first
    assert "2025年03月17日" in queue.text or "2025-03-17" in queue.text  # 10 working days
    assert "已超期" in queue.text and "隆林修复超期有限公司" in queue.text
    assert "已补缴税款（ECO-REP-1）" in queue.text and "信用修复培训" in queue.text
    assert queue.text.count('name="csrf"') >= 2
    without = await client.post(
        f"/workbench/repairs/{overdue}/decide", data={"decision": "approved", "reason": "x"}
    )
    assert without.status_code == 403  # no CSRF token
    incomplete = await client.post(
        f"/workbench/repairs/{overdue}/decide", data={"csrf": csrf, "reason": "x"}
    )
    assert incomplete.status_code == 303 and "error=INCOMPLETE" in incomplete.headers["location"]
    done = await client.post(
        f"/workbench/repairs/{overdue}/decide",
        data={"csrf": csrf, "decision": "approved", "reason": "核实整改到位", "on": "2025-03-10"},
    )
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert "已决定：准予修复" in after.text
    assert re.findall(r'data-repair="([^"]+)"', after.text) == [recent]
    listings = await client.get("/workbench/listings")
    assert 'data-listing="ECO-REP-1" data-status="ENDED"' in listings.text
    again = await client.post(
        f"/workbench/repairs/{overdue}/decide",
        data={"csrf": csrf, "decision": "refused", "reason": "重复"},
    )
    assert "error=CONFLICT" in again.headers["location"]  # decided already: the API's refusal
    assert "已处理" in (await client.get(again.headers["location"])).text


async def test_another_departments_repair_is_refused_and_other_roles_get_403(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    overdue, _ = await repair_story(graph, gql)
    csrf = await desk_csrf(client, graph, "TAX")
    assert "data-repair=" not in (await client.get("/workbench/repairs")).text
    refused = await client.post(
        f"/workbench/repairs/{overdue}/decide",
        data={"csrf": csrf, "decision": "approved", "reason": "越权"},
    )
    assert refused.status_code == 403
    for role in (Role.APPROVAL, Role.INVESTIGATOR, Role.ADMIN):
        client.cookies.clear()
        _, token = await create_key(graph, role, None)
        await sign_in(client, token)
        assert (await client.get("/workbench/repairs")).status_code == 403, role
