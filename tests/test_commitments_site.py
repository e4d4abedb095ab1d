"""Commitments and voluntary information where the public reads them: the profile's 信用承诺
tab and the credit report's 信用承诺 chapter (and 其他), at the PUBLIC level only."""

from __future__ import annotations

import httpx
import pytest

from hub.auth import PUBLIC, Actor, Role
from report.pdf import report_html
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_commitments import FULFIL, RECORD, REGISTER, VERIFY, broken_on, commitment_input

pytestmark = pytest.mark.neo4j

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
ISSUE = """
mutation ($uscc: String!) {
  issueCreditReport(subject: {uscc: $uscc}, purpose: SELF_CHECK) {
    verificationCode report { content }
  }
}
"""


async def a_firm_with_commitments(gql: GQL) -> tuple[str, dict[str, str]]:
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm, "隆林守诺建材有限公司")])
    codes = {}
    for level, content in (
        ("PUBLIC", "公开承诺：按期补交环评批复"),
        ("GOVERNMENT", "政务共享承诺：按期缴纳保证金"),
        ("NONE", "不公开承诺：按期整改"),
    ):
        given = commitment_input(firm, disclosure=level, content=content)
        codes[level] = (await gql.ok(RECORD, {"input": given}, ECO))["recordCommitment"]["code"]
    await gql.ok(FULFIL, {"code": codes["PUBLIC"], "input": broken_on("2025-03-10")}, ECO)
    for content, accepted in (("捐建村道一条（已核实）", True), ("获评诚信单位（待核实）", None)):
        given = {
            "subject": {"uscc": firm},
            "category": "PUBLIC_WELFARE",
            "content": content,
            "truthfulnessCommitment": "本单位承诺所填报信息真实",
            "registeredOn": "2025-05-01",
        }
        info = (await gql.ok(REGISTER, {"input": given}, ECO))["registerVoluntaryInformation"]
        if accepted:
            await gql.ok(VERIFY, {"id": info["id"], "accepted": True}, ECO)
    return firm, codes


async def test_the_profile_shows_public_commitments_and_verified_information_only(
    client: httpx.AsyncClient, gql: GQL
) -> None:
    firm, codes = await a_firm_with_commitments(gql)
    page = await client.get(f"/subjects/{firm}")
    assert page.status_code == 200
    tab = page.text[page.text.index('id="xycn"') :]
    assert "信用承诺（1）" in page.text
    assert codes["PUBLIC"] in tab and "公开承诺：按期补交环评批复" in tab
    assert "未履行（违诺）" in tab and "记入失信记录" in tab and "容缺受理型" in tab
    assert "行政许可（隆环审〔2025〕3号）" in tab
    assert codes["GOVERNMENT"] not in page.text and "政务共享承诺" not in page.text
    assert codes["NONE"] not in page.text and "不公开承诺" not in page.text
    assert "捐建村道一条（已核实）" in tab
    assert "待核实" not in page.text
    assert "黄核查" not in page.text  # who confirmed: not for PUBLIC


async def test_the_report_chapter_holds_the_public_commitments(gql: GQL) -> None:
    firm, codes = await a_firm_with_commitments(gql)
    data = await gql.ok(ISSUE, {"uscc": firm}, actor=PUBLIC)
    issued = data["issueCreditReport"]
    content = issued["report"]["content"]
    assert [c["code"] for c in content["subject"]["commitments"]] == [codes["PUBLIC"]]
    html = report_html(content, issued["verificationCode"])
    chapter = html[html.index("六、信用承诺") : html.index("七、信用评价")]
    assert codes["PUBLIC"] in chapter and "未履行（违诺）（2025-03-10）" in chapter
    assert codes["GOVERNMENT"] not in html and codes["NONE"] not in html
    advice = html[html.index("十、信用状况提升建议") : html.index("十一、报告说明")]
    assert "存在未履行的信用承诺" in advice
    other = html[html.index("九、其他") : html.index("十、信用状况提升建议")]
    assert "捐建村道一条（已核实）" in other and "待核实" not in html
