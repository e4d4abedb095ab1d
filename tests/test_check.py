"""checkBeforeApproval and checkBatch against real Neo4j: a decision table over story graphs."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, TEST_ADMIN, load

pytestmark = [pytest.mark.neo4j, pytest.mark.routed]  # also via neo4j:// (conftest.py)

APPROVAL = Actor(Role.APPROVAL, "key-approval-1", "AMR")
OTHER_APPROVAL = Actor(Role.APPROVAL, "key-approval-2", "HOUSING")
ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")

CHECK = """query($s: SubjectRef!, $sc: Scenario!, $asOf: Date) {
  checkBeforeApproval(subject: $s, scenario: $sc, asOf: $asOf) {
    found decision aggravated receiptId asOf scenario
    subject { kind uscc idNumber name }
    hits { reach reason measure { code name effect legalBasis }
           listing { id list domain status department }
           evaluation { grade }
           via { holderKind holderKey holderName targetKey relationship role share from to } }
    suspendedHits { reach reason measure { code effect } listing { id status } }
    incentives { reach measure { code effect } }
  } }"""


async def check(
    gql: GQL,
    subject: dict[str, str],
    scenario: str,
    as_of: str | None = "2025-06-01",
    actor: Actor = APPROVAL,
) -> Any:
    data = await gql.ok(CHECK, {"s": subject, "sc": scenario, "asOf": as_of}, actor=actor)
    return data["checkBeforeApproval"]


def codes(result: Any, group: str = "hits") -> set[str]:
    return {h["measure"]["code"] for h in result[group]}


async def story(graph: Store, *records: Any) -> None:
    report = await load(graph, list(records))
    assert report.rejected == 0, report.errors


# --- the listed subject itself ---------------------------------------------------------------


async def test_own_black_listing_restricts_or_cautions_by_scenario(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    await story(
        graph,
        f.enterprise(firm, "隆林排污有限公司"),
        f.listing("ECO-1", {"uscc": firm}, start="2024-03-01"),
    )
    project = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL")
    assert project["decision"] == "RESTRICTED"
    assert codes(project) == {"ADM-PROJECT-APPROVAL"}
    hit = project["hits"][0]
    assert hit["reach"] == "OWN"
    assert hit["via"] == []
    assert hit["listing"] == {
        "id": "ECO-1",
        "list": "BLACK",
        "domain": "ENVIRONMENT",
        "status": "ACTIVE",
        "department": "ECOENV",
    }
    assert hit["measure"]["legalBasis"]
    assert "生态环境" in hit["reason"]
    assert "限制新增项目审批" in hit["reason"]
    licence = await check(gql, {"uscc": firm}, "ADMINISTRATIVE_LICENSE")
    assert licence["decision"] == "CAUTION"
    promotion = await check(gql, {"uscc": firm}, "PROMOTION")  # public servants only
    assert promotion["decision"] == "CLEAR"
    assert promotion["hits"] == []
    before = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL", "2024-02-29")
    assert before["decision"] == "CLEAR"


async def test_subsidy_measures_reach_only_persons_and_cooperatives(gql: GQL, graph: Store) -> None:
    coop, firm = f.uscc("9", "3"), f.uscc()
    await story(
        graph,
        f.enterprise(coop, "隆林茶叶专业合作社"),
        f.enterprise(firm),
        f.listing("ECO-C", {"uscc": coop}),
        f.listing("ECO-F", {"uscc": firm}),
    )
    assert (await check(gql, {"uscc": coop}, "POLICY_SUBSIDY"))["decision"] == "RESTRICTED"
    assert (await check(gql, {"uscc": firm}, "POLICY_SUBSIDY"))["decision"] == "CLEAR"


async def test_public_servant_measure(gql: GQL, graph: Store) -> None:
    clerk, farmer = f.id_number("1980-02-02"), f.id_number("1981-03-03")
    await story(
        graph,
        f.person(clerk, "公务员", publicServant=True),
        f.person(farmer, "农户"),
        f.court_default("COURT-PS", {"idNumber": clerk}, ground=1, start="2025-01-01"),
        f.court_default("COURT-FA", {"idNumber": farmer}, ground=1, start="2025-01-01"),
    )
    assert codes(await check(gql, {"idNumber": clerk}, "PROMOTION")) == {"ADM-PUBLIC-SERVANT"}
    assert (await check(gql, {"idNumber": farmer}, "PROMOTION"))["decision"] == "CLEAR"
    consumption = await check(gql, {"idNumber": farmer}, "HIGH_CONSUMPTION")
    assert codes(consumption) == {"MKT-HIGH-CONSUMPTION"}
    officer = await check(gql, {"idNumber": farmer}, "MARKET_ENTRY")
    assert codes(officer) == {"IND-COMPANY-OFFICER-BAN", "IND-MARKET-ENTRY-BAN"}  # 公司法 178


async def test_public_servant_measures_read_the_employment_held_on_as_of(
    gql: GQL, graph: Store
) -> None:
    """Issue 18: WORKS_FOR {from, to, publicServant} decides 公职人员 measures on asOf; the
    person's current flag decides only when no employment is recorded."""
    former, serving, flagged = (f.id_number(f"198{i}-04-04") for i in range(3))
    await story(
        graph,
        f.person(former, "已离职公务员", publicServant=True),
        f.person(serving, "在职公务员"),
        f.person(flagged, "仅有标记的公务员", publicServant=True),
        f.enterprise(firm := f.uscc(), "隆林私营公司"),
        {
            "kind": "employment",
            "idNumber": former,
            "department": "ECOENV",
            "publicServant": True,
            "from": "2010-01-01",
            "to": "2024-12-31",
        },
        {"kind": "employment", "idNumber": former, "uscc": firm, "from": "2025-01-01"},
        {
            "kind": "employment",
            "idNumber": serving,
            "department": "AMR",
            "publicServant": True,
            "from": "2024-06-01",
        },
        *(
            f.court_default(f"COURT-E{i}", {"idNumber": who}, ground=1, start="2024-01-01")
            for i, who in enumerate((former, serving, flagged))
        ),
    )
    # a public servant whose employment ended before asOf is not restricted (flag or not)
    assert (await check(gql, {"idNumber": former}, "PROMOTION"))["decision"] == "CLEAR"
    earlier = await check(gql, {"idNumber": former}, "PROMOTION", "2024-12-31")
    assert codes(earlier) == {"ADM-PUBLIC-SERVANT"}
    # a public servant employed on asOf is, without the flag; before the employment he is not
    assert codes(await check(gql, {"idNumber": serving}, "PROMOTION")) == {"ADM-PUBLIC-SERVANT"}
    before = await check(gql, {"idNumber": serving}, "PROMOTION", "2024-05-31")
    assert before["decision"] == "CLEAR"
    # no employment recorded: the flag keeps its meaning (data from before employments)
    assert codes(await check(gql, {"idNumber": flagged}, "PROMOTION")) == {"ADM-PUBLIC-SERVANT"}


