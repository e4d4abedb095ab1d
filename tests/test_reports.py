"""Credit reports: issue (PUBLIC 自查 only, rate-limited), content as the public API shows it,
the PDF with its CJK font (pdftotext), storage, verification by code and by file."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.app import create_app
from hub.auth import PUBLIC, Actor, Role
from hub.settings import Settings
from hub.store import Store
from report.numbering import code_hash, number_in, report_number, verification_code
from tests import site_story
from tests.conftest import GQL

pytestmark = pytest.mark.neo4j

ISSUE = """
mutation ($uscc: String!, $purpose: ReportPurpose!, $asOf: Date) {
  issueCreditReport(subject: {uscc: $uscc}, purpose: $purpose, asOf: $asOf) {
    verificationCode pdfPath
    report { number uscc subjectName asOf purpose requesterRole contentHash pdfHash pdfBase64 content }
  }
}
"""
CLERK = Actor(Role.APPROVAL, key_id="key-clerk")
OTHER_CLERK = Actor(Role.APPROVAL, key_id="key-other")
CHAPTERS = [
    "一、登记注册基础信息",
    "二、行政管理信息",
    "三、诚实守信荣誉",
    "四、严重失信主体名单",
    "五、经营异常",
    "六、信用承诺",
    "七、信用评价",
    "八、司法判决及执行",
    "九、其他",
    "十、信用状况提升建议",
    "十一、报告说明",
]


@pytest.fixture
async def story(graph: Store, gql: GQL, settings: Settings) -> site_story.Story:
    return await site_story.build(graph, gql, settings.today())


async def pdf_text(data: bytes, tmp: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext: run `make test` (it installs poppler-utils with apt-get)")
    path = tmp / "report.pdf"
    path.write_bytes(data)
    process = await asyncio.create_subprocess_exec(
        "pdftotext", "-raw", str(path), "-", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return out.decode()


def test_numbers_and_codes() -> None:
    at = dt.datetime(2026, 12, 7, 6, 30, 5, tzinfo=dt.UTC)
    number = report_number(at)
    assert re.fullmatch(r"20261207143005[A-Z2-7]{8}", number)  # Asia/Shanghai, UTC+8
    assert report_number(at) != number
    code = verification_code()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    assert code_hash(number, code) == code_hash(number, code.lower())
    assert code_hash(number, code) != code_hash(number, verification_code())
    assert number_in(b"... /Keywords (CreditHubReport:" + number.encode() + b") ...") == number
    assert number_in(b"no number") is None


async def test_a_public_self_check_report_holds_what_the_site_shows(
    gql: GQL, story: site_story.Story, tmp_path: Path, graph: Store
) -> None:
    began = asyncio.get_running_loop().time()
    data = await gql.ok(ISSUE, {"uscc": story.hero, "purpose": "SELF_CHECK"}, actor=PUBLIC)
    took = asyncio.get_running_loop().time() - began
    issued = data["issueCreditReport"]
    report = issued["report"]
    number = report["number"]
    assert re.fullmatch(r"\d{14}[A-Z2-7]{8}", number)
    assert number.startswith(story.today.strftime("%Y%m%d"))
    assert report["asOf"] == story.today.isoformat() and report["requesterRole"] == "PUBLIC"
    assert issued["pdfPath"] == f"/reports/{number}.pdf?code={issued['verificationCode']}"
    pdf = base64.b64decode(report["pdfBase64"])
    assert hashlib.sha256(pdf).hexdigest() == report["pdfHash"]
    text = await pdf_text(pdf, tmp_path)
    assert story.hero_name in text and number in text and issued["verificationCode"] in text
    positions = [text.index(title) for title in CHAPTERS]
    assert positions == sorted(positions), "chapters out of order"
    assert "— —" in text  # empty chapters
    for ident, shown in story.penalties.items():
        assert (story.content[ident] in text) is shown, ident
    assert story.legal_rep not in text and "韦建国" in text
    assert report["content"]["subject"]["uscc"] == story.hero
    async with graph.driver.session(database=graph.database) as session:
        record = await (
            await session.run(
                "MATCH (r:CreditReport {number: $n}) RETURN r {.*} AS r", {"n": number}
            )
        ).single()
    assert record is not None
    stored = record["r"]
    assert stored["subject"] == story.hero and stored["purpose"] == "SELF_CHECK"
    assert stored["asOf"].to_native() == story.today and stored["requester"] == "-"
    assert stored["contentHash"] == report["contentHash"]
    assert issued["verificationCode"] not in str(stored)
    assert took < 5, took  # well under a second once the font is cut (first use cuts it)


async def test_public_may_ask_for_self_check_only_and_keys_for_any_purpose(
    gql: GQL, story: site_story.Story
) -> None:
    refused = await gql(ISSUE, {"uscc": story.hero, "purpose": "BIDDING"}, actor=PUBLIC)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    data = await gql.ok(
        ISSUE, {"uscc": story.hero, "purpose": "BIDDING", "asOf": "2026-01-31"}, actor=CLERK
    )
    number = data["issueCreditReport"]["report"]["number"]
    assert data["issueCreditReport"]["report"]["purpose"] == "BIDDING"
    assert data["issueCreditReport"]["report"]["asOf"] == "2026-01-31"
    read = "query ($n: String!) { creditReport(number: $n) { number purpose } }"
    assert (await gql.ok(read, {"n": number}, actor=CLERK))["creditReport"]["number"] == number
    assert (await gql.ok(read, {"n": number}, actor=OTHER_CLERK))["creditReport"] is None
    public = await gql(read, {"n": number}, actor=PUBLIC)
    assert public.errors and public.errors[0].extensions["code"] == "FORBIDDEN"
    future = (story.today + dt.timedelta(days=1)).isoformat()
    late = await gql(ISSUE, {"uscc": story.hero, "purpose": "OTHER", "asOf": future}, actor=CLERK)
    assert late.errors and late.errors[0].extensions["code"] == "BAD_USER_INPUT"
    person = await gql(
        "mutation ($id: String!) { issueCreditReport(subject: {idNumber: $id}, purpose: OTHER) { pdfPath } }",
        {"id": story.legal_rep},
        actor=CLERK,
    )
    assert person.errors and person.errors[0].extensions["code"] == "BAD_USER_INPUT"
    # said in both languages: organisations only, not a person's ID number
    assert (
        "仅为组织" in person.errors[0].message and "organisations only" in person.errors[0].message
    )


async def test_verification_by_code_and_by_file(gql: GQL, story: site_story.Story) -> None:
    data = await gql.ok(ISSUE, {"uscc": story.hero, "purpose": "HONORS"}, actor=CLERK)
    issued = data["issueCreditReport"]
    number, code = issued["report"]["number"], issued["verificationCode"]
    by_code = "query ($n: String!, $c: String!) { verifyReport(number: $n, code: $c) { result report { subjectName purpose } } }"
    genuine = await gql.ok(by_code, {"n": number, "c": code}, actor=PUBLIC)
    assert genuine["verifyReport"] == {
        "result": "GENUINE",
        "report": {"subjectName": story.hero_name, "purpose": "HONORS"},
    }
    wrong = await gql.ok(by_code, {"n": number, "c": "ZZZZZZZZ"}, actor=PUBLIC)
    assert wrong["verifyReport"] == {"result": "UNKNOWN", "report": None}
    by_file = "query ($h: String!, $n: String) { verifyReportDocument(sha256: $h, number: $n) { result } }"
    pdf = base64.b64decode(issued["report"]["pdfBase64"])

    async def check(data: bytes) -> Any:
        answer = await gql.ok(
            by_file, {"h": hashlib.sha256(data).hexdigest(), "n": number_in(data)}, actor=PUBLIC
        )
        return answer["verifyReportDocument"]["result"]

    assert await check(pdf) == "GENUINE"
    altered = (
        pdf.replace(story.hero_name.encode("utf-16-be"), "隆林诚信建设有限公司".encode("utf-16-be"))
        + b"%"
    )
    assert await check(altered) == "ALTERED"
    assert await check(pdf.replace(number.encode(), b"20200101000000AAAAAAAA")) == "UNKNOWN"
    assert await check(b"%PDF-1.4 not a report") == "UNKNOWN"


async def test_anonymous_report_requests_are_rate_limited_per_address(
    graph: Store, settings: Settings, story: site_story.Story
) -> None:
    app = create_app(settings, "test")
    query = {"query": ISSUE, "variables": {"uscc": story.hero, "purpose": "SELF_CHECK"}}
    async with app.router.lifespan_context(app):
        first = httpx.ASGITransport(app=app, client=("198.51.100.1", 1000))
        second = httpx.ASGITransport(app=app, client=("198.51.100.2", 1000))
        async with (
            httpx.AsyncClient(transport=first, base_url="http://hub") as one,
            httpx.AsyncClient(transport=second, base_url="http://hub") as two,
        ):
            for _ in range(settings.public_reports_per_minute):
                assert (await one.post("/graphql", json=query)).json().get("errors") is None
            limited = await one.post("/graphql", json=query)
            assert limited.status_code == 429 and "retry-after" in limited.headers
            assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert (await two.post("/graphql", json=query)).json().get("errors") is None


@pytest.fixture
async def client(graph: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            yield http


async def test_the_site_issues_serves_and_verifies_a_report(
    client: httpx.AsyncClient, story: site_story.Story, tmp_path: Path
) -> None:
    issued = await client.post(f"/subjects/{story.hero}/report")
    assert issued.status_code == 200 and issued.headers["cache-control"] == "private, no-store"
    number = re.search(r'id="report-number">([^<]+)<', issued.text)
    code = re.search(r'id="report-code">([^<]+)<', issued.text)
    assert number and code
    link = re.search(r'id="report-pdf" href="([^"]+)"', issued.text)
    assert link
    pdf = await client.get(link.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = await pdf_text(pdf.content, tmp_path)
    assert story.hero_name in text and number.group(1) in text
    assert (
        await client.get(f"/reports/{number.group(1)}.pdf", params={"code": "ZZZZZZZZ"})
    ).status_code == 404
    by_code = await client.get("/verify", params={"number": number.group(1), "code": code.group(1)})
    assert "核验通过" in by_code.text and story.hero_name in by_code.text
    wrong = await client.get("/verify", params={"number": number.group(1), "code": "ZZZZZZZZ"})
    assert "核验未通过" in wrong.text
    genuine = await client.post(
        "/verify", files={"file": ("r.pdf", pdf.content, "application/pdf")}
    )
    assert "核验通过" in genuine.text
    altered = await client.post(
        "/verify", files={"file": ("r.pdf", pdf.content + b"%", "application/pdf")}
    )
    assert "可能已被修改" in altered.text
    unknown = await client.post(
        "/verify", files={"file": ("r.pdf", b"%PDF-1.4", "application/pdf")}
    )
    assert "未找到该报告" in unknown.text
    assert (await client.get("/verify")).status_code == 200
    assert (await client.get("/reports")).status_code == 200
