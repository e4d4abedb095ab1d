"""The workbench in a real browser (tests/browser.py): sign-in and logout, a forged form
refused, an idle session ended, a check whose hit comes through a legal representative drawn
as a path, its printable receipt and outcome, a batch file with a bad row and its download, an
upload with rejected lines, keys and the audit trail, keyboard use, 1280 and 768 px; nothing is
loaded from another host. Screenshots: test-artifacts/workbench/."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from playwright.async_api import Browser

from hub.auth import Actor, Role
from hub.keys import create_key
from hub.settings import Settings
from hub.store import Store
from tests import factories as f
from tests import workbench_story
from tests.browser import ARTIFACTS, Visit, serve, visit
from tests.conftest import GQL, load
from tests.workbench_support import bad_check_character

pytestmark = pytest.mark.neo4j

SHOTS = ARTIFACTS.parent / "workbench"


@pytest.fixture
async def story(graph: Store) -> workbench_story.Story:
    return await workbench_story.build(graph)


async def signed_in(
    browser: Browser, base: str, store: Store, role: Role = Role.APPROVAL, width: int = 1280
) -> Visit:
    _, token = await create_key(store, role, "AMR" if role == Role.DEPARTMENT else None, "审批员")
    v = await visit(browser, base, width=width, artifacts=SHOTS, downloads=True)
    await v.page.goto(base + "/workbench/")
    await v.page.wait_for_url("**/workbench/login?next=%2Fworkbench%2F")
    await v.page.fill("#token", token)
    await v.page.press("#token", "Enter")
    await v.page.wait_for_url(base + "/workbench/")
    if role in (Role.APPROVAL, Role.DEPARTMENT):
        await v.page.click("a[data-menu=check]")
        await v.page.wait_for_url("**/workbench/check")
    return v


async def test_sign_in_menu_and_logout(browser: Browser, base: str, graph: Store) -> None:
    _, token = await create_key(graph, Role.DEPARTMENT, "AMR", "市监局数据员")
    v = await visit(browser, base, artifacts=SHOTS)
    await v.page.goto(base + "/workbench/")
    await v.page.wait_for_url("**/workbench/login**")
    await v.shot("login")
    await v.page.fill("#token", "chk_wrong")
    await v.page.click("#login-form button[type=submit]")
    assert "密钥无效或已停用" in await v.page.inner_text("#login-error")
    await v.page.fill("#token", token)
    await v.page.click("#login-form button[type=submit]")
    await v.page.wait_for_url(base + "/workbench/")
    menu = await v.page.inner_text("#menu")
    assert "核查" in menu and "批量核查" in menu
    assert "市监局数据员" in await v.page.inner_text("#who")
    cookies = await v.page.context.cookies()
    [session] = [c for c in cookies if c["name"] == "credithub_workbench"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert await v.page.evaluate("document.cookie") == ""  # not readable by scripts
    await v.shot("home")
    await v.page.click("#logout")
    await v.page.wait_for_url("**/workbench/login?ended=1")
    assert "已退出登录" in await v.text()
    await v.page.goto(base + "/workbench/")
    await v.page.wait_for_url("**/workbench/login**")
    assert v.foreign == []


async def test_a_role_without_the_console_is_refused(
    browser: Browser, base: str, graph: Store
) -> None:
    v = await signed_in_elsewhere(browser, base, graph)
    answer = await v.page.goto(base + "/workbench/check")
    assert answer is not None and answer.status == 403
    assert "无权访问" in await v.text()
    assert "核查" not in await v.page.inner_text("#menu")
    assert v.foreign == []


async def signed_in_elsewhere(browser: Browser, base: str, store: Store) -> Visit:
    """An INVESTIGATOR, signed in from the login page."""
    _, token = await create_key(store, Role.INVESTIGATOR, None, "调查员")
    v = await visit(browser, base, artifacts=SHOTS)
    await v.page.goto(base + "/workbench/login")
    await v.page.fill("#token", token)
    await v.page.click("#login-form button[type=submit]")
    await v.page.wait_for_url(base + "/workbench/")
    return v


async def test_a_check_through_a_legal_representative_draws_the_path(
    browser: Browser, base: str, graph: Store, story: workbench_story.Story
) -> None:
    v = await signed_in(browser, base, graph)
    await v.page.fill("#identifier", story.rep)
    await v.page.select_option("#scenario", "MARKET_ENTRY")
    await v.page.fill("#asOf", story.as_of)
    await v.page.click("#check-form button[type=submit]")
    await v.page.wait_for_selector("#decision")
    assert await v.page.get_attribute("#decision", "data-decision") == "RESTRICTED"
    path = await v.page.inner_text("#hits .path")
    assert "法定代表人" in path and story.polluter_name in path and story.rep_name in path
    assert story.rep not in await v.page.content()  # masked for APPROVAL
    assert "依据" in await v.page.inner_text("#hits")
    receipt_id = (await v.page.inner_text("#receipt-id")).strip()
    await v.shot("check-restricted-1280")
    width = await v.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    await v.page.click("#receipt-link")
    await v.page.wait_for_url(f"**/workbench/receipts/{receipt_id}")
    assert "打印核查回执" in await v.text()
    await v.page.emulate_media(media="print")
    assert not await v.page.is_visible("#outcome-form")  # the print CSS hides the forms
    await v.shot("receipt-print")
    await v.page.emulate_media(media="screen")
    await v.page.check("input[name=outcome][value=REJECTED]")
    await v.page.fill("#note", "法定代表人任职企业为失信主体")
    await v.page.click("#outcome-form button[type=submit]")
    await v.page.wait_for_selector("#outcome-recorded")
    assert "不予办理" in await v.page.inner_text("#outcome")
    await v.shot("receipt-recorded")
    assert v.foreign == []


async def test_a_check_by_keyboard_at_768_px(
    browser: Browser, base: str, graph: Store, story: workbench_story.Story
) -> None:
    v = await signed_in(browser, base, graph, width=768)
    await v.page.focus("#identifier")
    await v.page.keyboard.type(story.polluter)
    for _ in range(6):  # on through the scenario and the date's parts to the button
        await v.page.keyboard.press("Tab")
        if await v.page.evaluate("document.activeElement.type") == "submit":
            break
    assert await v.page.evaluate("document.activeElement.type") == "submit"
    await v.page.keyboard.press("Enter")
    await v.page.wait_for_selector("#decision")
    width = await v.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, width
    await v.shot("check-768")
    assert v.foreign == []


async def test_a_batch_file_with_a_bad_row(
    browser: Browser, base: str, graph: Store, story: workbench_story.Story, tmp_path: Path
) -> None:
    v = await signed_in(browser, base, graph)
    await v.page.click("a[data-menu=batch]")
    await v.page.wait_for_url("**/workbench/batch")
    rows = [
        ["统一社会信用代码或身份证号码", "核查场景"],
        [story.polluter, "财政性资金申报"],
        [story.coop, "买房"],
        [story.rep, "MARKET_ENTRY"],
    ]
    upload = tmp_path / "批量核查.csv"
    with upload.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    await v.page.set_input_files("#file", str(upload))
    await v.page.fill("#asOf", story.as_of)
    await v.page.click("#batch-form button[type=submit]")
    await v.page.wait_for_selector("#batch-table")
    bad = v.page.locator("#batch-table tr.bad")
    assert await bad.count() == 1
    assert "核查场景不认识" in await bad.inner_text()
    assert await v.page.locator("#batch-table tr[data-decision=RESTRICTED]").count() == 2
    await v.shot("batch-with-bad-row")
    async with v.page.expect_download() as downloading:
        await v.page.click("#batch-download")
    download = await downloading.value
    saved = tmp_path / "results.csv"
    await download.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in table] == ["行号", "2", "3", "4"]
    assert table[1][6].startswith("rcpt") and table[2][6] == ""
    assert v.foreign == []


async def test_an_admin_creates_and_revokes_a_key_and_reads_the_audit_trail(
    browser: Browser, base: str, graph: Store
) -> None:
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    v = await visit(browser, base, artifacts=SHOTS)
    await v.page.goto(base + "/workbench/keys")
    await v.page.fill("#token", token)
    await v.page.press("#token", "Enter")
    await v.page.wait_for_url("**/workbench/keys")
    await v.page.fill("#name", "隆林县行政审批局")
    await v.page.select_option("#role", "DEPARTMENT")
    await v.page.select_option("#department", "AMR")
    await v.page.click("#create-key button[type=submit]")
    await v.page.wait_for_selector("#new-token")
    assert (await v.page.inner_text("#new-token")).startswith("chk_")
    await v.shot("keys-created")
    assert "当前登录所用" in await v.page.locator("#keys tr", has_text="管理员").inner_text()
    row = v.page.locator("#keys tr", has_text="隆林县行政审批局")
    await row.locator("button").click()
    await v.page.wait_for_selector("#revoked-notice")
    assert "已停用" in await v.page.locator("#keys tr", has_text="隆林县行政审批局").inner_text()
    await v.page.click("a[data-menu=audit]")
    await v.page.wait_for_url("**/workbench/audit")
    assert "审计日志" in await v.text()
    await v.shot("audit")
    assert v.foreign == []


async def test_an_upload_with_rejected_lines_shows_line_field_and_reason(
    browser: Browser, base: str, graph: Store, tmp_path: Path
) -> None:
    v = await signed_in(browser, base, graph, role=Role.DEPARTMENT)
    await v.page.click("a[data-menu=desk]")
    await v.page.wait_for_url("**/workbench/desk")
    good = f.uscc()
    upload = tmp_path / "报送.jsonl"
    upload.write_text(
        "\n".join(
            [
                json.dumps(f.enterprise(good, "隆林浏览器报送有限公司"), ensure_ascii=False),
                json.dumps(
                    {"kind": "enterprise", "uscc": bad_check_character(good), "name": "坏代码"}
                ),
                "not json",
            ]
        ),
        encoding="utf-8",
    )
    await v.page.set_input_files("#file", str(upload))
    await v.page.click("#upload-form button[type=submit]")
    await v.page.wait_for_selector("#report-errors")
    rows = v.page.locator("#report-errors tbody tr")
    assert await rows.count() == 2
    second = await v.page.inner_text("#report-errors tr[data-line='2']")
    assert "uscc" in second and "统一社会信用代码无效：校验码为" in second
    assert "1" in await v.page.inner_text("#accepted")
    await v.shot("desk-upload-report")
    assert v.foreign == []


async def test_a_workflow_form_filled_in_by_keyboard_lists_a_subject(
    browser: Browser, base: str, graph: Store
) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm, "隆林键盘列入有限公司")])
    v = await signed_in(browser, base, graph, role=Role.DEPARTMENT)
    await v.page.click("a[data-menu=actions]")
    await v.page.wait_for_url("**/workbench/actions")
    await v.shot("desk-actions")
    await v.page.click("li[data-action=listSubject] a")
    await v.page.wait_for_selector("#action-form")
    await v.page.focus("#f-id")
    await v.page.keyboard.type("AMR-KEY-1")
    await v.page.keyboard.press("Tab")
    await v.page.keyboard.type(firm)
    await v.page.select_option("#f-list", "WATCH")
    await v.page.select_option("#f-domain", "FOOD_DRUG")
    await v.page.fill("#f-basis", "《食品安全法》第一百三十四条")
    await v.page.fill("#f-effectiveFrom", "2026-03-02")
    await v.page.focus("#f-liablePersons")
    await v.page.keyboard.press("Enter")  # a new line in a text area, not a submit
    await v.page.keyboard.press("Tab")
    await v.page.keyboard.press("Enter")  # the submit button
    await v.page.wait_for_selector("#action-done")
    done = await v.page.inner_text("#action-done")
    assert "AMR-KEY-1" in done and "执行中" in done
    await v.shot("desk-action-done")
    await v.page.click("a[data-menu=listings]")
    assert "AMR-KEY-1" in await v.page.inner_text("#listings")
    assert v.foreign == []


async def test_every_page_is_usable_at_768_px(
    browser: Browser, base: str, graph: Store, story: workbench_story.Story
) -> None:
    pages = {
        Role.APPROVAL: ("/workbench/", "/workbench/check", "/workbench/batch"),
        Role.DEPARTMENT: (
            "/workbench/desk",
            "/workbench/listings",
            "/workbench/objections",
            "/workbench/repairs",
            "/workbench/actions",
            "/workbench/actions/createSamplingPlan",
        ),
        Role.ADMIN: ("/workbench/keys", "/workbench/audit"),
    }
    for role, paths in pages.items():
        v = await signed_in(browser, base, graph, role=role, width=768)
        for path in paths:
            await v.open(path)
            width = await v.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 768, (path, width)
            await v.shot(f"{path.strip('/').replace('/', '-')}-768")
        assert v.foreign == []


async def test_a_forged_form_is_refused_and_an_idle_session_ends(
    browser: Browser, graph: Store, settings: Settings, story: workbench_story.Story
) -> None:
    quick = settings.model_copy(update={"workbench_idle_seconds": 2.0})
    async with serve(quick) as base:
        v = await signed_in(browser, base, graph)
        # A form whose CSRF token is not the session's (as another site's would be): 403.
        await v.page.evaluate("document.querySelector('#check-form [name=csrf]').value = 'x'")
        await v.page.fill("#identifier", story.polluter)
        async with v.page.expect_response("**/workbench/check") as refused:
            await v.page.click("#check-form button[type=submit]")
        assert (await refused.value).status == 403
        assert "表单缺少有效的安全令牌" in await v.text()
        await v.shot("csrf-refused")
        # Left alone longer than CREDITHUB_WORKBENCH_IDLE_SECONDS: the next page is the login.
        await asyncio.sleep(2.5)
        await v.page.goto(base + "/workbench/check")
        await v.page.wait_for_url("**/workbench/login?next=%2Fworkbench%2Fcheck&expired=1")
        assert "登录已过期或已失效" in await v.text()
        await v.shot("session-expired")
        assert v.foreign == []


async def test_the_repair_queue_decided_in_the_browser(
    browser: Browser, base: str, graph: Store, gql: GQL
) -> None:
    """An AMR officer opens 信用修复 from the menu: the overdue application first, marked, with
    its deadline; approving it (the form's radio, reason and date) ends the listing."""
    firm = f.uscc()
    await load(
        graph,
        [
            f.enterprise(firm, "隆林浏览器修复有限公司"),
            f.listing(
                "AMR-REP-B", {"uscc": firm}, domain="TAX", start="2024-03-01", department="AMR"
            ),
        ],
        department="AMR",
    )
    applied = await gql.ok(
        """mutation($input: RepairInput!) { applyForRepair(input: $input) { id status } }""",
        {
            "input": {
                "listingId": "AMR-REP-B",
                "conductCorrected": True,
                "publicCommitment": "信用修复承诺书",
                "repairTraining": "培训证明 2025-01",
                "creditReport": "信用报告 GX-9",
                "reason": "已补缴税款并整改",
                "on": "2025-03-03",
            }
        },
        actor=Actor(Role.DEPARTMENT, "key-amr-browser", "AMR"),
    )
    repair = applied["applyForRepair"]["id"]
    v = await signed_in(browser, base, graph, role=Role.DEPARTMENT)
    await v.page.click("a[data-menu=repairs]")
    await v.page.wait_for_url("**/workbench/repairs")
    section = v.page.locator(f"[data-repair='{repair}']")
    assert await section.get_attribute("data-overdue") == "true"
    assert "2025-03-17" in await section.locator(".deadline").inner_text()
    await v.shot("repairs-queue")
    await section.locator("input[value=approved]").check()
    await section.locator("textarea[name=reason]").fill("核实整改到位")
    await section.locator("input[name=on]").fill("2025-03-10")
    await section.locator("button[type=submit]").click()
    await v.page.wait_for_selector("#decided-notice")
    assert "准予修复" in await v.page.inner_text("#decided-notice")
    assert await v.page.locator(f"[data-repair='{repair}']").count() == 0
    await v.page.click("a[data-menu=listings]")
    await v.page.wait_for_selector("[data-listing='AMR-REP-B'][data-status='ENDED']")
    assert v.foreign == []
