"""The measure catalogue: the file holds every measure of DESIGN.md, migrate loads it
idempotently, the loader rejects unknown words, and a new measure is data, not code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph_seed.reference_data import MEASURES_FILE
from graphql_engine.export import SDL_FILE
from hub.measure_loader import CatalogueError, catalogue_lines, load_catalogue
from hub.rules.measures import Scenario
from hub.store import Store
from tests.conftest import GQL

ALL = """
query ($scenario: Scenario, $kind: SubjectKind) {
  measures(scenario: $scenario, subjectKind: $kind) {
    code name category effect legalBasis edition scenarios allScenarios
    reaches lists grades sources subjectKinds requiresPublicServant
  }
}
"""

# DESIGN.md's measure table: (seed wording fragment, scenarios, effect, reaches, sources, kinds).
DESIGN_TABLE: list[tuple[str, set[str], str, set[str], set[str], set[str]]] = [
    ("适当增加审核要件", {"ADMINISTRATIVE_LICENSE"}, "CAUTION", {"SUBJECT"}, set(), set()),
    ("限制新增项目审批、核准", {"PROJECT_APPROVAL"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    ("参股金融机构", {"FINANCIAL_INSTITUTION_SETUP"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    ("互联网信息服务", {"INTERNET_INFORMATION_SERVICE"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    ("财政性资金", {"FISCAL_FUNDS"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    ("公共资源交易", {"PUBLIC_RESOURCE_TRADING"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    ("特许经营", {"CONCESSION"}, "RESTRICT", {"SUBJECT"}, set(), set()),
    # ACTUAL_CONTROLLER in the next two: "A declared actual controller propagates like a legal
    # representative" (DESIGN.md, Propagation; the seed's 二(十二) names 实际控制人).
    (
        "市场和行业禁入",
        {"MARKET_ENTRY"},
        "RESTRICT",
        {
            "SUBJECT",
            "LEGAL_REPRESENTATIVE",
            "PRINCIPAL",
            "ACTUAL_CONTROLLER",
            "LIABLE_PRACTITIONER",
            "LIABLE_PERSON",
        },
        set(),
        set(),
    ),
    (
        "荣誉称号",
        {"HONORS"},
        "RESTRICT",
        {
            "SUBJECT",
            "LEGAL_REPRESENTATIVE",
            "PRINCIPAL",
            "ACTUAL_CONTROLLER",
            "SENIOR_MANAGER",
            "LIABLE_DIRECTOR",
            "LIABLE_SHAREHOLDER",
        },
        set(),
        set(),
    ),
    (
        "政府性融资担保资格",
        {"GOVERNMENT_FINANCING_GUARANTEE"},
        "RESTRICT",
        {"SUBJECT"},
        set(),
        set(),
    ),
    (
        "政策性补贴补助",
        {"POLICY_SUBSIDY"},
        "RESTRICT",
        {"SUBJECT"},
        set(),
        {"PERSON", "COOPERATIVE"},
    ),
    (
        "优惠贴息信贷",
        {"PREFERENTIAL_LOAN"},
        "RESTRICT",
        {"SUBJECT"},
        set(),
        {"PERSON", "COOPERATIVE"},
    ),
    ("职务晋升", {"HONORS", "PROMOTION"}, "RESTRICT", {"SUBJECT"}, set(), {"PERSON"}),
    (
        "高消费",
        {"HIGH_CONSUMPTION"},
        "RESTRICT",
        {"SUBJECT", "LEGAL_REPRESENTATIVE", "PRINCIPAL", "ACTUAL_CONTROLLER", "LIABLE_PERSON"},
        {"COURT"},
        set(),
    ),
    ("提高贷款利率", {"FINANCIAL_SERVICES"}, "CAUTION", {"SUBJECT"}, set(), set()),
    (
        "不得担任公司的董事、监事、高级管理人员",
        {"MARKET_ENTRY"},
        "RESTRICT",
        {"SUBJECT"},
        {"COURT"},
        {"PERSON"},
    ),
]


async def catalogue(gql: GQL, **variables: Any) -> list[dict[str, Any]]:
    data = await gql.ok(ALL, variables)
    measures: list[dict[str, Any]] = data["measures"]
    return measures


def test_scenario_enum_is_the_fixed_contract() -> None:
    assert [s.value for s in Scenario] == [
        "ADMINISTRATIVE_LICENSE",
        "PROJECT_APPROVAL",
        "FINANCIAL_INSTITUTION_SETUP",
        "INTERNET_INFORMATION_SERVICE",
        "FISCAL_FUNDS",
        "PUBLIC_RESOURCE_TRADING",
        "CONCESSION",
        "MARKET_ENTRY",
        "HONORS",
        "GOVERNMENT_FINANCING_GUARANTEE",
        "POLICY_SUBSIDY",
        "PREFERENTIAL_LOAN",
        "PROMOTION",
        "HIGH_CONSUMPTION",
        "FINANCIAL_SERVICES",
    ]
    assert "enum Scenario {" in SDL_FILE.read_text(encoding="utf-8")


def write_catalogue(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "measures.toml"
    path.write_text(MEASURES_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'scenarios = ["CASINO_LICENSE"]',
            "measure X-1: scenarios: unknown scenario(s) CASINO_LICENSE",
        ),
        ('scenarios = ["HONORS"]\nreaches = ["COUSIN"]', "measure X-1: reaches.0: Input should be"),
        (
            'scenarios = ["HONORS"]\nsubjectKinds = ["ALIEN"]',
            "measure X-1: subjectKinds: unknown subject kind(s) ALIEN",
        ),
        ('scenarios = ["HONORS"]\nlists = []', "measure X-1: (record): give lists"),
    ],
)
def test_loader_rejects_unknown_words_naming_entry_and_field(
    tmp_path: Path, entry: str, message: str
) -> None:
    extra = f"""
