"""The workbench's graph explorer in a real browser (tests/browser.py) on the test Neo4j: a known
story drawn (node and edge counts in the page's model), a node expanded, a date filter that
removes an ended role, a path highlighted, owners with their arithmetic, the exports, the audit
trail of the reads; PUBLIC and APPROVAL refused. Screenshots in test-artifacts/site/."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.async_api import Browser

from hub.auth import Role
from hub.keys import create_key
from hub.store import Store
from tests import factories as f
from tests.browser import ARTIFACTS, Visit, visit
from tests.conftest import load

pytestmark = pytest.mark.neo4j

SHOTS = ARTIFACTS.parent / "workbench"
AUDIT = "MATCH (a:AuditEntry {keyId: $key}) RETURN a {.*} AS a ORDER BY a.at"


@dataclass
class Story:
    """隆林金鑫建材 (target) is held 60 % by 百色矿业集团 and 40 % by 黄金鑫, its legal
    representative since 2020; 韦老四 was its legal representative until 2019-12-31 and is a
    director of the group; 黄金鑫 is also legal representative of 隆林鑫达物流 (the path's end);
    the group is held 50 % by 黄金鑫 too (so 黄's share of the target is 40 % + 60 % × 50 %)."""

    target: str
    group: str
    logistics: str
    huang: str
    wei: str


async def build(store: Store) -> Story:
    s = Story(f.uscc(), f.uscc(), f.uscc(), f.id_number("1970-05-01"), f.id_number("1968-02-03"))
    await load(
        store,
        [
            f.enterprise(s.target, "隆林金鑫建材有限公司"),
            f.enterprise(s.group, "百色矿业集团有限公司"),
            f.enterprise(s.logistics, "隆林鑫达物流有限公司"),
            f.person(s.huang, "黄金鑫"),
            f.person(s.wei, "韦老四"),
            f.share({"uscc": s.group}, s.target, 0.6, "2015-03-01"),
            f.share({"idNumber": s.huang}, s.target, 0.4, "2015-03-01"),
            f.share({"idNumber": s.huang}, s.group, 0.5, "2012-01-01"),
            f.role(s.huang, s.target, "LEGAL_REPRESENTATIVE", "2020-01-01"),
            f.role(s.wei, s.target, "LEGAL_REPRESENTATIVE", "2015-03-01", "2019-12-31"),
            f.role(s.wei, s.group, "DIRECTOR", "2012-01-01"),
            f.role(s.huang, s.logistics, "LEGAL_REPRESENTATIVE", "2018-01-01"),
        ],
    )
    return s


@pytest.fixture
async def story(graph: Store) -> Story:
    return await build(graph)


async def signed_in(
    browser: Browser, base: str, store: Store, role: Role, width: int = 1280
) -> tuple[Visit, str]:
    """A browser page signed in to the workbench with a new key of ``role``; the key id."""
    department = "AMR" if role == Role.DEPARTMENT else None
    key_id, token = await create_key(store, role, department, "调查员")
    v = await visit(browser, base, width=width, artifacts=SHOTS, downloads=True)
    await v.page.goto(base + "/workbench/login")
    await v.page.fill("#token", token)
    await v.page.press("#token", "Enter")
    await v.page.wait_for_url(base + "/workbench/")
    return v, key_id


async def until(v: Visit, condition: str, seconds: float = 15) -> None:
    """Waits until ``condition`` (JavaScript) holds in the page. (Playwright's wait_for_function
    evaluates its text with eval, which the hub's Content-Security-Policy forbids.)"""
    for _ in range(int(seconds * 20)):
        if await v.page.evaluate(condition):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not true after {seconds} s: {condition}")


async def model(v: Visit) -> dict[str, Any]:
    graph: dict[str, Any] = await v.page.evaluate(
        "({nodes: explorer.graph.nodes.map(n => n.id), edges: explorer.graph.edges.map(e => e.id)})"
    )
    return graph


async def audit_entries(store: Store, key_id: str) -> list[dict[str, Any]]:
    async with store.driver.session(database=store.database) as session:
        result = await session.run(AUDIT, key=key_id)
        return [dict(r["a"]) async for r in result]


async def test_the_explorer_draws_expands_filters_and_finds_a_path(
    browser: Browser, base: str, graph: Store, story: Story
) -> None:
    v, key_id = await signed_in(browser, base, graph, Role.INVESTIGATOR)
    assert "关系图谱" in await v.page.inner_text("#menu")
    await v.page.click("#menu a[data-menu='explorer']")
    await v.page.wait_for_url("**/workbench/explorer")
    assert "每一次查询" in await v.page.inner_text("#audit-notice")
    await v.page.fill("#q", "金鑫建材")
    await v.page.press("#q", "Enter")
    await v.page.wait_for_url("**/workbench/explorer?q=**")
    await v.page.click(f"a.pick[data-subject='E:{story.target}']")
    await v.page.wait_for_url(f"**subject=E:{story.target}")
    await v.page.evaluate("explorer.ready")
    drawn = await model(v)
    # the target, the group, 黄 and 韦; two holdings and two legal representatives (one ended)
    assert sorted(drawn["nodes"]) == sorted(
        [f"E:{story.target}", f"E:{story.group}", f"P:{story.huang}", f"P:{story.wei}"]
    )
    assert len(drawn["edges"]) == 4
    assert await v.page.evaluate("explorer.cy.nodes(':visible').length") == 4
    assert await v.page.get_attribute("#caps p", "data-truncated") == "false"
    assert not await v.page.is_visible("#selected-actions")  # nothing selected yet
    await v.shot("explorer-drawn")

    # click 黄 on the canvas: expanded (its holding in the group, its role at the logistics firm)
    position = await v.page.evaluate(
        f"(() => {{ const p = explorer.cy.getElementById('P:{story.huang}').renderedPosition();"
        " const box = document.getElementById('cy').getBoundingClientRect();"
        " return {x: box.left + p.x, y: box.top + p.y}; })()"
    )
    await v.page.mouse.click(position["x"], position["y"])
    await until(v, "explorer.timing.runs.length === 2")
    expanded = await model(v)
    assert f"E:{story.logistics}" in expanded["nodes"] and len(expanded["nodes"]) == 5
    assert len(expanded["edges"]) == 6
    assert "黄金鑫" in await v.page.inner_text("#selected-info")
    await v.shot("explorer-expanded")

    # as of 2024-06-01 韦's ended legal representation is gone (and 韦 with it: no other edge
    # to the shown graph is loaded), the rest stays
    await v.page.fill("#as-of", "2024-06-01")
    await v.page.dispatch_event("#as-of", "change")
    dated = await model(v)
    assert f"P:{story.wei}" not in dated["nodes"] and len(dated["edges"]) == 5
    assert "截至 2024-06-01" in await v.page.inner_text("#status")
    await v.page.fill("#as-of", "2018-06-01")
    await v.page.dispatch_event("#as-of", "change")
    earlier = await model(v)  # before 2020: 韦 was the legal rep, 黄 not yet; logistics role yes
    assert f"P:{story.wei}" in earlier["nodes"] and len(earlier["edges"]) == 5
    await v.page.click("#as-of-clear")

    # filter by type: legal representatives only
    for box in await v.page.query_selector_all("#type-filter input"):
        if await box.get_attribute("value") != "LEGAL_REPRESENTATIVE_OF":
            await box.uncheck()
    reps = await v.page.evaluate("explorer.graph.edges.map(e => e.type)")
    assert reps == ["LEGAL_REPRESENTATIVE_OF"] * 3
    for box in await v.page.query_selector_all("#type-filter input"):
        await box.check()

    # a path from 韦 to the logistics firm, highlighted
    await v.page.evaluate(
        f"explorer.setPathEnd('from', 'P:{story.wei}'); "
        f"explorer.setPathEnd('to', 'E:{story.logistics}')"
    )
    await v.page.click("#find-path")
    await until(v, "explorer.cy.edges('.path').length > 0")
    assert "最短路径" in await v.page.inner_text("#path-result")
    highlighted = await v.page.evaluate("explorer.cy.edges('.path').map(e => e.id())")
    assert len(highlighted) >= 3
    await v.shot("explorer-path")

    # beneficial owners of the target: 黄 at 40 % + 60 % × 50 % = 70 %
    await v.page.evaluate(f"explorer.select('E:{story.target}')")
    await v.page.click("#owners-btn")
    await v.page.wait_for_selector("#owners:not([hidden]) .owners-list")
    owners = await v.page.inner_text("#owners-body")
    assert "黄金鑫" in owners and "60% × 50% = 30%" in owners and "40% + 30% = 70%" in owners
    await v.shot("explorer-owners")
    await v.page.click("#related-btn")
    await v.page.wait_for_selector("#related:not([hidden]) table")
    assert "隆林鑫达物流有限公司" in await v.page.inner_text("#related-body")

    # the reads are in the audit trail under this key, ID numbers included
    entries = await audit_entries(graph, key_id)
    operations = [e["operation"] for e in entries]
    assert operations.count("ExplorerNeighbourhood") == 2
    assert {"ExplorerSearch", "ExplorerPaths", "ExplorerOwners", "ExplorerRelated"} <= set(
        operations
    )
    read = {s for e in entries for s in e["subjects"]}
    assert {story.huang, story.wei} <= read
    assert v.foreign == []


async def test_exports_of_what_is_on_screen_and_their_audit(
    browser: Browser, base: str, graph: Store, story: Story
) -> None:
    v, key_id = await signed_in(browser, base, graph, Role.ADMIN)
    await v.open(f"/workbench/explorer?subject=E:{story.target}")
    await v.page.evaluate("explorer.ready")
    await v.page.fill("#as-of", "2024-06-01")
    await v.page.dispatch_event("#as-of", "change")
    async with v.page.expect_download() as bods:
        await v.page.click("[data-export='bods']")
    statements = json.loads((await (await bods.value).path()).read_text(encoding="utf-8"))
    kinds = sorted(s["recordType"] for s in statements)
    assert kinds == ["entity", "entity", "person", "relationship", "relationship", "relationship"]
    async with v.page.expect_download() as ftm:
        await v.page.click("[data-export='ftm']")
    lines = (await (await ftm.value).path()).read_text(encoding="utf-8").splitlines()
    schemata = sorted(json.loads(line)["schema"] for line in lines)
    assert schemata == ["Company", "Company", "Directorship", "Ownership", "Ownership", "Person"]
    for fmt, needle in (
        ("csv", "隆林金鑫建材有限公司"),
        ("graphml", "<graphml"),
        ("json", '"asOf"'),
    ):
        async with v.page.expect_download() as file:
            await v.page.click(f"[data-export='{fmt}']")
        assert needle in (await (await file.value).path()).read_text(encoding="utf-8-sig")
    forged = await v.page.request.post(  # the same form without the session's CSRF token
        f"{base}/workbench/explorer/export",
        form={"graph": json.dumps({"nodes": [], "edges": []}), "format": "json"},
    )
    assert forged.status == 403
    exports = [e for e in await audit_entries(graph, key_id) if e["operation"] == "explorerExport"]
    assert [e["fields"] for e in exports] == [["bods"], ["ftm"], ["csv"], ["graphml"], ["json"]]
    assert all(e["subjects"] == [story.huang] and e["what"] == "Export" for e in exports)
    assert v.foreign == []


async def test_a_public_visitor_is_refused(browser: Browser, base: str, story: Story) -> None:
    """Without a session the page is the sign-in form (as every workbench page) and the data
    routes answer 403; nothing of the story is shown."""
    v = await visit(browser, base, artifacts=SHOTS)
    await v.page.goto(f"{base}/workbench/explorer?subject=E:{story.target}")
    await v.page.wait_for_url("**/workbench/login?next=%2Fworkbench%2Fexplorer")
    assert "关系图谱" not in await v.page.title() and "金鑫" not in await v.page.content()
    for route in ("neighbourhood", "owners", "related"):
        data = await v.page.request.get(
            f"{base}/workbench/explorer/{route}?subject=E:{story.target}"
        )
        assert data.status == 403 and "金鑫" not in await data.text(), route
    paths = f"{base}/workbench/explorer/paths?from=E:{story.target}&to=P:{story.huang}"
    assert (await v.page.request.get(paths)).status == 403
    assert v.foreign == []


@pytest.mark.parametrize("role", [Role.APPROVAL, Role.DEPARTMENT])
async def test_approval_and_department_keys_are_refused(
    browser: Browser, base: str, graph: Store, story: Story, role: Role
) -> None:
    v, key_id = await signed_in(browser, base, graph, role)
    assert "关系图谱" not in await v.page.inner_text("#menu")
    answer = await v.page.goto(f"{base}/workbench/explorer?subject=E:{story.target}")
    assert answer is not None and answer.status == 403
    assert "无权访问" in await v.text() and "金鑫" not in await v.page.content()
    await v.shot(f"explorer-refused-{role.value.lower()}")
    data = await v.page.request.get(
        f"{base}/workbench/explorer/neighbourhood?subject=E:{story.target}"
    )
    assert data.status == 403 and story.huang not in await data.text()
    graph_json = json.dumps({"nodes": [], "edges": []})
    export = await v.page.request.post(
        f"{base}/workbench/explorer/export", form={"graph": graph_json, "format": "json"}
    )
    assert export.status == 403
    assert await audit_entries(graph, key_id) == []
    assert v.foreign == []


async def test_a_capped_neighbourhood_says_truncated(
    browser: Browser, base: str, graph: Store
) -> None:
    hub = f.uscc()
    people = [f.id_number("1980-01-01") for _ in range(230)]
    await load(
        graph,
        [f.enterprise(hub, "隆林大型合作社")]
        + [f.person(p, f"社员{n}") for n, p in enumerate(people)]
        + [f.share({"idNumber": p}, hub, 0.004) for p in people],
    )
    v, _ = await signed_in(browser, base, graph, Role.INVESTIGATOR)
    await v.open(f"/workbench/explorer?subject=E:{hub}")
    await v.page.evaluate("explorer.ready")
    assert len((await model(v))["edges"]) == 200
    caps = await v.page.inner_text("#caps")
    assert "上限 200" in caps and "truncated:是" in caps and "共 230" in caps
    await v.page.click("#caps button[data-more='HOLDS_SHARES']")
    await until(v, "explorer.graph.edges.length === 230")
    await v.shot("explorer-truncated")


# Two answers, the second let through once the first has added its first slice: the second is
# merged while the first is still being drawn a slice at a time, and its edges end on persons
# of the first's later slices (drawn before those, they would have no source).
OVERLAPPING_LOADS = """async ([first, second]) => {
  const realFetch = window.fetch;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let calls = 0;
  window.fetch = async (...args) => {
    const call = calls++;
    const answer = await realFetch(...args);
    if (call !== 1) return answer;
    const text = await answer.text();  // read ahead: let through, it is merged at once
    await gate;
    return new Response(text, {status: answer.status, headers: answer.headers});
  };
  explorer.cy.one("add", () => release());
  try {
    await Promise.all([explorer.load(first), explorer.load(second)]);
  } finally {
    window.fetch = realFetch;
  }
  return {model: [explorer.all.nodes.length, explorer.all.edges.length],
          drawn: [explorer.cy.nodes().length, explorer.cy.edges().length]};
}"""


async def test_an_answer_arriving_while_another_is_drawn_waits_for_it(
    browser: Browser, base: str, graph: Store
) -> None:
    coop, bank = f.uscc(), f.uscc()
    people = [f.id_number("1981-01-01") for _ in range(500)]
    await load(
        graph,
        [f.enterprise(coop, "隆林第二合作社"), f.enterprise(bank, "隆林村镇银行")]
        + [f.person(p, f"股东{n}") for n, p in enumerate(people)]
        + [f.share({"idNumber": p}, coop, 0.004) for p in people]
        + [f.share({"idNumber": p}, bank, 0.004) for p in people],
    )
    v, _ = await signed_in(browser, base, graph, Role.INVESTIGATOR)
    await v.open("/workbench/explorer")
    await v.page.select_option("#limit", "1000")
    drawn = await v.page.evaluate(OVERLAPPING_LOADS, [f"E:{coop}", f"E:{bank}"])
    assert drawn["model"][1] == 1000
    assert drawn["drawn"] == drawn["model"]


async def test_at_768_px_by_keyboard(
    browser: Browser, base: str, graph: Store, story: Story
) -> None:
    """Usable at 768 px (nothing wider than the window) and by keyboard: Tab to a node of the
    node list, Enter selects it, Shift+Tab back to 展开 and Enter expands it."""
    v, _ = await signed_in(browser, base, graph, Role.INVESTIGATOR, width=768)
    await v.open(f"/workbench/explorer?subject=E:{story.target}")
    await v.page.evaluate("explorer.ready")
    assert await v.page.evaluate("document.documentElement.scrollWidth") <= 768
    await v.page.focus("#limit")
    for _ in range(40):
        await v.page.keyboard.press("Tab")
        if await v.page.evaluate("document.activeElement.dataset.node || ''") == f"P:{story.huang}":
            break
    await v.page.keyboard.press("Enter")
    assert "黄金鑫" in await v.page.inner_text("#selected-info")
    for _ in range(30):  # back (Shift+Tab) to 展开 above the node list
        await v.page.keyboard.press("Shift+Tab")
        if await v.page.evaluate("document.activeElement.id") == "expand":
            break
    await v.page.keyboard.press("Enter")
    await until(v, "explorer.timing.runs.length === 2")
    assert f"E:{story.logistics}" in (await model(v))["nodes"]
    await v.shot("explorer-768")
    assert v.foreign == []


BOXES = """([first, second]) => {
  const box = (ids) => {
    const xs = ids.map((id) => explorer.cy.getElementById(id).position());
    return {x0: Math.min(...xs.map((p) => p.x)), x1: Math.max(...xs.map((p) => p.x)),
            y0: Math.min(...xs.map((p) => p.y)), y1: Math.max(...xs.map((p) => p.y))};
  };
  return [box(first), box(second)];
}"""


async def test_a_subject_unconnected_to_the_drawing_is_placed_beside_it(
    browser: Browser, base: str, graph: Store, story: Story
) -> None:
    loner, clerk = f.uscc(), f.id_number("1990-03-03")
    await load(
        graph,
        [
            f.enterprise(loner, "隆林独立商行"),
            f.person(clerk, "覃独立"),
            f.role(clerk, loner, "LEGAL_REPRESENTATIVE", "2020-01-01"),
        ],
    )
    v, _ = await signed_in(browser, base, graph, Role.INVESTIGATOR)
    await v.page.goto(f"{base}/workbench/explorer?subject=E:{story.target}")
    await v.page.evaluate("explorer.ready")
    first = await v.page.evaluate("explorer.graph.nodes.map(n => n.id)")
    await v.page.evaluate(f"explorer.load('E:{loner}')")
    second = [f"E:{loner}", f"P:{clerk}"]
    before, after = await v.page.evaluate(BOXES, [first, second])
    # the second subject's rings lie wholly to the right of the first drawing, not over it
    assert after["x0"] > before["x1"], (before, after)
    assert await v.page.evaluate("explorer.cy.nodes(':visible').length") == len(first) + 2
    await v.shot("explorer-apart")