# --- reached through roles (derived entries) ------------------------------------------------


async def test_roles_reach_the_people_the_rules_name(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    rep, manager, director, liable_holder, holder = (f.id_number() for _ in range(5))
    await story(
        graph,
        f.enterprise(firm, "隆林建材有限公司"),
        *[
            f.person(p, n)
            for p, n in (
                (rep, "法人"),
                (manager, "高管"),
                (director, "董事"),
                (liable_holder, "责任股东"),
                (holder, "普通股东"),
            )
        ],
        f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        f.role(manager, firm, "SENIOR_MANAGER"),
        f.role(director, firm, "DIRECTOR"),
        f.share({"idNumber": liable_holder}, firm, 0.3),
        f.share({"idNumber": holder}, firm, 0.3),
        f.listing("ECO-R", {"uscc": firm}, start="2024-03-01", liablePersons=[liable_holder]),
    )
    rep_entry = await check(gql, {"idNumber": rep}, "MARKET_ENTRY")
    assert rep_entry["decision"] == "RESTRICTED"
    via = rep_entry["hits"][0]["via"]
    assert via[0]["role"] == "LEGAL_REPRESENTATIVE"
    assert via[0]["targetKey"] == firm
    assert (via[0]["from"], via[0]["to"]) == ("2010-01-01", None)  # the role's own dates
    assert via[0]["holderKey"] != rep  # masked for APPROVAL
    assert "法定代表人" in rep_entry["hits"][0]["reason"]
    assert (await check(gql, {"idNumber": rep}, "PROJECT_APPROVAL"))["decision"] == "CLEAR"
    assert codes(await check(gql, {"idNumber": manager}, "HONORS")) == {"ADM-HONORS"}
    assert (await check(gql, {"idNumber": manager}, "MARKET_ENTRY"))["decision"] == "CLEAR"
    assert (await check(gql, {"idNumber": director}, "HONORS"))["decision"] == "CLEAR"
    liable = await check(gql, {"idNumber": liable_holder}, "HONORS")
    assert liable["decision"] == "RESTRICTED"
    assert (await check(gql, {"idNumber": holder}, "HONORS"))["decision"] == "CLEAR"


async def test_court_listing_reaches_declared_controller_for_high_consumption(
    gql: GQL, graph: Store
) -> None:
    court_firm, eco_firm = f.uscc(), f.uscc()
    boss = f.id_number("1965-05-05")
    await story(
        graph,
        f.enterprise(court_firm, "隆林欠债有限公司"),
        f.enterprise(eco_firm, "隆林排污二公司"),
        f.person(boss, "实控人"),
        f.role(boss, court_firm, "ACTUAL_CONTROLLER"),
        f.role(boss, eco_firm, "ACTUAL_CONTROLLER"),
        f.court_default("COURT-HC", {"uscc": court_firm}, ground=1, start="2024-05-01"),
        f.listing("ECO-HC", {"uscc": eco_firm}, start="2024-05-01"),
    )
    result = await check(gql, {"idNumber": boss}, "HIGH_CONSUMPTION")
    assert result["decision"] == "RESTRICTED"
    hits = [(h["measure"]["code"], h["listing"]["id"]) for h in result["hits"]]
    assert hits == [("MKT-HIGH-CONSUMPTION", "COURT-HC")]  # not the administrative listing


async def test_role_left_before_or_joined_after_the_listing_is_not_reached(
    gql: GQL, graph: Store
) -> None:
    firm = f.uscc()
    left, joined = f.id_number(), f.id_number()
    await story(
        graph,
        f.enterprise(firm),
        f.person(left, "离任"),
        f.person(joined, "新任"),
        f.role(left, firm, "LEGAL_REPRESENTATIVE", "2015-01-01", "2024-02-29"),
        f.role(joined, firm, "LEGAL_REPRESENTATIVE", "2024-03-02"),
        f.listing("ECO-T", {"uscc": firm}, start="2024-03-01"),
    )
    assert (await check(gql, {"idNumber": left}, "MARKET_ENTRY"))["decision"] == "CLEAR"
    assert (await check(gql, {"idNumber": joined}, "MARKET_ENTRY"))["decision"] == "CLEAR"


# --- upwards and through ownership --------------------------------------------------------------


async def test_court_listed_officer_gives_the_enterprise_a_caution(gql: GQL, graph: Store) -> None:
    firm, other = f.uscc(), f.uscc()
    debtor = f.id_number("1970-07-07")
    await story(
        graph,
        f.enterprise(firm, "隆林清白有限公司"),
        f.enterprise(other, "隆林旧任有限公司"),
        f.person(debtor, "老赖"),
        f.role(debtor, firm, "DIRECTOR", "2020-01-01"),
        f.role(debtor, other, "DIRECTOR", "2018-01-01", "2023-12-31"),
        f.court_default("COURT-UP", {"idNumber": debtor}, ground=1, start="2025-01-01"),
    )
    result = await check(gql, {"uscc": firm}, "FISCAL_FUNDS")
    assert result["decision"] == "CAUTION"
    hit = result["hits"][0]
    assert hit["reach"] == "RELATED"
    assert hit["measure"]["code"] == "REF-RELATED-COURT-LISTED"
    assert hit["via"][0]["role"] == "DIRECTOR"
    assert hit["via"][0]["holderName"] == "老赖"
    assert "中办发〔2016〕64号" in hit["reason"]
    assert (await check(gql, {"uscc": other}, "FISCAL_FUNDS"))["decision"] == "CLEAR"
    earlier = await check(gql, {"uscc": firm}, "FISCAL_FUNDS", "2024-12-31")
    assert earlier["decision"] == "CLEAR"
    # An ADMIN sees the officer's ID number on the path: that read is audited.
    shown = await check(gql, {"uscc": firm}, "FISCAL_FUNDS", actor=TEST_ADMIN)
    assert shown["hits"][0]["via"][0]["holderKey"] == debtor
    audit = await gql.ok(
        "query($s: String) { auditLog(subject: $s) { nodes { fields subjects } } }",
        {"s": debtor},
    )
    assert audit["auditLog"]["nodes"] == [{"fields": ["checkBeforeApproval"], "subjects": [debtor]}]


async def test_suspected_controller_through_shareholdings(gql: GQL, graph: Store) -> None:
    top, mid, listed = f.uscc(), f.uscc(), f.uscc()
    owner, minority = f.id_number("1960-01-01"), f.id_number("1961-01-01")
    await story(
        graph,
        f.enterprise(top, "隆林控股"),
        f.enterprise(mid, "隆林中间"),
        f.enterprise(listed, "隆林失信子公司"),
        f.person(owner, "大股东"),
        f.person(minority, "小股东"),
        f.share({"idNumber": owner}, top, 0.8),
        f.share({"idNumber": minority}, top, 0.2),
        f.share({"uscc": top}, mid, 0.9),
        f.share({"uscc": mid}, listed, 0.75),
        f.listing("ECO-S", {"uscc": listed}, start="2024-01-01"),
    )
    result = await check(gql, {"idNumber": owner}, "CONCESSION")
    assert result["decision"] == "CAUTION"
    hit = result["hits"][0]
    assert hit["reach"] == "SUSPECTED"
    assert [step["share"] for step in hit["via"]] == [0.8, 0.9, 0.75]
    assert "54.00%" in hit["reason"]
    assert (await check(gql, {"idNumber": minority}, "CONCESSION"))["decision"] == "CLEAR"
    parent = await check(gql, {"uscc": top}, "CONCESSION")
    assert parent["hits"][0]["reach"] == "SUSPECTED"  # 67.5 % held through mid


async def test_suspected_controller_hit_explains_every_path(gql: GQL, graph: Store) -> None:
    """Issue 18: 30 % held directly and 50 % × 50 % through another company is 55 %; the hit
    shows both paths, each path's product and the sum, in the reason and in via."""
    owner, middle, listed = f.id_number("1964-04-04"), f.uscc(), f.uscc()
    await story(
        graph,
        f.person(owner, "两路股东"),
        f.enterprise(middle, "隆林中转公司"),
        f.enterprise(listed, "隆林上市失信公司"),
        f.share({"idNumber": owner}, listed, 0.3),
        f.share({"idNumber": owner}, middle, 0.5),
        f.share({"uscc": middle}, listed, 0.5),
        f.listing("ECO-2P", {"uscc": listed}, start="2024-01-01"),
    )
    query = CHECK.replace(
        "via { holderKind",
        "ownership { share pathCount paths { product steps { targetKey share } } } "
        "via { path holderKind",
    )
    data = await gql.ok(
        query, {"s": {"idNumber": owner}, "sc": "CONCESSION", "asOf": "2025-06-01"}, actor=APPROVAL
    )
    [hit] = data["checkBeforeApproval"]["hits"]
    assert hit["reach"] == "SUSPECTED"
    text = hit["reason"]
    assert f"经2条持股路径合计持有隆林上市失信公司（{listed}）55.00%的股权" in text
    assert "直接持有30.00%" in text
    assert f"经隆林中转公司（{middle}）间接持有50.00%×50.00%=25.00%" in text
    assert "合计55.00%" in text
    assert [(s["path"], s["share"], s["targetKey"]) for s in hit["via"]] == [
        (1, 0.3, listed),
        (2, 0.5, middle),
        (2, 0.5, listed),
    ]
    ownership = hit["ownership"]
    assert ownership["pathCount"] == 2
    assert round(ownership["share"], 6) == 0.55
    assert [round(p["product"], 6) for p in ownership["paths"]] == [0.3, 0.25]
    assert [len(p["steps"]) for p in ownership["paths"]] == [1, 2]


async def test_suspected_controller_share_over_more_paths_than_the_cap(
    gql: GQL, graph: Store
) -> None:
    """65,536 shareholding paths (four firms in each of eight layers, each firm holding a
    quarter of every firm of the next layer) carry the owner's 100 % of the listed firm, more
    paths than the check reads (hub/store/checks.py MAX_OWNERSHIP_PATHS). The paths read add up
    to less than half: the answer must say it was cut and still caution, not give a CLEAR."""
    from hub.store.checks import MAX_OWNERSHIP_PATHS

    owner = f.id_number("1960-06-06")
    layers = [[f.uscc() for _ in range(4)] for _ in range(8)]
    listed = f.uscc()
    records: list[Any] = [f.person(owner, "层层控股人"), f.enterprise(listed, "隆林失信末端")]
    records += [
        f.enterprise(c, f"隆林层{i}公司{j}")
        for i, layer in enumerate(layers)
        for j, c in enumerate(layer)
    ]
    records += [f.share({"idNumber": owner}, c, 1.0) for c in layers[0]]
    for upper, lower in itertools.pairwise(layers):
        records += [f.share({"uscc": h}, c, 0.25) for h in upper for c in lower]
    records += [f.share({"uscc": h}, listed, 0.25) for h in layers[-1]]
    records.append(f.listing("ECO-DEEP", {"uscc": listed}, start="2024-01-01"))
    await story(graph, *records)
    assert MAX_OWNERSHIP_PATHS < 4**8
    query = CHECK.replace("found decision", "found decision truncated")
    data = await gql.ok(
        query, {"s": {"idNumber": owner}, "sc": "CONCESSION", "asOf": "2025-06-01"}, actor=APPROVAL
    )
    result = data["checkBeforeApproval"]
    assert result["truncated"] is True
    assert result["decision"] == "CAUTION"
    [hit] = result["hits"]
    assert hit["reach"] == "SUSPECTED"
    assert hit["listing"]["id"] == "ECO-DEEP"
    # the largest paths are shown (nine steps each), the rest summed in the reason
    from hub.store.checks import MAX_PATHS_SHOWN

    assert len(hit["via"]) == 9 * MAX_PATHS_SHOWN
    assert f"其余{MAX_OWNERSHIP_PATHS - MAX_PATHS_SHOWN}条路径合计" in hit["reason"]
    assert "不能排除" in hit["reason"]
    assert "仅计算了部分持股路径" in hit["reason"]
    receipt = await gql.ok(
        "query($id: String!) { receipt(id: $id) { truncated decision } }",
        {"id": result["receiptId"]},
        actor=APPROVAL,
    )
    assert receipt["receipt"] == {"truncated": True, "decision": "CAUTION"}
    # Before the listing takes effect the same paths lead to no listing in force: none is
    # read, so nothing is cut and the answer is CLEAR.
    before = await gql.ok(
        query, {"s": {"idNumber": owner}, "sc": "CONCESSION", "asOf": "2023-06-01"}, actor=APPROVAL
    )
    assert before["checkBeforeApproval"]["truncated"] is False
    assert before["checkBeforeApproval"]["decision"] == "CLEAR"


async def test_suspected_controller_needs_more_than_half_and_says_direct(
    gql: GQL, graph: Store
) -> None:
    """Exactly 50 % is not control, however the float sum rounds; a one-hop holding is
    direct (直接持有), not 股权穿透."""
    half, direct, listed = f.id_number("1962-02-02"), f.id_number("1963-03-03"), f.uscc()
    a, b = f.uscc(), f.uscc()
    await story(
        graph,
        f.person(half, "五成股东"),
        f.person(direct, "直接大股东"),
        f.enterprise(listed, "隆林失信标的"),
        f.enterprise(a, "隆林甲"),
        f.enterprise(b, "隆林乙"),
        # half: 0.01 * 0.16 + 0.56 * 0.89 = 0.5 (0.5000000000000001 in floats)
        f.share({"idNumber": half}, a, 0.01),
        f.share({"idNumber": half}, b, 0.56),
        f.share({"uscc": a}, listed, 0.16),
        f.share({"uscc": b}, listed, 0.89),
        f.share({"idNumber": direct}, a, 0.99),
        f.listing("ECO-HALF", {"uscc": listed}, start="2024-01-01"),
        f.listing("ECO-A", {"uscc": a}, start="2024-01-01"),
    )
    assert (await check(gql, {"idNumber": half}, "CONCESSION"))["decision"] == "CLEAR"
    held = await check(gql, {"idNumber": direct}, "CONCESSION")
    [hit] = [h for h in held["hits"] if h["listing"]["id"] == "ECO-A"]
    assert "直接持有" in hit["reason"]
    assert "间接" not in hit["reason"]


async def test_court_listed_declared_controller_enterprise_cautions_the_unit(
    gql: GQL, graph: Store
) -> None:
    """DESIGN: the reach runs upwards to a declared actual controller that is court-listed;
    a controller can be an enterprise (holder.uscc)."""
    unit, parent = f.uscc(), f.uscc()
    await story(
        graph,
        f.enterprise(unit, "隆林子公司"),
        f.enterprise(parent, "隆林失信母公司"),
        {
            "kind": "role",
            "holder": {"uscc": parent},
            "uscc": unit,
            "role": "ACTUAL_CONTROLLER",
            "from": "2015-01-01",
        },
        f.court_default("COURT-PARENT", {"uscc": parent}, ground=1, start="2025-01-01"),
    )
    result = await check(gql, {"uscc": unit}, "FISCAL_FUNDS")
    assert result["decision"] == "CAUTION"
    [hit] = result["hits"]
    assert hit["reach"] == "RELATED"
    assert hit["listing"]["id"] == "COURT-PARENT"
    assert hit["via"][0]["holderKind"] == "Enterprise"
    assert hit["via"][0]["holderKey"] == parent
    assert "实际控制人隆林失信母公司" in hit["reason"]


async def test_one_officer_in_two_roles_is_one_related_hit(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    debtor = f.id_number("1971-01-01")
    await story(
        graph,
        f.enterprise(firm, "隆林兼职有限公司"),
        f.person(debtor, "兼任者"),
        f.role(debtor, firm, "DIRECTOR", "2020-01-01"),
        f.role(debtor, firm, "LEGAL_REPRESENTATIVE", "2020-01-01"),
        f.court_default("COURT-TWO", {"idNumber": debtor}, ground=1, start="2025-01-01"),
    )
    result = await check(gql, {"uscc": firm}, "FISCAL_FUNDS")
    [hit] = result["hits"]
    assert [step["role"] for step in hit["via"]] == ["LEGAL_REPRESENTATIVE", "DIRECTOR"]
    assert "法定代表人、董事兼任者" in hit["reason"]


# --- lists, grades, incentives ---------------------------------------------------------------


async def test_watch_grades_and_red(gql: GQL, graph: Store) -> None:
    watched, graded, honoured = f.uscc(), f.uscc(), f.uscc()
    await story(
        graph,
        f.enterprise(watched),
        f.enterprise(graded),
        f.enterprise(honoured),
        f.listing("ECO-W", {"uscc": watched}, kind="WATCH"),
        {
            "kind": "evaluation",
            "subject": {"uscc": graded},
            "grade": "D",
            "evaluatedOn": "2025-01-01",
            "source": "NDRC",
        },
        f.listing("ECO-RED", {"uscc": honoured}, kind="RED"),
        {
            "kind": "evaluation",
            "subject": {"uscc": honoured},
            "grade": "A",
            "evaluatedOn": "2025-01-01",
            "source": "NDRC",
        },
        f.listing("ECO-BAD", {"uscc": honoured}, start="2025-03-01"),
    )
    for scenario in ("HONORS", "PUBLIC_RESOURCE_TRADING"):
        watch = await check(gql, {"uscc": watched}, scenario)
        assert watch["decision"] == "CAUTION"
        assert codes(watch) == {"WATCH-PRUDENT-REVIEW"}
    grade = await check(gql, {"uscc": graded}, "FISCAL_FUNDS")
    assert grade["decision"] == "CAUTION"
    assert grade["hits"][0]["evaluation"] == {"grade": "D"}
    assert grade["hits"][0]["reach"] == "EVALUATION"
    red = await check(gql, {"uscc": honoured}, "FISCAL_FUNDS")
    assert red["decision"] == "RESTRICTED"  # incentives never hide a hit
    assert codes(red, "incentives") == {"RED-JOINT-INCENTIVE", "GRADE-A-FINANCING"}
    before = await check(gql, {"uscc": honoured}, "FISCAL_FUNDS", "2025-02-01")
    assert before["decision"] == "CLEAR"
    assert len(before["incentives"]) == 2


async def test_migrate_relinks_evaluations_of_an_older_store(gql: GQL, graph: Store) -> None:
    """Evaluations were linked by ABOUT, as actions are, before they got their own EVALUATES
    (graph_seed/model.toml): `migrate` relinks them, keeping every property."""
    from hub.migrate import migrate

    graded = f.uscc()
    await story(graph, f.enterprise(graded))
    async with graph.driver.session(database=graph.database) as session:
        await session.run(
            """MATCH (e:Enterprise {uscc: $u})
            CREATE (:Evaluation {id: 'EV-OLD', grade: 'D', evaluatedOn: date('2025-01-01'),
                                 source: 'NDRC', batch: 'old'})
                   -[:ABOUT {batch: 'old', sourceDepartment: 'NDRC', recordedAt: datetime()}]->(e)""",
            u=graded,
        )
    assert (await check(gql, {"uscc": graded}, "FISCAL_FUNDS"))["decision"] == "CLEAR"
    for again in (False, True):  # idempotent, even if an old hub linked it again meanwhile
        if again:
            async with graph.driver.session(database=graph.database) as session:
                await session.run(
                    """MATCH (ev:Evaluation {id: 'EV-OLD'}), (e:Enterprise {uscc: $u})
                    CREATE (ev)-[:ABOUT {batch: 'old-again'}]->(e)""",
                    u=graded,
                )
        await migrate(graph)
        async with graph.driver.session(database=graph.database) as session:
            result = await session.run(
                """MATCH (ev:Evaluation {id: 'EV-OLD'})-[r]->(e:Enterprise)
                RETURN type(r) AS type, r.batch AS batch, r.sourceDepartment AS department""",
            )
            links = [record.data() async for record in result]
        assert links == [{"type": "EVALUATES", "batch": "old", "department": "NDRC"}]
    graded_check = await check(gql, {"uscc": graded}, "FISCAL_FUNDS")
    assert graded_check["decision"] == "CAUTION"
    assert graded_check["hits"][0]["evaluation"] == {"grade": "D"}


# --- time: suspension, expiry, aggravation, reproducibility --------------------------------


async def test_objection_suspends_then_rejection_restores(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    await story(graph, f.enterprise(firm), f.listing("ECO-O", {"uscc": firm}, start="2024-03-01"))
    file = 'mutation { fileObjection(listingId: "ECO-O", reason: "数据有误", on: "2024-05-01") { id } }'
    objection = (await gql.ok(file, actor=ECO))["fileObjection"]["id"]
    during = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL", "2024-05-15")
    assert during["decision"] == "CLEAR"
    assert codes(during, "suspendedHits") == {"ADM-PROJECT-APPROVAL"}
    assert during["suspendedHits"][0]["listing"]["status"] == "SUSPENDED"
    assert "暂不执行" in during["suspendedHits"][0]["reason"]
    resolve = """mutation($id: String!) { resolveObjection(id: $id, upheld: false, reason: "核实无误",
        on: "2024-06-01") { status } }"""
    await gql.ok(resolve, {"id": objection}, actor=ECO)
    after = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL", "2024-06-02")
    assert after["decision"] == "RESTRICTED"
    again = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL", "2024-05-15")
    assert again["decision"] == "CLEAR"  # the same asOf gives the same answer


async def test_court_term_expiry(gql: GQL, graph: Store) -> None:
    debtor = f.id_number("1975-01-01")
    await story(
        graph,
        f.person(debtor, "期满"),
        f.court_default("COURT-EXP", {"idNumber": debtor}, ground=3, start="2022-01-10"),
    )
    assert (await check(gql, {"idNumber": debtor}, "HIGH_CONSUMPTION", "2024-01-09"))[
        "decision"
    ] == "RESTRICTED"
    assert (await check(gql, {"idNumber": debtor}, "HIGH_CONSUMPTION", "2024-01-10"))[
        "decision"
    ] == "CLEAR"


async def test_two_domains_aggravate(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    await story(
        graph,
        f.enterprise(firm),
        f.listing("ECO-A", {"uscc": firm}, start="2024-01-01"),
        f.listing("TAX-A", {"uscc": firm}, domain="TAX", department="TAX", start="2024-06-01"),
    )
    assert (await check(gql, {"uscc": firm}, "HONORS", "2024-03-01"))["aggravated"] is False
    assert (await check(gql, {"uscc": firm}, "HONORS", "2024-07-01"))["aggravated"] is True


async def test_reproducible_for_a_past_date(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    await story(graph, f.enterprise(firm), f.listing("ECO-P", {"uscc": firm}, start="2024-03-01"))
    first = await check(gql, {"uscc": firm}, "CONCESSION", "2024-04-01")
    await story(
        graph,
        f.listing("TAX-P", {"uscc": firm}, domain="TAX", department="TAX", start="2024-09-01"),
    )
    second = await check(gql, {"uscc": firm}, "CONCESSION", "2024-04-01")
    assert [h["listing"]["id"] for h in first["hits"]] == [
        h["listing"]["id"] for h in second["hits"]
    ]
    assert first["decision"] == second["decision"]
    assert first["receiptId"] != second["receiptId"]


# --- unknown, invalid, roles, batch, receipts ----------------------------------------------------


async def test_unknown_is_clear_and_invalid_is_an_error(gql: GQL, graph: Store) -> None:
    unknown = await check(gql, {"uscc": f.uscc()}, "HONORS")
    assert unknown["found"] is False
    assert unknown["decision"] == "CLEAR"
    assert unknown["receiptId"]
    bad_firm = f.uscc()[:17] + "I"
    result = await gql(CHECK, {"s": {"uscc": bad_firm}, "sc": "HONORS"}, actor=APPROVAL)
    assert result.errors[0].extensions["code"] == "INVALID_USCC"
    bad_person = await gql(
        CHECK, {"s": {"idNumber": "451031198002301234"}, "sc": "HONORS"}, actor=APPROVAL
    )
    assert bad_person.errors[0].extensions["code"] == "INVALID_ID_NUMBER"
    both = await gql(
        CHECK, {"s": {"uscc": f.uscc(), "idNumber": f.id_number()}, "sc": "HONORS"}, actor=APPROVAL
    )
    assert both.errors[0].extensions["code"] == "BAD_USER_INPUT"
    public = await gql(CHECK, {"s": {"uscc": f.uscc()}, "sc": "HONORS"}, actor=Actor(Role.PUBLIC))
    assert public.errors[0].extensions["code"] == "FORBIDDEN"


BATCH = """query($r: [CheckRequest!]!, $asOf: Date) { checkBatch(requests: $r, asOf: $asOf) {
  found decision receiptId subject { uscc idNumber } error { code field message } } }"""


async def test_batch_keeps_order_and_isolates_bad_items(gql: GQL, graph: Store) -> None:
    listed, clean = f.uscc(), f.uscc()
    person = f.id_number()
    await story(
        graph,
        f.enterprise(listed),
        f.enterprise(clean),
        f.person(person, "无记录"),
        f.listing("ECO-B", {"uscc": listed}, start="2024-03-01"),
    )
    requests = [
        {"subject": {"uscc": clean}, "scenario": "FISCAL_FUNDS"},
        {"subject": {"uscc": listed[:17] + "O"}, "scenario": "FISCAL_FUNDS"},
        {"subject": {"uscc": listed}, "scenario": "FISCAL_FUNDS"},
        {"subject": {"idNumber": person}, "scenario": "HONORS"},
        {"subject": {"uscc": f.uscc()}, "scenario": "HONORS"},
    ]
    answers = (await gql.ok(BATCH, {"r": requests, "asOf": "2025-01-01"}, actor=APPROVAL))[
        "checkBatch"
    ]
    assert [a["decision"] for a in answers] == ["CLEAR", None, "RESTRICTED", "CLEAR", "CLEAR"]
    assert answers[1]["error"]["code"] == "INVALID_USCC"
    assert answers[1]["receiptId"] is None
    assert [a["found"] for a in answers] == [True, False, True, True, False]
    assert answers[2]["subject"]["uscc"] == listed
    too_many = [{"subject": {"uscc": clean}, "scenario": "HONORS"}] * 1001
    refused = await gql(BATCH, {"r": too_many}, actor=APPROVAL)
    assert refused.errors[0].extensions["code"] in {"BAD_USER_INPUT", "LIMIT_EXCEEDED"}


async def test_one_subject_whose_stored_data_cannot_be_checked_fails_alone(
    gql: GQL, graph: Store
) -> None:
    """A listing stored without its effectiveFrom (written past the importer): the batch
    answers every other item, the broken one gets INTERNAL with no receipt, and a single
    check of it is a GraphQL error."""
    broken, fine = f.uscc(), f.uscc()
    await story(
        graph, f.enterprise(broken), f.enterprise(fine), f.listing("ECO-OK", {"uscc": fine})
    )
    async with graph.driver.session(database=graph.database) as session:
        await session.run(
            """MATCH (e:Enterprise {uscc: $u})
            CREATE (:Listing {id: 'ECO-BROKEN', list: 'BLACK', domain: 'ENVIRONMENT',
                              derived: false})-[:ON]->(e)""",
            u=broken,
        )
    requests = [
        {"subject": {"uscc": fine}, "scenario": "FISCAL_FUNDS"},
        {"subject": {"uscc": broken}, "scenario": "FISCAL_FUNDS"},
        {"subject": {"uscc": fine}, "scenario": "HONORS"},
    ]
    data = await gql.ok(BATCH, {"r": requests, "asOf": "2025-06-01"}, actor=APPROVAL)
    answers = data["checkBatch"]
    assert [a["decision"] for a in answers] == ["RESTRICTED", None, "RESTRICTED"]
    assert answers[1]["error"]["code"] == "INTERNAL"
    assert answers[1]["receiptId"] is None
    assert all(answers[i]["receiptId"] for i in (0, 2))
    single = await gql(
        CHECK, {"s": {"uscc": broken}, "sc": "FISCAL_FUNDS", "asOf": "2025-06-01"}, actor=APPROVAL
    )
    assert single.errors is not None
    assert single.errors[0].extensions["code"] == "INTERNAL"


RECEIPT = """query($id: String!) { receipt(id: $id) { id keyId department subjectKey scenario
  asOf found decision hits outcome } }"""


async def test_receipts_are_visible_to_the_asker_and_admin_only(gql: GQL, graph: Store) -> None:
    firm = f.uscc()
    await story(graph, f.enterprise(firm), f.listing("ECO-RC", {"uscc": firm}, start="2024-03-01"))
    answer = await check(gql, {"uscc": firm}, "PROJECT_APPROVAL", "2025-01-01")
    receipt_id = answer["receiptId"]
    own = (await gql.ok(RECEIPT, {"id": receipt_id}, actor=APPROVAL))["receipt"]
    assert own["decision"] == "RESTRICTED"
    assert own["hits"] == ["ADM-PROJECT-APPROVAL|RESTRICT|ECO-RC|OWN"]
    assert own["asOf"] == "2025-01-01"
    assert own["keyId"] == "key-approval-1"
    same_department = Actor(Role.DEPARTMENT, "key-amr-officer", "AMR")
    assert (await gql.ok(RECEIPT, {"id": receipt_id}, actor=same_department))["receipt"]
    assert (await gql.ok(RECEIPT, {"id": receipt_id}))["receipt"]  # ADMIN
    other = await gql(RECEIPT, {"id": receipt_id}, actor=OTHER_APPROVAL)
    assert other.errors[0].extensions["code"] == "FORBIDDEN"
    investigator = await gql(
        RECEIPT, {"id": receipt_id}, actor=Actor(Role.INVESTIGATOR, "key-inv", None)
    )
    assert investigator.errors[0].extensions["code"] == "FORBIDDEN"
    outcome = """mutation($id: String!) { recordApprovalOutcome(receiptId: $id, outcome: REJECTED,
        note: "申请人为失信主体，不予许可") { outcome outcomeNote } }"""
    refused = await gql(outcome, {"id": receipt_id}, actor=OTHER_APPROVAL)
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    recorded = (await gql.ok(outcome, {"id": receipt_id}, actor=APPROVAL))["recordApprovalOutcome"]
    assert recorded == {"outcome": "REJECTED", "outcomeNote": "申请人为失信主体，不予许可"}
    missing = await gql(RECEIPT, {"id": "rcpt-nothing"}, actor=APPROVAL)
    assert missing.errors[0].extensions["code"] == "NOT_FOUND"


async def test_a_receipt_read_with_the_full_id_number_is_audited(gql: GQL, graph: Store) -> None:
    person = f.id_number("1975-05-05")
    await story(graph, f.person(person, "受查个人"))
    answer = await check(gql, {"idNumber": person}, "HONORS")
    masked = (await gql.ok(RECEIPT, {"id": answer["receiptId"]}, actor=APPROVAL))["receipt"]
    assert masked["subjectKey"] != person
    audit_q = "query($s: String) { auditLog(subject: $s) { nodes { fields subjects } } }"
    assert (await gql.ok(audit_q, {"s": person}))["auditLog"]["nodes"] == []
    shown = (await gql.ok(RECEIPT, {"id": answer["receiptId"]}))["receipt"]  # ADMIN
    assert shown["subjectKey"] == person
    nodes = (await gql.ok(audit_q, {"s": person}))["auditLog"]["nodes"]
    assert nodes == [{"fields": ["receipt"], "subjects": [person]}]


async def test_a_check_is_a_fixed_number_of_queries(
    gql: GQL, graph: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neo4j import AsyncManagedTransaction, AsyncSession

    firms = [f.uscc() for _ in range(40)]
    await story(
        graph,
        *[f.enterprise(c) for c in firms],
        *[f.listing(f"ECO-N{i}", {"uscc": c}) for i, c in enumerate(firms[:20])],
    )
    await check(gql, {"uscc": firms[0]}, "HONORS")  # warms the catalogue cache
    queries: list[str] = []

    def counted(kind: Any) -> Any:  # statements in transactions and auto-commit ones alike
        original = kind.run

        async def counting(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            queries.append(str(query)[:40])
            return await original(self, query, *args, **kwargs)

        return counting

    for kind in (AsyncManagedTransaction, AsyncSession):
        monkeypatch.setattr(kind, "run", counted(kind))
    await check(gql, {"uscc": firms[1]}, "HONORS")
    single = len(queries)
    queries.clear()
    requests = [{"subject": {"uscc": c}, "scenario": "HONORS"} for c in firms]
    await gql.ok(BATCH, {"r": requests}, actor=APPROVAL)
    assert single == 2  # gather + receipts
    assert len(queries) == single  # independent of the batch size


async def test_concurrent_single_checks_share_transactions_and_keep_their_own_receipts(
    gql: GQL, graph: Store
) -> None:
    """Single checks asked together are grouped (resolvers/grouping.py): fewer transactions
    than checks, yet each answer and receipt is the asker's own — key, department, request
    id, asOf, subject and decision — and each receipt is committed before its answer."""
    from resolvers.checks import _coalescer
    from resolvers.context import make_context

    listed, clean = f.uscc(), f.uscc()
    await story(
        graph,
        f.enterprise(listed),
        f.enterprise(clean),
        f.listing("ECO-GC", {"uscc": listed}, start="2024-03-01"),
    )
    coalescer = _coalescer(graph)
    units_before = coalescer.units
    askers = [APPROVAL, OTHER_APPROVAL]
    plan = [
        (askers[i % 2], listed if i % 3 else clean, "2024-01-01" if i % 4 == 0 else "2025-01-01")
        for i in range(12)
    ]

    async def ask(i: int, actor: Actor, firm: str, day: str) -> Any:
        context = make_context(graph, gql.settings, actor, f"req-{i}")
        variables = {"s": {"uscc": firm}, "sc": "PROJECT_APPROVAL", "asOf": day}
        result = await gql.schema.execute(CHECK, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        answer = result.data["checkBeforeApproval"]
        # Read at once, before any other asker's turn: the receipt is already there.
        assert await graph.read(_request_ids, [answer["receiptId"]]) == [f"req-{i}"]
        return answer

    answers = await asyncio.gather(*(ask(i, *p) for i, p in enumerate(plan)))
    assert coalescer.units - units_before < len(plan)  # grouped
    for (actor, firm, day), answer in zip(plan, answers, strict=True):
        expected = "RESTRICTED" if firm == listed and day == "2025-01-01" else "CLEAR"
        assert answer["decision"] == expected, (firm, day, answer)
        receipt = (await gql.ok(RECEIPT, {"id": answer["receiptId"]}, actor=actor))["receipt"]
        assert receipt["keyId"] == actor.key_id
        assert receipt["department"] == actor.department
        assert receipt["subjectKey"] == firm
        assert receipt["asOf"] == day
        assert receipt["decision"] == expected
    request_ids = await graph.read(_request_ids, [a["receiptId"] for a in answers])
    assert request_ids == [f"req-{i}" for i in range(len(plan))]


async def _request_ids(tx: Any, ids: list[str]) -> list[str]:
    result = await tx.run(
        "UNWIND range(0, size($ids) - 1) AS i MATCH (x:Receipt {id: $ids[i]}) "
        "RETURN x.requestId AS r ORDER BY i",
        ids=ids,
    )
    return [record["r"] async for record in result]


async def test_a_check_unit_run_again_keeps_its_receipts_and_their_ids(graph: Store) -> None:
    """Store.statements re-runs a unit after a retryable failure; if the receipts had already
    committed (the connection lost before their answer), the retry must not write a second
    set, and the answer keeps the ids that were stored. If the facts changed in between, the
    receipts say what the retry answered: a receipt never differs from its answer."""
    import datetime as dt

    from neo4j import exceptions

    from hub.rules.measures import Scenario
    from resolvers.checks import Request, _check_statements, _validate, catalogue

    firms = [f.uscc() for _ in range(3)]
    await story(graph, *[f.enterprise(c) for c in firms], f.listing("ECO-R1", {"uscc": firms[0]}))
    items = [
        _validate(i, Request(c, None, Scenario.HONORS), dt.date(2025, 6, 1))
        for i, c in enumerate(firms)
    ]
    for item in items:
        item.asked_by, item.request_id = APPROVAL, "req-retry"
    measures = await catalogue(graph)
    runs = 0

    async def lost_after_commit(tx: Any) -> None:
        nonlocal runs
        runs += 1
        await _check_statements(tx, items, measures)
        if runs == 1:
            assert items[1].outcome is not None
            assert items[1].outcome.decision == "CLEAR"
            await story(graph, f.listing("ECO-R2", {"uscc": firms[1]}))  # listed meanwhile
            raise exceptions.ServiceUnavailable("connection lost after the receipts committed")

    await graph.statements(lost_after_commit)
    assert runs == 2
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (r:Receipt {requestId: 'req-retry'}) RETURN collect(r.id) AS ids"
        )
        record = await result.single()
    assert record is not None
    assert sorted(record["ids"]) == sorted(str(item.receipt_id) for item in items)
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (r:Receipt {requestId: 'req-retry'}) RETURN r.id AS id, r.decision AS d"
        )
        stored = {row["id"]: row["d"] async for row in result}
    assert {str(i.receipt_id): str(i.outcome.decision) for i in items if i.outcome} == stored
    assert stored[str(items[1].receipt_id)] == "RESTRICTED"
