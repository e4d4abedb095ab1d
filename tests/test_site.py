"""The public site through the real app: pages as PUBLIC, publicity rules, masking, caching,
offline assets. The same pages in a real browser: tests/test_site_browser.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.app import create_app
from hub.settings import Settings
from hub.store import Store
from tests import site_story
from tests.conftest import GQL, load

pytestmark = pytest.mark.neo4j

# Any absolute URL (or protocol-relative one) in an attribute or a style sheet.
ABSOLUTE_URL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//|url\(\s*["']?\s*(?:[a-z]+:)?//""",
    re.I,
)
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture
async def client(graph: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            yield http


@pytest.fixture
async def story(graph: Store, gql: GQL, settings: Settings) -> site_story.Story:
    return await site_story.build(graph, gql, settings.today())


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


async def test_home_lists_the_newest_public_records(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert "信用中国(广西百色) · 隆林" in page.text
    assert 'placeholder="请输入企业名称、统一社会信用代码或姓名"' in page.text
    assert story.hero_name in page.text and story.coop_name in page.text
    assert "建筑业企业资质许可" in page.text
    assert story.quiet_name not in page.text  # WATCH, repaired and revoked: nothing to publish
    assert "隆市监罚〔2026〕99号" not in page.text  # a MINOR penalty is not published


async def test_search_by_uscc_and_by_name(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    by_code = await client.get("/search", params={"q": story.hero})
    assert by_code.status_code == 200
    assert f'href="/subjects/{story.hero}"' in by_code.text
    assert "代码精确匹配" in by_code.text
    by_name = await client.get("/search", params={"q": "红星种养"})
    assert f'href="/subjects/{story.coop}"' in by_name.text
    assert story.hero_name not in by_name.text


async def test_search_filters_by_kind_division_and_list(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    everyone = await client.get("/search", params={"q": "隆林"})
    assert (
        story.hero in everyone.text and story.coop in everyone.text and story.quiet in everyone.text
    )
    coops = await client.get("/search", params={"q": "隆林", "kind": "COOPERATIVE"})
    assert story.coop in coops.text and story.hero not in coops.text
    black = await client.get("/search", params={"q": "隆林", "list": "black"})
    # 永安 was on BLACK twice, but one listing was repaired and the other revoked
    assert (
        story.hero in black.text and story.quiet not in black.text and story.coop not in black.text
    )
    red = await client.get("/search", params={"q": "隆林", "list": "red"})
    assert story.coop in red.text and story.hero not in red.text
    elsewhere = await client.get("/search", params={"q": "隆林", "division": "451000"})
    assert story.hero not in elsewhere.text
    exact_elsewhere = await client.get("/search", params={"q": story.hero, "kind": "COOPERATIVE"})
    assert f"/subjects/{story.hero}" not in exact_elsewhere.text


async def test_profile_shows_penalties_inside_their_publicity_window_only(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    page = await client.get(f"/subjects/{story.hero}")
    assert page.status_code == 200
    text = page.text
    for ident, shown in story.penalties.items():
        assert (story.content[ident] in text) is shown, (ident, shown)
    for tab in ("基础信息", "行政许可", "行政处罚", "红名单", "黑名单", "信用承诺", "信用报告"):
        assert tab in text
    assert "失信惩戒对象" in text and "韦建国" in text and "2012-06-30" in text
    assert "隆林县联合奖惩决定" in text  # the BLACK listing in force
    # the way back (issue 18): ENVIRONMENT is not repairable early, three years from 2025-01-01
    assert (
        "2028-01-01起可申请信用修复，需纠正失信行为、履行法定义务、作出信用修复承诺、参加信用修复培训、"
        "提交信用报告" in text
    )
    assert text.count("起可申请信用修复") == 3  # the listing and the two published penalties


async def test_profile_hides_watch_repaired_and_revoked_listings(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    page = await client.get(f"/subjects/{story.quiet}")
    assert page.status_code == 200
    for ident in ("LST-QUIET-WATCH", "LST-QUIET-REPAIRED", "LST-QUIET-REVOKED"):
        assert ident not in page.text
    assert "失信惩戒对象" not in visible_text(page.text).replace("失信惩戒对象名单", "")
    assert "— —" in page.text


async def test_every_id_number_is_masked_on_every_page(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    pages = [
        "/",
        f"/search?q={story.legal_rep}",
        "/search?q=韦建国",
        f"/subjects/{story.hero}",
        "/lists/black",
        "/lists/red",
    ]
    for path in pages:
        page = await client.get(path)
        assert page.status_code == 200, path
        assert story.legal_rep not in page.text, path
        assert not FULL_ID.search(
            visible_text(page.text)
            .replace(story.hero, "")
            .replace(story.coop, "")
            .replace(story.quiet, "")
        ), path
    profile = await client.get(f"/subjects/{story.hero}")
    assert f"{story.legal_rep[:4]}**********{story.legal_rep[-4:]}" in profile.text


async def test_lists_and_their_filters(
    client: httpx.AsyncClient, story: site_story.Story, graph: Store
) -> None:
    black = await client.get("/lists/black")
    assert (
        story.hero_name in black.text
        and story.quiet_name not in black.text
        and story.coop_name not in black.text
    )
    red = await client.get("/lists/red")
    assert story.coop_name in red.text and story.hero_name not in red.text
    assert story.hero_name not in (await client.get("/lists/black", params={"domain": "TAX"})).text
    assert (
        story.hero_name in (await client.get("/lists/black", params={"domain": "ENVIRONMENT"})).text
    )
    assert (
        story.hero_name in (await client.get("/lists/black", params={"department": "ECOENV"})).text
    )
    assert (
        story.hero_name not in (await client.get("/lists/black", params={"department": "AMR"})).text
    )
    assert (
        story.hero_name
        not in (await client.get("/lists/black", params={"from": "2025-01-02"})).text
    )
    assert (
        story.hero_name
        in (
            await client.get("/lists/black", params={"from": "2025-01-01", "to": "2025-01-01"})
        ).text
    )
    assert (await client.get("/lists/watch")).status_code == 404


async def test_list_pages_are_stable_and_complete(client: httpx.AsyncClient, graph: Store) -> None:
    from hub.identifiers import make_uscc

    codes = [make_uscc("9", "1", "451031", f"MA5PG{i:04d}") for i in range(45)]
    await load(
        graph,
        [
            {"kind": "enterprise", "uscc": c, "name": f"隆林分页测试{i}号公司"}
            for i, c in enumerate(codes)
        ],
    )
    await load(
        graph,
        [
            {
                "kind": "listing",
                "id": f"PG-{i:03d}",
                "subject": {"uscc": c},
                "list": "BLACK",
                "domain": "TAX",
                "department": "TAX",
                "basis": "税收违法",
                "effectiveFrom": f"2025-0{1 + i % 3}-01",
            }
            for i, c in enumerate(codes)
        ],
        department="TAX",
    )
    seen: list[str] = []
    path = "/lists/black"
    pages = 0
    while path:
        page = await client.get(path)
        seen += re.findall(r"/subjects/([0-9A-Z]{18})", page.text)
        found = re.search(r'rel="next" href="([^"]+)"', page.text)
        path = found.group(1).replace("&amp;", "&") if found else ""
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(codes)


async def test_bad_input_is_a_page_not_a_crash(client: httpx.AsyncClient, graph: Store) -> None:
    invalid = await client.get("/subjects/91451031MA5XXXXXX0")
    assert invalid.status_code == 400 and "统一社会信用代码格式不正确" in invalid.text
    from hub.identifiers import make_uscc

    unknown = await client.get(f"/subjects/{make_uscc('9', '1', '451031', 'MA5NF0000')}")
    assert unknown.status_code == 404 and "未找到" in unknown.text
    assert (await client.get("/lists/black", params={"after": "garbage"})).status_code == 400


async def test_pages_carry_etags_that_change_with_the_subject(
    client: httpx.AsyncClient, story: site_story.Story, gql: GQL
) -> None:
    path = f"/subjects/{story.hero}"
    first = await client.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = await client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    await gql.ok(
        'mutation { endListing(id: "LST-HERO-BLACK", reason: "法院判决撤销", kind: REVOKED) { id } }'
    )
    changed = await client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "隆林县联合奖惩决定" not in changed.text


async def test_an_unchanged_page_is_answered_304_without_rendering_it(
    client: httpx.AsyncClient, story: site_story.Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ETag is the page's data (the API's answer and the page's parameters) under the
    front end's version: a revalidation that matches costs the API read, not the render."""
    path = f"/subjects/{story.hero}"
    first = await client.get(path)
    rendered: list[str] = []

    def counting(front_end: str, name: str, **data: object) -> str:
        rendered.append(name)
        return ""

    monkeypatch.setattr("web.public.pages.render", counting)
    again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and rendered == []
    other = await client.get(f"{path}?after=x", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code != 304  # other parameters, another ETag (here: a refused cursor)


async def test_public_graphql_gets_carry_etags(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    query = f'{{ enterprise(uscc: "{story.hero}") {{ name listings {{ id }} }} }}'
    first = await client.get("/graphql", params={"query": query})
    assert (
        first.status_code == 200 and first.json()["data"]["enterprise"]["name"] == story.hero_name
    )
    assert first.headers["cache-control"] == "public, no-cache"
    again = await client.get(
        "/graphql", params={"query": query}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    post = await client.post("/graphql", json={"query": query})
    assert "etag" not in post.headers


async def test_no_page_names_another_host(
    client: httpx.AsyncClient, story: site_story.Story
) -> None:
    pages = ["/", "/search?q=隆林", f"/subjects/{story.hero}", "/lists/black", "/lists/red"]
    graphiql = await client.get("/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 200 and "graphiql.min.js" in graphiql.text
    bodies = [(await client.get(p)).text for p in pages] + [graphiql.text]
    assets: set[str] = set()
    for body in bodies:
        assert not ABSOLUTE_URL.search(body), ABSOLUTE_URL.search(body)
        assets.update(re.findall(r'(?:src|href)="(/(?:assets|static)/[^"]+)"', body))
    assert len(assets) >= 6
    for path in sorted(assets):
        served = await client.get(path)
        assert served.status_code == 200, path
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        if path.endswith(".css"):
            assert not ABSOLUTE_URL.search(served.text), path
            for font in re.findall(r"url\((\./files/[^)]+\.woff2)\)", served.text)[:3]:
                base = path.rsplit("/", 1)[0]
                assert (await client.get(f"{base}/{font[2:]}")).status_code == 200


async def test_pages_count_against_the_request_rate_limit(graph: Store, settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_per_second": 0.01, "rate_limit_burst": 2})
    app = create_app(limited, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.50", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            assert (await http.get("/lists/black")).status_code == 200
            assert (await http.get("/search", params={"q": "隆林"})).status_code == 200
            refused = await http.get("/lists/red")
            assert refused.status_code == 429 and "retry-after" in refused.headers
            assert (await http.get("/healthz")).status_code == 200


async def test_a_profile_pages_through_every_public_record(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """105 licences: the profile shows the newest 100 and links to the older ones, which show
    the rest; nothing is cut off silently."""
    import html

    from tests import factories as f

    firm = f.uscc()
    await load(graph, [f.enterprise(firm, "隆林许可很多测试有限公司")])
    await load(
        graph,
        [
            f.action(
                f"AMR-MANY-{i:03d}",
                {"uscc": firm},
                decided=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}",
                documentNumber=f"隆许〔2025〕{i:03d}号",
            )
            for i in range(105)
        ],
    )
    first = await client.get(f"/subjects/{firm}")
    assert first.status_code == 200
    shown = set(re.findall(r"隆许〔2025〕(\d{3})号", first.text))
    assert len(shown) == 100
    older = re.search(r'href="(/subjects/[^"#]+\?after=[^"#]+)#xzxk"', first.text)
    assert older is not None
    second = await client.get(html.unescape(older.group(1)))
    assert second.status_code == 200
    rest = set(re.findall(r"隆许〔2025〕(\d{3})号", second.text))
    assert len(rest) == 5 and not rest & shown
    assert "更早的记录" not in second.text and "最新记录" in second.text


async def test_a_profile_publishes_inspection_results_without_the_inspectors(
    client: httpx.AsyncClient, gql: GQL
) -> None:
    """双随机一公开: a plan's recorded result is on the profile page and in the PUBLIC API;
    the inspectors (persons) are not, not even masked; keyed callers see them masked, and the
    department's note."""
    from hub.auth import PUBLIC, Actor, Role
    from tests import factories as f

    amr = Actor(Role.DEPARTMENT, "key-amr", "AMR")
    firm, inspector = f.uscc(), f.id_number("1985-05-05")
    grade = {"kind": "evaluation", "subject": {"uscc": firm}, "grade": "D"}
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林抽查对象有限公司"),
            f.person(inspector, "农检查"),
            {**grade, "evaluatedOn": "2025-01-01", "source": "NDRC"},
        ],
    )
    before = await client.get(f"/subjects/{firm}")
    assert "抽查检查（0）" in before.text
    create = """mutation ($input: SamplingPlanInput!) {
      createSamplingPlan(input: $input) { id targets { uscc } } }"""
    ratios = {"A": 0, "B": 0, "C": 0, "D": 1}
    given = {"seed": 9, "inspectors": [inspector], "inspectorsPerTarget": 1, "ratios": ratios}
    made = (await gql.ok(create, {"input": given}, actor=amr))["createSamplingPlan"]
    assert [t["uscc"] for t in made["targets"]] == [firm]
    record = """mutation ($id: String!, $uscc: String!) {
      recordInspectionResult(planId: $id, uscc: $uscc, result: "未按规定公示年度报告，已责令改正",
                             inspectedOn: "2026-03-02", note: "检查人员现场核查") { id } }"""
    await gql.ok(record, {"id": made["id"], "uscc": firm}, actor=amr)

    page = await client.get(f"/subjects/{firm}")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "抽查检查（1）" in text and "双随机抽查检查结果" in text
    assert "未按规定公示年度报告，已责令改正" in text and made["id"] in text
    assert "2026年03月02日" in text or "2026-03-02" in text
    assert inspector not in page.text and inspector[-4:] + "<" not in page.text
    assert "检查人员现场核查" not in text  # the note is the department's, for keyed callers
    assert page.headers["etag"] != before.headers["etag"]

    query = """query ($uscc: String!) { enterprise(uscc: $uscc) {
      inspectionResults { planId department inspectedOn result note inspectors } } }"""
    public = (await gql.ok(query, {"uscc": firm}, actor=PUBLIC))["enterprise"]
    assert public["inspectionResults"] == [
        {
            "planId": made["id"],
            "department": "AMR",
            "inspectedOn": "2026-03-02",
            "result": "未按规定公示年度报告，已责令改正",
            "note": None,
            "inspectors": [],
        }
    ]
    keyed = (await gql.ok(query, {"uscc": firm}, actor=amr))["enterprise"]["inspectionResults"]
    assert keyed[0]["inspectors"] == [inspector[:4] + "*" * 10 + inspector[-4:]]
    assert keyed[0]["note"] == "检查人员现场核查"
    full = (await gql.ok(query, {"uscc": firm}))["enterprise"]["inspectionResults"]  # ADMIN
    assert full[0]["inspectors"] == [inspector]