[[measure]]
code = "X-1"
name = "测试措施"
category = "ADMINISTRATIVE"
effect = "RESTRICT"
legalBasis = "测试"
{"" if "lists" in entry else 'lists = ["BLACK"]'}
{entry}
"""
    with pytest.raises(CatalogueError) as raised:
        catalogue_lines(write_catalogue(tmp_path, extra))
    assert message in str(raised.value)


def test_duplicate_codes_are_rejected(tmp_path: Path) -> None:
    extra = '\n[[measure]]\ncode = "ADM-CONCESSION"\nname = "重复"\ncategory = "MARKET"\neffect = "CAUTION"\nlists = ["BLACK"]\nscenarios = "*"\nlegalBasis = "x"\n'
    with pytest.raises(CatalogueError, match="ADM-CONCESSION appear twice"):
        catalogue_lines(write_catalogue(tmp_path, extra))


@pytest.mark.neo4j
async def test_catalogue_holds_every_measure_of_the_design_table(gql: GQL) -> None:
    measures = await catalogue(gql)
    for fragment, scenarios, effect, reaches, sources, kinds in DESIGN_TABLE:
        found = [m for m in measures if fragment in m["name"]]
        assert len(found) == 1, fragment
        m = found[0]
        assert set(m["scenarios"]) == scenarios and not m["allScenarios"], fragment
        assert m["effect"] == effect and m["lists"] == ["BLACK"], fragment
        assert set(m["reaches"]) == reaches, fragment
        assert set(m["sources"]) == sources, fragment
        assert set(m["subjectKinds"]) == kinds, fragment
        assert m["legalBasis"] and m["edition"].startswith("2020.1"), fragment
    servant = next(m for m in measures if "职务晋升" in m["name"])
    assert servant["requiresPublicServant"]


@pytest.mark.neo4j
async def test_watch_red_and_grades_cover_every_scenario(gql: GQL) -> None:
    for scenario in Scenario:
        measures = await catalogue(gql, scenario=scenario.value)
        triggers = {
            (tuple(m["lists"]), tuple(m["grades"]), m["effect"])
            for m in measures
            if m["allScenarios"]
        }
        assert triggers == {
            (("WATCH",), (), "CAUTION"),
            (("RED",), (), "INCENTIVE"),
            ((), ("A",), "INCENTIVE"),
            ((), ("D",), "CAUTION"),
            (("BLACK",), (), "CAUTION"),  # the two check-time reaches (REF-*)
        }, scenario


@pytest.mark.neo4j
async def test_measures_filter_by_scenario_and_subject_kind(gql: GQL) -> None:
    subsidy = {m["code"] for m in await catalogue(gql, scenario="POLICY_SUBSIDY")}
    assert "ADM-POLICY-SUBSIDY" in subsidy
    for_firms = {
        m["code"] for m in await catalogue(gql, scenario="POLICY_SUBSIDY", kind="ENTERPRISE")
    }
    assert "ADM-POLICY-SUBSIDY" not in for_firms
    coop = {m["code"] for m in await catalogue(gql, scenario="POLICY_SUBSIDY", kind="COOPERATIVE")}
    assert "ADM-POLICY-SUBSIDY" in coop
    honors = {m["code"] for m in await catalogue(gql, scenario="HONORS")}
    assert {"ADM-HONORS", "ADM-PUBLIC-SERVANT", "WATCH-PRUDENT-REVIEW"} <= honors
    assert "ADM-CONCESSION" not in honors


@pytest.mark.neo4j
async def test_reloading_is_idempotent_and_a_new_measure_is_data(
    graph: Store, gql: GQL, tmp_path: Path
) -> None:
    again = await load_catalogue(graph)
    assert again.accepted == len(catalogue_lines()) and again.unchanged == again.accepted
    extra = """
