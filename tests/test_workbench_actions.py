"""The desk's workflow actions as forms (web/workbench/actions.py, actions.toml) over HTTP
against the real app and Neo4j: every workflow mutation a DEPARTMENT key may use has a form on
the desk; each form does what the API does (read back through the API), a bad form names its
fields and sends nothing, the API's refusal is shown with its field; forms opened filled in from
the listings and objection pages; other roles refused, CSRF required. The form-to-variables
rule alone: tests/test_workbench_action_forms.py."""

from __future__ import annotations

import re

import httpx
import pytest

from hub.auth import Actor, Role
from hub.keys import create_key
from hub.policy import MUTATIONS
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.workbench_support import bad_check_character, page_csrf, sign_in
from web.workbench.actions import catalogue

pytestmark = pytest.mark.neo4j

ECO = Actor(Role.DEPARTMENT, "key-eco-actions", "ECOENV")
# The desk's other pages hold these as forms (listings, objections, repairs).
ON_OTHER_PAGES = {"endListing", "fileObjection", "resolveObjection", "decideRepair"}


async def signed_in(client: httpx.AsyncClient, graph: Store, department: str = "ECOENV") -> str:
    _, token = await create_key(graph, Role.DEPARTMENT, department, "业务员")
    assert (await sign_in(client, token)).status_code == 303
    return await page_csrf(client, "/workbench/actions")


def done_facts(page: str) -> dict[str, str]:
    """label -> value of the 已办理 panel."""
    panel = re.search(
        r'<section class="panel notice" role="status" id="action-done">(.*?)</section>', page, re.S
    )
    assert panel is not None, re.findall(r'id="action-(?:error|problems)".*?</div>', page, re.S)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", panel.group(1)))


def listing_form(csrf: str, ident: str, subject: str, **changes: str) -> dict[str, str]:
    """The 列入名单 form filled in: an ENVIRONMENT BLACK listing from 2026-01-05."""
    return {
        "csrf": csrf,
        "id": ident,
        "subject": subject,
        "list": "BLACK",
        "domain": "ENVIRONMENT",
        "basis": "《环境保护法》第六十三条",
        "effectiveFrom": "2026-01-05",
        **changes,
    }


def problem_fields(page: str) -> set[str]:
    return set(re.findall(r'<li data-field="([^"]+)">', page))


async def test_every_workflow_mutation_of_a_department_has_a_form_on_the_desk(
    client: httpx.AsyncClient, graph: Store
) -> None:
    workflow = {name for name, roles in MUTATIONS.items() if Role.DEPARTMENT in roles}
    workflow -= {"recordApprovalOutcome", "issueCreditReport", "watch", "unwatch"}  # not desk work
    assert set(catalogue()) == workflow - ON_OTHER_PAGES
    await signed_in(client, graph)
    index = await client.get("/workbench/actions")
    assert index.status_code == 200 and 'data-menu="actions"' in index.text
    assert set(re.findall(r'<li data-action="(\w+)">', index.text)) == set(catalogue())
    for name, action in catalogue().items():
        page = await client.get(f"/workbench/actions/{name}")
        assert page.status_code == 200, name
        for field in action.fields:  # every input labelled
            assert f'<label for="f-{field.name}">' in page.text, (name, field.name)
            assert f'id="f-{field.name}"' in page.text, (name, field.name)


async def test_list_subject_by_form_is_the_apis_listing(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm, "隆林表单列入有限公司")])
    csrf = await signed_in(client, graph)
    form = listing_form(csrf, "ECO-FORM-1", firm, documentNumber="隆环罚〔2026〕1号")
    answer = await client.post("/workbench/actions/listSubject", data=form)
    assert answer.status_code == 200
    facts = done_facts(answer.text)
    assert facts["名单记录编号"] == "ECO-FORM-1" and facts["生效日期"] == "2026-01-05"
    read = await gql.ok(
        'query { listing(id: "ECO-FORM-1") { list status documentNumber department { code } '
        "subject { ... on Enterprise { uscc } } } }",
        actor=ECO,
    )
    listing = read["listing"]
    assert listing["list"] == "BLACK" and facts["状态"] == "执行中"
    assert listing["subject"]["uscc"] == firm and listing["department"]["code"] == "ECOENV"
    assert listing["documentNumber"] == "隆环罚〔2026〕1号" and listing["status"] == "ACTIVE"
    # It is on the department's listings page, with the repair form's link filled in.
    listings = await client.get("/workbench/listings")
    assert 'data-listing="ECO-FORM-1" data-status="ACTIVE"' in listings.text
    assert "/workbench/actions/applyForRepair?listingId=ECO-FORM-1" in listings.text


