"""Credit-risk early warning against real Neo4j (docs/feeds.md): a related party newly listed,
penalties accumulating within a year, a falling grade — each an EARLY_WARNING event written in
the transaction of its change, read only by the supervising departments, investigators and
ADMIN, never PUBLIC, and never a measure."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from hub.auth import PUBLIC, Actor, Role
from hub.errors import HubError
from hub.rules.warnings import window_start
from hub.settings import load_settings
from hub.store import Store
from hub.store.events import listing_event
from resolvers.context import make_context
from tests import factories as f
from tests.conftest import GQL, load

pytestmark = [pytest.mark.neo4j]

AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
TAX = Actor(Role.DEPARTMENT, "key-tax", "TAX")
APPROVAL = Actor(Role.APPROVAL, "key-approval", "AMR")
INVESTIGATOR = Actor(Role.INVESTIGATOR, "key-inv")

WARNINGS = """
query ($department: String, $after: Int!) {
  earlyWarnings(department: $department, after: $after, first: 50) {
    last hasMore
    warnings {
      seq on subjectKey subjectKind departments summary
      reasons {
        kind on listingId list domain listingDepartment truncated asOf
        listedParty { ... on Enterprise { uscc name } ... on Person { idNumber name } }
        paths { length steps { type role direction
          start { ... on Enterprise { uscc } ... on Person { idNumber } }
          end { ... on Enterprise { uscc } ... on Person { idNumber } } } }
        penalties threshold since actionIds newActionIds
        fromGrade toGrade evaluationId
      }
    }
  }
}
"""

EVENTS = """
query ($filter: EventFilter) {
  events(after: 0, first: 1000, filter: $filter) {
    events { seq type subjectKey reason public warning { departments reasons { kind } } }
  }
}
"""


async def warnings(gql: GQL, actor: Actor, department: str | None = None) -> list[dict[str, Any]]:
    data = await gql.ok(WARNINGS, {"department": department, "after": 0}, actor=actor)
    return list(data["earlyWarnings"]["warnings"])


async def events(gql: GQL, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
    data = await gql.ok(EVENTS, {"filter": filters or None}, actor=actor)
    return list(data["events"]["events"])


async def related_story(gql: GQL) -> dict[str, str]:
    """韦某 is the legal representative of 绿源 (licensed by AMR) and a director of 金鑫; 百色控股
    holds 30 % of 金鑫, which holds 30 % of 隆兴. Then ECOENV puts 金鑫 on the black list."""
    ids = {
        "firm": f.uscc(),
        "listed": f.uscc(),
        "parent": f.uscc(),
        "child": f.uscc(),
        "stranger": f.uscc(),
        "rep": f.id_number("1975-02-03"),
    }
    report = await load(
        gql.store,
        [
            f.enterprise(ids["firm"], "隆林绿源农业开发有限公司"),
            f.enterprise(ids["listed"], "隆林金鑫建材有限公司"),
            f.enterprise(ids["parent"], "百色控股集团有限公司"),
            f.enterprise(ids["child"], "隆林隆兴商贸有限公司"),
            f.enterprise(ids["stranger"], "隆林无关有限公司"),
            f.person(ids["rep"], "韦某"),
            f.role(ids["rep"], ids["firm"], "LEGAL_REPRESENTATIVE"),
            f.role(ids["rep"], ids["listed"], "DIRECTOR"),
            f.share({"uscc": ids["parent"]}, ids["listed"], 0.3),
            f.share({"uscc": ids["listed"]}, ids["child"], 0.3),
            f.action("AMR-LIC-1", {"uscc": ids["firm"]}),
            f.action("AMR-LIC-2", {"uscc": ids["stranger"]}),
        ],
    )
    assert report.rejected == 0, report
    return ids


async def list_black(gql: GQL, subject: dict[str, str], ident: str = "ECO-W1") -> None:
    report = await load(gql.store, [f.listing(ident, subject)], department="ECOENV")
    assert report.rejected == 0, report


async def test_a_related_party_newly_listed_warns_the_subjects_tied_to_it(gql: GQL) -> None:
    ids = await related_story(gql)
    assert await warnings(gql, INVESTIGATOR) == []  # the ties alone are no risk
    await list_black(gql, {"uscc": ids["listed"]})

    found = {w["subjectKey"]: w for w in await warnings(gql, INVESTIGATOR)}
    # Through a person holding a role at both, through holdings either way; not the stranger.
    assert set(found) == {ids["firm"], ids["parent"], ids["child"]}
    firm = found[ids["firm"]]
    assert firm["departments"] == ["AMR"] and firm["subjectKind"] == "Enterprise"
    [reason] = firm["reasons"]
    assert reason["kind"] == "RELATED_PARTY_LISTED"
    assert (reason["listingId"], reason["list"], reason["domain"]) == (
        "ECO-W1",
        "BLACK",
        "ENVIRONMENT",
    )
    assert reason["listingDepartment"] == "ECOENV" and reason["on"] == "2024-03-01"
    assert reason["listedParty"] == {"uscc": ids["listed"], "name": "隆林金鑫建材有限公司"}
    [path] = reason["paths"]
    assert path["length"] == 2
    assert [(s["type"], s["role"], s["direction"]) for s in path["steps"]] == [
        ("LEGAL_REPRESENTATIVE_OF", "LEGAL_REPRESENTATIVE", "AGAINST"),
        ("OFFICER_OF", "DIRECTOR", "ALONG"),
    ]
    assert path["steps"][0]["start"] == {"uscc": ids["firm"]}
    assert path["steps"][0]["end"] == {"idNumber": ids["rep"]}  # the investigator sees it
    assert path["steps"][1]["end"] == {"uscc": ids["listed"]}
    parent = found[ids["parent"]]["reasons"][0]["paths"][0]
    assert [(s["type"], s["direction"]) for s in parent["steps"]] == [("HOLDS_SHARES", "ALONG")]
    child = found[ids["child"]]["reasons"][0]["paths"][0]
    assert [(s["type"], s["direction"]) for s in child["steps"]] == [("HOLDS_SHARES", "AGAINST")]
    # Supervised by no department: only investigators and ADMIN read those two.
    assert found[ids["parent"]]["departments"] == [] == found[ids["child"]]["departments"]
    assert "related party" in firm["summary"] and ids["listed"] in firm["summary"]


async def test_a_listed_person_warns_the_enterprises_where_it_holds_a_role(gql: GQL) -> None:
    ids = await related_story(gql)
    await list_black(gql, {"idNumber": ids["rep"]}, "ECO-P1")
    found = {w["subjectKey"]: w for w in await warnings(gql, INVESTIGATOR)}
    assert set(found) == {ids["firm"], ids["listed"]}
    steps = found[ids["firm"]]["reasons"][0]["paths"][0]["steps"]
    assert [(s["type"], s["direction"]) for s in steps] == [("LEGAL_REPRESENTATIVE_OF", "AGAINST")]
    # A DEPARTMENT key sees its own supervised subject's warning, the person masked.
    [own] = await warnings(gql, AMR)
    assert own["subjectKey"] == ids["firm"]
    listed = own["reasons"][0]["listedParty"]["idNumber"]
    assert listed != ids["rep"] and listed[:4] == ids["rep"][:4] and "*" in listed
    end = own["reasons"][0]["paths"][0]["steps"][0]["end"]["idNumber"]
    assert end != ids["rep"] and ids["rep"] not in own["summary"]


async def test_who_reads_warnings_and_never_the_public(gql: GQL) -> None:
    ids = await related_story(gql)
    await list_black(gql, {"uscc": ids["listed"]})
    admin = [e for e in await events(gql, INVESTIGATOR) if e["type"] == "EARLY_WARNING"]
    assert len(admin) == 3 and all(not e["public"] for e in admin)
    # The supervising department: only its subject's warning, in events and in earlyWarnings.
    amr = await events(gql, AMR, types=["EARLY_WARNING"])
    assert [e["subjectKey"] for e in amr] == [ids["firm"]]
    assert amr[0]["warning"]["reasons"] == [{"kind": "RELATED_PARTY_LISTED"}]
    # Another department, an approval system and the public: none.
    assert await events(gql, TAX, types=["EARLY_WARNING"]) == []
    assert await warnings(gql, TAX) == []
    assert await events(gql, APPROVAL, types=["EARLY_WARNING"]) == []
    public = await events(gql, PUBLIC)
    assert public and all(e["type"] != "EARLY_WARNING" for e in public)
    assert await events(gql, PUBLIC, types=["EARLY_WARNING"]) == []
    refused = await gql(WARNINGS, {"department": None, "after": 0}, actor=PUBLIC)
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    refused = await gql(WARNINGS, {"department": None, "after": 0}, actor=APPROVAL)
    assert refused.errors[0].extensions["code"] == "FORBIDDEN"
    other = await gql(WARNINGS, {"department": "TAX", "after": 0}, actor=AMR)
    assert other.errors[0].extensions["code"] == "FORBIDDEN"
    # ADMIN names a department, or reads them all.
    assert [w["subjectKey"] for w in await warnings(gql, INVESTIGATOR, "AMR")] == [ids["firm"]]

    # The subscription: PUBLIC gets the public events (the listing), never a warning.
    context = make_context(gql.store, gql.settings, PUBLIC, "test-ws-public")
    stream: Any = await gql.schema.subscribe(
        "subscription { events(after: 0) { seq type } }", context_value=context
    )
    first = await asyncio.wait_for(stream.__anext__(), 10)
    assert first.data["events"]["type"] == "LISTED"
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(stream.__anext__(), 1.0)
    await stream.aclose()
    context = make_context(gql.store, gql.settings, PUBLIC, "test-ws-public-2")
    stream = await gql.schema.subscribe(
        "subscription { events(after: 0, filter: {types: [EARLY_WARNING]}) { seq type } }",
        context_value=context,
    )
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(stream.__anext__(), 1.0)
    await stream.aclose()


CHECK = """
query ($uscc: String!) {
  checkBeforeApproval(subject: {uscc: $uscc}, scenario: PUBLIC_RESOURCE_TRADING) {
    decision aggravated hits { measure { code } } suspendedHits { measure { code } }
    incentives { reason }
  }
}
"""


async def test_a_warning_is_never_a_measure(gql: GQL) -> None:
    ids = await related_story(gql)
    subjects = [ids["firm"], ids["parent"], ids["child"]]

    async def answers() -> list[Any]:
        out = []
        for uscc in subjects:
            found = await gql.ok(CHECK, {"uscc": uscc}, actor=APPROVAL)
            out.append(found["checkBeforeApproval"])
        return out

    before = await answers()
    await list_black(gql, {"uscc": ids["listed"]})
    assert {w["subjectKey"] for w in await warnings(gql, INVESTIGATOR)} == set(subjects)
    assert await answers() == before
    assert {a["decision"] for a in before} == {"CLEAR"}


def _days_ago(days: int) -> str:
    return (load_settings().today() - dt.timedelta(days=days)).isoformat()


async def test_penalties_accumulating_within_a_year_reach_the_threshold(gql: GQL) -> None:
    firm = f.uscc()
    penalty = f.action
    await load(
        gql.store,
        [
            f.enterprise(firm),
            penalty("AMR-P0", {"uscc": firm}, "PENALTY", decided=_days_ago(400)),  # too old
            penalty("AMR-P1", {"uscc": firm}, "PENALTY", decided=_days_ago(200)),
            penalty("AMR-L1", {"uscc": firm}, "LICENSE", decided=_days_ago(10)),
        ],
    )
    second = [penalty("TAX-P2", {"uscc": firm}, "PENALTY", department="TAX", decided=_days_ago(30))]
    assert (await load(gql.store, second, department="TAX")).rejected == 0
    assert await warnings(gql, INVESTIGATOR) == []  # two within the year: below 3
    third = [penalty("TAX-P3", {"uscc": firm}, "PENALTY", department="TAX", decided=_days_ago(5))]
    assert (await load(gql.store, third, department="TAX")).rejected == 0
    [warning] = await warnings(gql, INVESTIGATOR)
    assert warning["subjectKey"] == firm and warning["departments"] == ["AMR", "TAX"]
    [reason] = warning["reasons"]
    assert reason["kind"] == "PENALTIES_ACCUMULATED"
    assert (reason["penalties"], reason["threshold"]) == (3, 3)
    assert reason["actionIds"] == ["AMR-P1", "TAX-P2", "TAX-P3"]
    assert reason["newActionIds"] == ["TAX-P3"] and reason["on"] == _days_ago(5)
    assert reason["since"] == window_start(gql.settings.today()).isoformat()
    # Both supervising departments read it; a re-import changes nothing and warns no more.
    assert [w["seq"] for w in await warnings(gql, TAX)] == [warning["seq"]]
    assert (await load(gql.store, third, department="TAX")).rejected == 0
    assert len(await warnings(gql, INVESTIGATOR)) == 1
    # A fourth keeps the subject above the threshold: a warning again.
    fourth = [penalty("AMR-P4", {"uscc": firm}, "PENALTY", decided=_days_ago(1))]
    await load(gql.store, fourth)
    assert [w["reasons"][0]["penalties"] for w in await warnings(gql, AMR)] == [3, 4]


async def test_the_penalty_threshold_is_a_setting(gql: GQL) -> None:
    store = Store(gql.store.driver, gql.settings.model_copy(update={"warning_penalties": 1}))
    firm = f.uscc()
    await load(store, [f.enterprise(firm), f.action("AMR-P1", {"uscc": firm}, "PENALTY")])
    assert await warnings(gql, INVESTIGATOR) == []  # decided 2024-03-01: not within the year
    await load(store, [f.action("AMR-P2", {"uscc": firm}, "PENALTY", decided=_days_ago(3))])
    [warning] = await warnings(gql, INVESTIGATOR)
    assert warning["reasons"][0]["threshold"] == 1


def _evaluation(subject: str, grade: str, on: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "subject": {"uscc": subject},
        "grade": grade,
        "evaluatedOn": on,
        "source": "NDRC",
        **extra,
    }


async def test_a_falling_grade_warns_and_a_rising_or_older_one_does_not(gql: GQL) -> None:
    firm = f.uscc()
    await load(gql.store, [f.enterprise(firm), f.action("AMR-L", {"uscc": firm})])
    await load(gql.store, [_evaluation(firm, "B", "2024-01-01")], department="NDRC")
    assert await warnings(gql, INVESTIGATOR) == []  # a first grade is no fall
    await load(gql.store, [_evaluation(firm, "D", "2025-01-01")], department="NDRC")
    [fell] = await warnings(gql, AMR)
    [reason] = fell["reasons"]
    assert (reason["kind"], reason["fromGrade"], reason["toGrade"]) == ("GRADE_FELL", "B", "D")
    assert reason["on"] == "2025-01-01"
    # Better again: no warning; an older evaluation arriving late changes no current grade.
    await load(gql.store, [_evaluation(firm, "A", "2025-06-01")], department="NDRC")
    await load(gql.store, [_evaluation(firm, "D", "2023-01-01")], department="NDRC")
    assert len(await warnings(gql, INVESTIGATOR)) == 1
    # The evaluation in force corrected to a worse grade (same record, new content): a fall.
    await load(gql.store, [_evaluation(firm, "C", "2025-06-01")], department="NDRC")
    last = (await warnings(gql, INVESTIGATOR))[-1]["reasons"][0]
    assert (last["fromGrade"], last["toGrade"]) == ("A", "C")


async def test_a_warning_is_written_with_its_change_or_not_at_all(gql: GQL) -> None:
    """The warning is part of the change's transaction: a change that fails leaves neither."""
    ids = await related_story(gql)

    def listing(ident: str) -> Any:
        async def unit(tx: AsyncManagedTransaction, fail: bool) -> None:
            query = (
                "MATCH (s:Enterprise {uscc: $uscc}) "
                "CREATE (l:Listing {id: $id, list: 'BLACK', domain: 'ENVIRONMENT', "
                "department: 'ECOENV', effectiveFrom: date('2024-06-01'), derived: false, "
                "subjectKey: $uscc, subjectLabel: 'Enterprise'})-[:ON]->(s) "
                "WITH l " + listing_event("l", "'LISTED'", "null")
            )
            params = {
                "uscc": ids["listed"],
                "id": ident,
                "batch": ident,
                "now": dt.datetime.now(dt.UTC),
                "dept": "ECOENV",
            }
            await tx.run(query, params)
            if fail:
                raise HubError("a later step of the workflow failed")

        return unit

    with pytest.raises(HubError):
        await gql.store.write(listing("ECO-F1"), True)
    assert await warnings(gql, INVESTIGATOR) == []
    await gql.store.write(listing("ECO-F2"), False)
    assert {w["reasons"][0]["listingId"] for w in await warnings(gql, INVESTIGATOR)} == {"ECO-F2"}


async def test_the_related_party_lookup_is_capped(gql: GQL) -> None:
    store = Store(gql.store.driver, gql.settings.model_copy(update={"warning_related_cap": 2}))
    listed, boss = f.uscc(), f.id_number("1966-06-06")
    firms = [f.uscc() for _ in range(4)]
    lines: list[Any] = [f.enterprise(listed), f.person(boss), f.role(boss, listed, "PRINCIPAL")]
    for code in firms:
        lines += [f.enterprise(code), f.role(boss, code, "SENIOR_MANAGER")]
    await load(store, lines)
    await load(store, [f.listing("ECO-C1", {"uscc": listed})], department="ECOENV")
    found = await warnings(gql, INVESTIGATOR)
    assert len(found) == 2 and {w["subjectKey"] for w in found} < set(firms)
    assert all(w["reasons"][0]["truncated"] for w in found)
