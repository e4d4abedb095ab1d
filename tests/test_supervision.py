"""Supervision against real Neo4j: publication compliance across National Day, execution
feedback with its event (docs/feeds.md)."""

from __future__ import annotations

import pytest

from hub.auth import Actor, Role
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = [pytest.mark.neo4j]

AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
TAX = Actor(Role.DEPARTMENT, "key-tax", "TAX")
ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")

COMPLIANCE = """
query ($department: String!, $from: Date!, $to: Date!) {
  publicationCompliance(department: $department, from: $from, to: $to) {
    department decided onTime notYetDue
    findings { actionId decisionDate deadline deadlineApproximate publishedOn finding daysLate
               workingDaysLate subjectKey }
  }
}
"""


async def test_late_and_missing_publications_across_national_day(gql: GQL) -> None:
    firm, person = f.uscc(), f.id_number("1980-02-02")
    friday = "2024-09-27"  # due on Saturday 12 October (a working day after the holiday)
    await load(
        gql.store,
        [
            f.enterprise(firm),
            f.person(person),
            f.action("A-ON-TIME", {"uscc": firm}, decided=friday, publishedOn="2024-10-12"),
            f.action("A-LATE", {"uscc": firm}, decided=friday, publishedOn="2024-10-14"),
            f.action("A-MISSING", {"idNumber": person}, decided=friday),
            f.action("A-OUTSIDE", {"uscc": firm}, decided="2024-11-20"),
            f.action("A-TAX", {"uscc": firm}, department="TAX", decided=friday),
        ],
    )
    variables = {"department": "AMR", "from": "2024-09-01", "to": "2024-10-31"}
    found = (await gql.ok(COMPLIANCE, variables, actor=AMR))["publicationCompliance"]
    assert (found["decided"], found["onTime"], found["notYetDue"]) == (3, 1, 0)
    late, missing = found["findings"]
    assert (late["actionId"], late["finding"], late["deadline"]) == (
        "A-LATE",
        "LATE",
        "2024-10-12",
    )
    assert (late["daysLate"], late["workingDaysLate"], late["deadlineApproximate"]) == (2, 1, False)
    assert (missing["actionId"], missing["finding"], missing["publishedOn"]) == (
        "A-MISSING",
        "MISSING",
        None,
    )
    assert (
        missing["daysLate"] > 700 and missing["subjectKey"] == person[:4] + "*" * 10 + person[-4:]
    )

    refused = await gql(COMPLIANCE, variables, actor=TAX)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    backwards = await gql(COMPLIANCE, variables | {"to": "2024-08-01"}, actor=AMR)
    assert backwards.errors and backwards.errors[0].extensions["field"] == "to"


EXECUTE = """
mutation ($input: ExecutionInput!) {
  recordExecution(input: $input) { id measure subjectKey reference executedOn result listingId
                                   domain department }
}
"""


async def test_an_execution_is_recorded_with_its_event_and_a_bad_one_leaves_nothing(
    gql: GQL,
) -> None:
    firm, other = f.uscc(), f.uscc()
    await load(
        gql.store,
        [f.enterprise(firm), f.enterprise(other), f.listing("ECO-X", {"uscc": firm})],
    )
    given = {
        "measure": "ADM-PROJECT-APPROVAL",
        "subject": {"uscc": firm},
        "reference": "隆发改审〔2025〕7号",
        "executedOn": "2025-03-03",
        "result": "不予核准",
        "listingId": "ECO-X",
    }
    stored = (await gql.ok(EXECUTE, {"input": given}, actor=ECO))["recordExecution"]
    assert stored["domain"] == "ENVIRONMENT" and stored["department"] == "ECOENV"
    events = await gql.ok(
        "{ events(filter: {types: [EXECUTION_RECORDED]}) { events { seq subjectKey measure result domain } } }",
    )
    assert events["events"]["events"][0] | {"seq": 0} == {
        "seq": 0,
        "subjectKey": firm,
        "measure": "ADM-PROJECT-APPROVAL",
        "result": "不予核准",
        "domain": "ENVIRONMENT",
    }
    for bad, field in (
        (given | {"measure": "NO-SUCH"}, "measure"),
        (given | {"subject": {"uscc": other}}, "listingId"),
        (given | {"executedOn": "2099-01-01"}, "executedOn"),
        (given | {"reference": " "}, "reference"),
    ):
        result = await gql(EXECUTE, {"input": bad}, actor=ECO)
        assert result.errors, bad
        assert result.errors[0].extensions["field"] == field
    again = await gql.ok("{ events(filter: {types: [EXECUTION_RECORDED]}) { events { seq } } }")
    assert len(again["events"]["events"]) == 1