async def test_a_bad_form_names_its_fields_and_sends_nothing(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm)])
    csrf = await signed_in(client, graph)
    # A list not offered, no basis (required), a day that does not exist.
    form = listing_form(
        csrf, "ECO-FORM-BAD", firm, list="GREY", basis="", effectiveFrom="2026-02-30"
    )
    answer = await client.post("/workbench/actions/listSubject", data=form)
    assert answer.status_code == 400
    assert problem_fields(answer.text) == {"list", "basis", "effectiveFrom"}
    assert "列入依据</a>：必须填写" in answer.text and "生效日期</a>：日期格式应为" in answer.text
    assert 'value="ECO-FORM-BAD"' in answer.text  # what was typed is kept
    gone = await gql('query { listing(id: "ECO-FORM-BAD") { id } }', actor=ECO)
    assert gone.data is None or gone.data["listing"] is None


async def test_the_apis_refusal_is_shown_with_its_field(
    client: httpx.AsyncClient, graph: Store
) -> None:
    csrf = await signed_in(client, graph)
    form = listing_form(csrf, "ECO-FORM-USCC", bad_check_character(f.uscc()), list="WATCH")
    answer = await client.post("/workbench/actions/listSubject", data=form)
    assert answer.status_code == 400
    assert 'data-code="BAD_USER_INPUT"' in answer.text
    # The field by its label, the reason in Chinese (hub/importer/reasons_zh.toml).
    assert "对象（统一社会信用代码或身份证号码）：统一社会信用代码无效：校验码为" in answer.text


async def test_repair_and_verification_forms_open_filled_in_from_the_queues(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    firm, other = f.uscc(), f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm),
            f.enterprise(other),
            f.listing("ECO-ACT-1", {"uscc": firm}, start="2024-01-02", kind="WATCH"),
            f.listing("ECO-ACT-2", {"uscc": other}, start="2025-01-02"),
        ],
    )
    filed = await gql.ok(
        'mutation { fileObjection(listingId: "ECO-ACT-2", reason: "数据有误") { id } }',
        actor=ECO,
    )
    objection = filed["fileObjection"]["id"]
    csrf = await signed_in(client, graph)
    opened = await client.get("/workbench/actions/applyForRepair?listingId=ECO-ACT-1&x=1")
    assert 'name="listingId" value="ECO-ACT-1"' in opened.text and "x=1" not in opened.text
    applied = await client.post(
        "/workbench/actions/applyForRepair",
        data={
            "csrf": csrf,
            "listingId": "ECO-ACT-1",
            "conductCorrected": "true",
            "publicCommitment": "承诺守法经营",
            "reason": "已整改到位",
        },
    )
    assert applied.status_code == 200
    repair = done_facts(applied.text)["申请编号"]
    assert done_facts(applied.text)["状态"] == "待处理"
    queue = await client.get("/workbench/repairs")
    assert f'data-repair="{repair}"' in queue.text
    objections = await client.get("/workbench/objections")
    link = f"/workbench/actions/startVerification?id={objection}"
    assert link in objections.text
    assert f'name="id" value="{objection}"' in (await client.get(link)).text
    verified = await client.post(
        "/workbench/actions/startVerification",
        data={"csrf": csrf, "id": objection, "reason": "调取监测原始记录"},
    )
    assert done_facts(verified.text)["状态"] == "核查中"
    again = await client.post(
        "/workbench/actions/startVerification",
        data={"csrf": csrf, "id": objection, "reason": "再次"},
    )
    assert again.status_code == 400 and 'data-code="CONFLICT"' in again.text


async def test_rectification_commitment_and_voluntary_forms_run_their_workflows(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm, "隆林流程表单有限公司")])
    csrf = await signed_in(client, graph)

    async def send(name: str, **fields: str) -> dict[str, str]:
        answer = await client.post(f"/workbench/actions/{name}", data={"csrf": csrf, **fields})
        assert answer.status_code == 200, (
            name,
            re.findall(r'class="detail">(.*?)</p>', answer.text),
        )
        return done_facts(answer.text)

    order = await send(
        "orderRectification",
        subject=firm,
        content="补办排污许可",
        deadline="2026-02-06",
        reason="现场检查发现未办证",
        on="2026-01-05",
    )
    # Past its deadline: the interview (约谈) is due, the rectification late.
    await send("recordInterview", id=order["整改编号"], reason="约谈法定代表人")
    rectified = await send("recordRectified", id=order["整改编号"], reason="已取得许可")
    assert rectified["状态"] == "已整改" and rectified["逾期完成"] == "是"
    made = await send(
        "recordCommitment",
        subject=firm,
        type="APPROVAL_REPLACING",
        content="按期补交环评材料",
        liability="未履行则撤销许可",
        madeOn="2026-03-02",
        scenario="ADMINISTRATIVE_LICENSE",
        disclosure="PUBLIC",
    )
    assert made["类型"] == "审批替代型" and len(made["承诺编号"]) == 20
    broken = await send(
        "recordFulfilment",
        code=made["承诺编号"],
        status="BROKEN",
        confirmedOn="2026-06-01",
        confirmedBy="王审批",
        undone="环评材料未补交",
    )
    assert broken["履行情况"] == "未履行（失信）" and broken["记入失信记录"] == "是"
    registered = await send(
        "registerVoluntaryInformation",
        subject=firm,
        category="PUBLIC_WELFARE",
        content="2025 年捐建村道",
        truthfulnessCommitment="以上信息真实",
    )
    assert registered["状态"] == "待核实"
    accepted = await send(
        "verifyVoluntaryInformation", id=registered["登记编号"], accepted="true", reason="核实无误"
    )
    read = await gql.ok(
        "query($uscc: String!) { enterprise(uscc: $uscc) { name } }", {"uscc": firm}, actor=ECO
    )
    assert read["enterprise"]["name"] == "隆林流程表单有限公司"
    assert accepted["登记编号"] == registered["登记编号"] and accepted["状态"] == "核实通过"