[[measure]]
code = "ADM-BIDDING-REVIEW"
name = "依法限制参加政府采购活动"
category = "ADMINISTRATIVE"
effect = "RESTRICT"
lists = ["BLACK"]
reaches = ["SUBJECT", "LEGAL_REPRESENTATIVE"]
scenarios = ["PUBLIC_RESOURCE_TRADING"]
legalBasis = "《政府采购法》第二十二条"
edition = "2026.1"
"""
    report = await load_catalogue(graph, write_catalogue(tmp_path, extra))
    assert report.created == 1 and report.unchanged == report.accepted - 1
    found = {m["code"]: m for m in await catalogue(gql, scenario="PUBLIC_RESOURCE_TRADING")}
    assert found["ADM-BIDDING-REVIEW"]["edition"] == "2026.1"
    assert found["ADM-BIDDING-REVIEW"]["reaches"] == ["SUBJECT", "LEGAL_REPRESENTATIVE"]


EDITION_CHECK = """query ($s: SubjectRef!, $sc: Scenario!, $asOf: Date) {
  checkBeforeApproval(subject: $s, scenario: $sc, asOf: $asOf) {
    decision receiptId hits { measure { code effect edition } } } }"""


@pytest.mark.neo4j
async def test_a_new_edition_changes_and_retires_measures_from_its_date(
    graph: Store, gql: GQL, tmp_path: Path
) -> None:
    """Issue 18: edition 2026.1 (from 2026-01-01) turns ADM-CONCESSION into a CAUTION and drops
    ADM-FISCAL-FUNDS. Checks before that date apply the 2020 edition, from it the new one; the
    dropped measure stays in the graph, retired; each hit and receipt names its edition."""
    from hub.auth import Actor, Role
    from tests import factories as f
    from tests.conftest import load

    text = MEASURES_FILE.read_text(encoding="utf-8")
    old_edition = 'edition = "2020.1 隆政办发〔2020〕6号"'
    assert old_edition in text
    text = text.replace(old_edition, 'edition = "2026.1 测试版"\neditionDate = 2026-01-01')
    fiscal = text.index('code = "ADM-FISCAL-FUNDS"')
    start, end = text.rindex("[[measure]]", 0, fiscal), text.index("[[measure]]", fiscal)
    text = text[:start] + text[end:]
    concession = text.index('code = "ADM-CONCESSION"')
    text = text[:concession] + text[concession:].replace(
        'effect = "RESTRICT"', 'effect = "CAUTION"', 1
    )
    path = tmp_path / "measures.toml"
    path.write_text(text, encoding="utf-8")
    await load_catalogue(graph, path)
    graph.reference_cache.clear()

    firm = f.uscc()
    report = await load(
        graph,
        [
            f.enterprise(firm, "隆林版次测试公司"),
            f.listing("ECO-ED", {"uscc": firm}, start="2024-03-01"),
        ],
    )
    assert report.rejected == 0, report.errors
    approval = Actor(Role.APPROVAL, "key-approval-ed", "AMR")

    async def check(scenario: str, as_of: str) -> Any:
        variables = {"s": {"uscc": firm}, "sc": scenario, "asOf": as_of}
        data = await gql.ok(EDITION_CHECK, variables, actor=approval)
        return data["checkBeforeApproval"]

    before = await check("CONCESSION", "2025-12-31")
    assert before["decision"] == "RESTRICTED"
    assert before["hits"] == [
        {
            "measure": {
                "code": "ADM-CONCESSION",
                "effect": "RESTRICT",
                "edition": "2020.1 隆政办发〔2020〕6号",
            }
        }
    ]
    after = await check("CONCESSION", "2026-01-01")
    assert after["decision"] == "CAUTION"
    assert after["hits"] == [
        {"measure": {"code": "ADM-CONCESSION", "effect": "CAUTION", "edition": "2026.1 测试版"}}
    ]
    assert (await check("FISCAL_FUNDS", "2025-12-31"))["decision"] == "RESTRICTED"
    assert (await check("FISCAL_FUNDS", "2026-01-01"))["decision"] == "CLEAR"
    receipt = await gql.ok(
        "query($id: String!) { receipt(id: $id) { editions hits } }",
        {"id": after["receiptId"]},
        actor=approval,
    )
    assert receipt["receipt"]["editions"] == ["2026.1 测试版"]
    listed = await gql.ok(
        "{ measures(scenario: FISCAL_FUNDS) { code retiredOn retiredIn editionDate } }"
    )
    [fiscal_measure] = [m for m in listed["measures"] if m["code"] == "ADM-FISCAL-FUNDS"]
    assert fiscal_measure == {
        "code": "ADM-FISCAL-FUNDS",
        "retiredOn": "2026-01-01",
        "retiredIn": "2026.1 测试版",
        "editionDate": None,
    }
    # loading the same edition again changes nothing and retires nothing more
    again = await load_catalogue(graph, path)
    assert again.unchanged == again.accepted


@pytest.mark.neo4j
async def test_dropping_measures_needs_the_editions_date(graph: Store, tmp_path: Path) -> None:
    text = MEASURES_FILE.read_text(encoding="utf-8")
    fiscal = text.index('code = "ADM-FISCAL-FUNDS"')
    start, end = text.rindex("[[measure]]", 0, fiscal), text.index("[[measure]]", fiscal)
    path = tmp_path / "measures.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CatalogueError, match="ADM-FISCAL-FUNDS are no longer in the file"):
        await load_catalogue(graph, path)
