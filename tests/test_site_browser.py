"""The public site in a real browser (tests/browser.py): search, profiles, lists, keyboard use,
360 px, JavaScript off, GraphiQL offline; nothing is loaded from another host."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from hub.settings import Settings
from hub.store import Store
from tests import site_story
from tests.browser import Visit, visit
from tests.conftest import GQL

pytestmark = pytest.mark.neo4j


@pytest.fixture
async def story(graph: Store, gql: GQL, settings: Settings) -> site_story.Story:
    return await site_story.build(graph, gql, settings.today())


async def search_for(v: Visit, text: str) -> str:
    await v.open("/")
    await v.page.fill("#home-q", text)
    await v.page.press("#home-q", "Enter")
    await v.page.wait_for_url("**/search?**")
    return await v.text()


async def test_search_by_uscc_name_and_masked_id(
    browser: Browser, base: str, story: site_story.Story
) -> None:
    v = await visit(browser, base)
    assert story.hero_name in await search_for(v, story.hero)
    assert "代码精确匹配" in await v.text()
    await v.page.click(f"a[href='/subjects/{story.hero}']")
    await v.page.wait_for_url(f"**/subjects/{story.hero}")
    assert story.hero_name in await v.text()
    assert story.coop_name in await search_for(v, "红星种养")
    assert story.hero_name in await search_for(v, "lljt")  # pinyin initials
    await v.shot("search-desktop")
    found = await search_for(v, story.legal_rep)
    assert "韦建国" in found and story.legal_rep not in found
    assert story.legal_rep not in await v.page.content()
    assert v.foreign == []


async def test_profile_in_the_browser_follows_the_publicity_rules(
    browser: Browser, base: str, story: site_story.Story
) -> None:
    v = await visit(browser, base)
    await v.open(f"/subjects/{story.hero}")
    text = await v.text()
    for ident, shown in story.penalties.items():
        assert (story.content[ident] in text) is shown, ident
    assert story.legal_rep not in await v.page.content()
    assert f"{story.legal_rep[:4]}**********{story.legal_rep[-4:]}" in text
    await v.page.click("a[href='#xzcf']")
    assert v.page.url.endswith("#xzcf")
    await v.page.click("a[href='#ccjc']")  # 双随机一公开 results (none recorded in the story)
    assert v.page.url.endswith("#ccjc") and "双随机抽查检查结果" in await v.text()
    await v.page.click("a[href='#xzcf']")
    await v.shot("profile-desktop")
    await v.open(f"/subjects/{story.quiet}")
    quiet = await v.page.content()
    for ident in ("LST-QUIET-WATCH", "LST-QUIET-REPAIRED", "LST-QUIET-REVOKED"):
        assert ident not in quiet
    assert "失信惩戒对象</span>" not in quiet
    assert v.foreign == []


async def test_lists_and_filters_in_the_browser(
    browser: Browser, base: str, story: site_story.Story
) -> None:
    v = await visit(browser, base)
    await v.open("/lists/black")
    assert story.hero_name in await v.text()
    assert story.quiet_name not in await v.text()
    await v.page.select_option("#domain", "TAX")
    await v.page.click(".filters button[type=submit]")
    await v.page.wait_for_url("**/lists/black?**domain=TAX**")
    assert story.hero_name not in await v.text()
    await v.page.select_option("#domain", "ENVIRONMENT")
    await v.page.click(".filters button[type=submit]")
    await v.page.wait_for_url("**domain=ENVIRONMENT**")
    assert story.hero_name in await v.text()
    await v.shot("lists-black")
    await v.open("/lists/red")
    assert story.coop_name in await v.text() and story.hero_name not in await v.text()
    assert v.foreign == []


async def test_keyboard_only_search(browser: Browser, base: str, story: site_story.Story) -> None:
    v = await visit(browser, base)
    await v.open("/")
    for _ in range(10):  # the skip link first, then the brand, then the search box
        await v.page.keyboard.press("Tab")
        if await v.page.evaluate("document.activeElement.id") == "site-q":
            break
    assert await v.page.evaluate("document.activeElement.id") == "site-q"
    await v.page.keyboard.type("隆林集团")
    await v.page.keyboard.press("Enter")
    await v.page.wait_for_url("**/search?q=**")
    for _ in range(40):  # Tab on to the first result's link and follow it with Enter
        await v.page.keyboard.press("Tab")
        href = await v.page.evaluate("document.activeElement.getAttribute('href')")
        if href == f"/subjects/{story.hero}":
            break
    await v.page.keyboard.press("Enter")
    await v.page.wait_for_url(f"**/subjects/{story.hero}")
    assert story.hero_name in await v.text()
    assert v.foreign == []


async def test_every_page_at_360_px_without_javascript_and_from_this_host_only(
    browser: Browser, base: str, story: site_story.Story
) -> None:
    pages = {
        "home": "/",
        "search": "/search?q=隆林",
        "profile": f"/subjects/{story.hero}",
        "lists-black": "/lists/black",
        "lists-red": "/lists/red",
    }
    for js in (True, False):
        v = await visit(browser, base, width=360, js=js)
        for name, path in pages.items():
            await v.open(path)
            width = await v.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (name, width)
            text = await v.text()
            assert "信用中国(广西百色) · 隆林" in text and story.legal_rep not in text
            if js:
                await v.shot(f"{name}-360")
        font = await v.page.evaluate(
            "document.fonts.check('16px \"Noto Sans SC\"', '隆林') && "
            "[...document.fonts].some(f => f.family.includes('Noto Sans SC') && f.status === 'loaded')"
        )
        assert font or not js, "the CJK web font the hub serves was not used"
        assert v.foreign == []
    desktop = await visit(browser, base)
    await desktop.open("/")
    await desktop.shot("home")
    assert desktop.foreign == []


async def test_graphiql_works_offline(browser: Browser, base: str, story: site_story.Story) -> None:
    v = await visit(browser, base)
    async with v.page.expect_response(
        lambda r: r.url == f"{base}/graphql" and r.request.method == "POST"
    ) as introspection:
        await v.open("/graphql")
    answer = await (await introspection.value).json()
    assert "publishedListings" in str(answer["data"]["__schema"])  # the hub's own schema
    await v.page.wait_for_selector(".graphiql-container .graphiql-editor", timeout=15000)
    await v.page.wait_for_selector(".graphiql-execute-button")
    await v.shot("graphiql")
    assert v.foreign == []


async def test_a_report_requested_and_verified_in_the_browser(
    browser: Browser, base: str, story: site_story.Story, tmp_path: Path
) -> None:
    v = await visit(browser, base)
    await v.open(f"/subjects/{story.hero}#xybg")
    await v.page.click("#xybg button[type=submit]")
    await v.page.wait_for_selector("#report-number")
    number = (await v.page.inner_text("#report-number")).strip()
    code = (await v.page.inner_text("#report-code")).strip()
    await v.shot("report-issued")
    href = await v.page.get_attribute("#report-pdf", "href")
    assert href is not None
    pdf = await v.page.request.get(base + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    body = await pdf.body()
    await v.open("/verify")
    await v.page.fill("#number", number)
    await v.page.fill("#code", code)
    await v.page.click("#verify-by-code button[type=submit]")
    await v.page.wait_for_selector("#verify-result")
    assert "核验通过" in await v.page.inner_text("#verify-result")
    await v.shot("verify-genuine")
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(body + b"%")
    await v.page.set_input_files("#file", str(altered))
    await v.page.click("#verify-by-file button[type=submit]")
    await v.page.wait_for_selector("#verify-result")
    assert "可能已被修改" in await v.page.inner_text("#verify-result")
    genuine = tmp_path / "genuine.pdf"
    genuine.write_bytes(body)
    await v.page.set_input_files("#file", str(genuine))
    await v.page.click("#verify-by-file button[type=submit]")
    await v.page.wait_for_selector("#verify-result")
    assert "核验通过" in await v.page.inner_text("#verify-result")
    assert v.foreign == []