STATISTICS = """
query ($from: Date!, $to: Date!, $by: [StatisticsDimension!]) {
  punishmentStatistics(from: $from, to: $to, groupBy: $by) {
    kind decision department measure domain month count
  }
}
"""
APPROVAL = Actor(Role.APPROVAL, "key-approval", "HOUSING")
ONE_DEPARTMENT = """
query ($from: Date!, $to: Date!, $department: String) {
  punishmentStatistics(from: $from, to: $to, groupBy: [DEPARTMENT], department: $department) {
    kind department count
  }
}
"""


async def test_statistics_equal_the_counts_of_what_the_test_recorded(gql: GQL) -> None:
    firms = [f.uscc() for _ in range(4)]
    reps = [f.id_number(f"197{n}-01-01") for n in range(4)]
    listings = [  # (id, firm, department, domain, effectiveFrom)
        ("ECO-S1", 0, "ECOENV", "ENVIRONMENT", "2026-02-10"),
        ("ECO-S2", 1, "ECOENV", "ENVIRONMENT", "2026-03-05"),
        ("TAX-S1", 2, "TAX", "TAX", "2026-03-20"),
        ("ECO-OLD", 3, "ECOENV", "ENVIRONMENT", "2024-05-01"),  # outside the period
    ]
    lines: list[dict[str, object]] = []
    for firm, rep in zip(firms, reps, strict=True):
        lines += [f.enterprise(firm), f.person(rep), f.role(rep, firm, "LEGAL_REPRESENTATIVE")]
    lines += [
        f.listing(ident, {"uscc": firms[n]}, domain=domain, department=dept, start=start)
        for ident, n, dept, domain, start in listings
    ]
    await load(gql.store, lines)
    execution = {
        "measure": "ADM-PROJECT-APPROVAL",
        "subject": {"uscc": firms[0]},
        "reference": "案-1",
        "executedOn": "2026-04-02",
        "result": "不予核准",
        "listingId": "ECO-S1",
    }
    await gql.ok(EXECUTE, {"input": execution}, actor=ECO)
    check = """query ($s: SubjectRef!) {
      checkBeforeApproval(subject: $s, scenario: PROJECT_APPROVAL) { decision } }"""
    decisions = [
        (await gql.ok(check, {"s": {"uscc": firm}}, actor=APPROVAL))["checkBeforeApproval"][
            "decision"
        ]
        for firm in firms
    ]
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    totals = (await gql.ok(STATISTICS, period | {"by": []}, actor=ECO))["punishmentStatistics"]
    expected_checks = {d: decisions.count(d) for d in set(decisions)}
    assert {(r["kind"], r["decision"]): r["count"] for r in totals} == {
        ("LISTING", None): 3,
        ("DERIVED_ENTRY", None): 3,  # each listed firm's legal representative
        ("EXECUTION", None): 1,
        **{("CHECK", d): n for d, n in expected_checks.items()},
    }
    by = ["DEPARTMENT", "DOMAIN", "MONTH"]
    rows = (await gql.ok(STATISTICS, period | {"by": by}, actor=ECO))["punishmentStatistics"]
    listed = {
        (r["department"], r["domain"], r["month"]): r["count"]
        for r in rows
        if r["kind"] == "LISTING"
    }
    expected: dict[tuple[str, str, str], int] = {}
    for _, _, dept, domain, start in listings:
        if start.startswith("2026"):
            key = (dept, domain, start[:7])
            expected[key] = expected.get(key, 0) + 1
    assert listed == expected
    measures = (await gql.ok(STATISTICS, period | {"by": ["MEASURE"]}, actor=ECO))[
        "punishmentStatistics"
    ]
    assert [(r["measure"], r["count"]) for r in measures if r["kind"] == "EXECUTION"] == [
        ("ADM-PROJECT-APPROVAL", 1)
    ]
    checks = [r for r in rows if r["kind"] == "CHECK"]
    assert {r["department"] for r in checks} == {"HOUSING"}
    refused = await gql(STATISTICS, period | {"by": []}, actor=APPROVAL)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    # One department's own figures (the workbench's statistics page of a DEPARTMENT key).
    own = (await gql.ok(ONE_DEPARTMENT, period | {"department": "ECOENV"}, actor=ECO))[
        "punishmentStatistics"
    ]
    assert {(r["kind"], r["department"]): r["count"] for r in own} == {
        ("LISTING", "ECOENV"): 2,
        ("DERIVED_ENTRY", "ECOENV"): 2,
        ("EXECUTION", "ECOENV"): 1,
    }
    housing = (await gql.ok(ONE_DEPARTMENT, period | {"department": "HOUSING"}, actor=ECO))[
        "punishmentStatistics"
    ]
    assert sum(r["count"] for r in housing) == len(firms)  # the checks its key asked
    assert {r["kind"] for r in housing} == {"CHECK"}