async def test_execution_and_sampling_forms(
    client: httpx.AsyncClient, graph: Store, gql: GQL
) -> None:
    firms = [f.uscc() for _ in range(3)]
    inspectors = [f.id_number("1985-01-0" + str(n)) for n in (1, 2)]
    await load(
        graph,
        [
            *(f.enterprise(firm, f"隆林抽查{n}有限公司") for n, firm in enumerate(firms)),
            *(f.person(number, f"检查员{n}") for n, number in enumerate(inspectors)),
        ],
    )
    csrf = await signed_in(client, graph)
    executed = await client.post(
        "/workbench/actions/recordExecution",
        data={
            "csrf": csrf,
            "measure": "ADM-PROJECT-APPROVAL",
            "subject": firms[0],
            "reference": "案-2026-1",
            "executedOn": "2026-05-02",
            "result": "不予核准",
        },
    )
    assert executed.status_code == 200 and done_facts(executed.text)["执行日期"] == "2026-05-02"
    bad = await client.post(
        "/workbench/actions/createSamplingPlan",
        data={"csrf": csrf, "seed": "七", "inspectors": "", "ratioC": "150"},
    )
    assert bad.status_code == 400 and problem_fields(bad.text) == {"seed", "inspectors", "ratioC"}
    plan = await client.post(
        "/workbench/actions/createSamplingPlan",
        data={
            "csrf": csrf,
            "seed": "7",
            "inspectors": "\n".join(inspectors),
            "inspectorsPerTarget": "1",
            "ratioC": "100",
        },
    )
    assert plan.status_code == 200
    facts = done_facts(plan.text)
    drawn = await gql.ok(
        "query($id: String!) { samplingPlan(id: $id) { targets { uscc inspectors } } }",
        {"id": facts["计划编号"]},
        actor=ECO,
    )
    targets = drawn["samplingPlan"]["targets"]
    assert int(facts["抽中对象数"]) == len(targets) >= 3  # every ungraded (C) subject at 100 %
    assert all(len(t["inspectors"]) == 1 for t in targets)
    table = re.search(r'<table class="stack" id="action-rows">(.*?)</table>', plan.text, re.S)
    assert table is not None and table.group(1).count("<tr>") == len(targets) + 1
    assert all(t["uscc"] in table.group(1) for t in targets)
    inspected = await client.post(
        "/workbench/actions/recordInspectionResult",
        data={
            "csrf": csrf,
            "planId": facts["计划编号"],
            "uscc": firms[1],
            "result": "未发现问题",
            "inspectedOn": "2026-05-03",
        },
    )
    assert inspected.status_code == 200
    after = await gql.ok(
        "query($id: String!) { samplingPlan(id: $id) { targets { uscc result } } }",
        {"id": facts["计划编号"]},
        actor=ECO,
    )
    assert {t["uscc"]: t["result"] for t in after["samplingPlan"]["targets"]}[
        firms[1]
    ] == "未发现问题"


async def test_other_roles_are_refused_and_a_form_needs_its_csrf_token(
    client: httpx.AsyncClient, graph: Store
) -> None:
    for role in (Role.APPROVAL, Role.INVESTIGATOR, Role.ADMIN):
        client.cookies.clear()
        _, token = await create_key(graph, role, None)
        await sign_in(client, token)
        for path in ("/workbench/actions", "/workbench/actions/listSubject"):
            assert (await client.get(path)).status_code == 403, (role, path)
    client.cookies.clear()
    await signed_in(client, graph)
    forged = await client.post("/workbench/actions/listSubject", data={"id": "X"})
    assert forged.status_code == 403 and "安全令牌" in forged.text
    assert (await client.get("/workbench/actions/noSuchAction")).status_code == 404
