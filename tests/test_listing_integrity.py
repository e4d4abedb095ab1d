"""Who may change a listing, and the collisions and races that could corrupt one: stories
against real Neo4j, through uploads and the GraphQL workflows."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import orjson
import pytest

from hub.auth import SYSTEM, Actor, Role
from hub.importer.runner import run_import
from hub.settings import Settings
from hub.store import Store, listing_changes
from hub.store import listings as lq
from tests import factories as f
from tests.conftest import GQL, TEST_ADMIN, load
from tests.test_import import count
from tests.test_listing_workflows import LIST, listing_input
from tests.test_listings_import import a_firm_with_people

pytestmark = pytest.mark.neo4j

BANK = Actor(Role.DEPARTMENT, "key-abc", "ABC")
REGULATOR = Actor(Role.DEPARTMENT, "key-nfra", "NFRA")
COURT = Actor(Role.DEPARTMENT, "key-court", "COURT")
ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")

LOAN_FACTS = """
MATCH (l:Listing {id: $id})-[:ON]->(s)
RETURN coalesce(s.uscc, s.idNumber) AS subject, l.principalOverdueSince AS overdue,
       l.department AS department, [(l)-[:ISSUED_BY]->(d) | d.code] AS issuedBy,
       [(d:Listing)-[:DERIVED_FROM]->(l) WHERE NOT d.retracted | d.id] AS derived
"""


async def rows(store: Store, query: Any, **params: Any) -> list[dict[str, Any]]:
    async with store.driver.session(database=store.database) as session:
        result = await session.run(query, params)
        return [r.data() for r in await result.fetch(1000)]


async def events(store: Store, listing_id: str) -> list[str]:
    found = await rows(
        store,
        "MATCH (:Listing {id: $id})-[:HAS_EVENT]->(e) RETURN e.type AS type ORDER BY e.at, e.id",
        id=listing_id,
    )
    return [r["type"] for r in found]


# --- 1. a confirmed loan listing is the regulator's -------------------------------------------


async def test_bank_may_not_rewrite_a_loan_listing_once_the_regulator_confirmed_it(
    graph: Store,
) -> None:
    firm, _, _, people = a_firm_with_people()
    stranger = f.uscc()
    await load(graph, [*people, f.enterprise(stranger, "隆林无关有限公司")])
    reported = f.loan_default("B-1", {"uscc": firm}, confirmed=None)
    await load(graph, [reported], department="ABC", actor=BANK)
    await load(graph, [f.loan_default("B-1", {"uscc": firm})], department="NFRA", actor=REGULATOR)
    (before,) = await rows(graph, LOAN_FACTS, id="B-1")
    assert before["issuedBy"] == ["NFRA"] and len(before["derived"]) == 2

    rewritten = f.loan_default(
        "B-1", {"uscc": stranger}, overdue_since="2023-08-01", confirmed=None
    )
    report = await load(graph, [rewritten], department="ABC", actor=BANK)
    assert report.committed and report.accepted == 0
    reasons = {e.field: e.reason for e in report.errors}
    assert set(reasons) == {"subject.uscc", "principalOverdueSince"}
    assert "confirmed by NFRA on 2024-03-01" in reasons["subject.uscc"]
    assert f"is {firm}, not {stranger}" in reasons["subject.uscc"]
    assert "2023-09-01, not 2023-08-01" in reasons["principalOverdueSince"]
    (after,) = await rows(graph, LOAN_FACTS, id="B-1")
    assert after == before

    # The same facts reported again are accepted and change nothing: the regulator stays.
    again = await load(graph, [reported], department="ABC", actor=BANK)
    assert again.accepted == 1 and again.unchanged == 1 and again.errors == []
    (after,) = await rows(graph, LOAN_FACTS, id="B-1")
    assert after == before
    assert await events(graph, "B-1") == ["REPORTED", "CONFIRMED", "UPDATED"]


async def test_another_regulator_may_not_take_over_a_confirmed_loan_listing(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(graph, [*people, f.loan_default("B-1", {"uscc": firm})])
    pboc = Actor(Role.DEPARTMENT, "key-pboc", "PBOC")
    report = await load(
        graph,
        [f.loan_default("B-1", {"uscc": firm}, regulator="PBOC", confirmed="2024-04-01")],
        department="PBOC",
        actor=pboc,
    )
    assert report.accepted == 0
    assert [(e.field, e.reason) for e in report.errors] == [
        ("confirmedBy", "loan listing B-1 was confirmed by NFRA; only NFRA corrects it")
    ]
    (facts,) = await rows(graph, LOAN_FACTS, id="B-1")
    assert facts["issuedBy"] == ["NFRA"]


# --- 2. an administrative listing is a government department's decision ---------------------


async def test_a_court_or_bank_may_not_list_directly_by_upload(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(graph, people)
    for actor in (COURT, BANK, REGULATOR):
        code = actor.department or ""
        line = f.listing(f"{code}-1", {"uscc": firm}, domain="TAX", department=code)
        report = await load(graph, [line], department=code, actor=actor)
        assert report.accepted == 0, code
        ((field, reason),) = [(e.field, e.reason) for e in report.errors]
        assert field == "department"
        assert reason.startswith(f"department must be a GOVERNMENT department; {code} is ")
        assert "courtDefault" in reason and "loanDefault" in reason
    assert await count(graph, "MATCH (l:Listing) RETURN count(l)") == 0


async def test_a_court_or_bank_may_not_list_directly_through_list_subject(gql: GQL) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(gql.store, people)
    for actor in (COURT, BANK):
        result = await gql(LIST, {"input": listing_input(firm, domain="TAX")}, actor=actor)
        assert result.errors, actor.department
        assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
        assert result.errors[0].extensions["field"] == "department"
        assert "must be a GOVERNMENT department" in result.errors[0].message
    admin = await gql(LIST, {"input": listing_input(firm, department="NFRA", domain="TAX")})
    assert admin.errors and admin.errors[0].extensions["field"] == "department"
    assert await count(gql.store, "MATCH (l:Listing) RETURN count(l)") == 0


# --- 3. one upload may change the same listing or entry twice --------------------------------


async def test_one_upload_adding_two_ties_of_a_named_liable_person(gql: GQL) -> None:
    """The role and the shareholding writers share one re-derivation of the listed firm's
    entries, after both: both ties count, and one revision keeps the entry as it was before the
    upload (the in-between state, roles without shareholdings, never existed outside the
    transaction)."""
    firm, _, _, people = a_firm_with_people()
    liable = f.id_number("1979-09-09")
    await load(
        gql.store,
        [
            *people,
            f.person(liable, "覃直接"),
            f.listing("ECO-1", {"uscc": firm}, liablePersons=[liable]),
        ],
    )
    report = await load(
        gql.store,
        [f.role(liable, firm, "DIRECTOR"), f.share({"idNumber": liable}, firm, 0.2)],
    )
    assert report.committed and report.accepted == 2, report.failure
    data = await gql.ok(
        'query ($id: String!) { person(idNumber: $id) { creditRecord(asOf: "2024-06-01") '
        "{ entries { id parties } } } }",
        {"id": liable},
    )
    assert data["person"]["creditRecord"]["entries"] == [
        {
            "id": f"ECO-1:{liable}",
            "parties": ["LIABLE_DIRECTOR", "LIABLE_SHAREHOLDER", "LIABLE_PERSON"],
        }
    ]
    revisions = await count(
        gql.store, "MATCH (:Listing {derived: true})-[:HAS_REVISION]->(r) RETURN count(r)"
    )
    assert revisions == 1


async def test_an_update_is_dated_by_the_hubs_clock_not_a_zone_of_its_own(graph: Store) -> None:
    # 20:00 UTC on 1 March 2026 is already 2 March in Shanghai: a hub set to UTC dates the
    # correction 1 March (the Cypher had the zone written in; now it gets $today).
    firm, _, _, people = a_firm_with_people()
    await load(graph, [*people, f.listing("ECO-T", {"uscc": firm})])
    moment = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)
    clock = Settings(timezone="UTC").clock
    line = orjson.dumps(f.listing("ECO-T", {"uscc": firm}, basis="更正"))
    report = await run_import(
        graph, [line], actor=SYSTEM, department="ECOENV", now=moment, today=clock.day_of(moment)
    )
    assert report.committed and report.accepted == 1, report.failure
    found = await rows(
        graph,
        "MATCH (:Listing {id: 'ECO-T'})-[:HAS_EVENT]->(e {type: 'UPDATED'}) RETURN e.on AS on",
    )
    assert [r["on"].to_native() for r in found] == [dt.date(2026, 3, 1)]


async def test_the_same_listing_twice_in_one_upload_keeps_both_changes(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(graph, [*people, f.listing("ECO-1", {"uscc": firm})])
    report = await load(
        graph,
        [
            f.listing("ECO-1", {"uscc": firm}, basis="第一次更正"),
            f.listing("ECO-1", {"uscc": firm}, basis="第二次更正"),
        ],
    )
    assert report.committed and report.accepted == 2 and report.errors == [], report.failure
    assert await events(graph, "ECO-1") == ["LISTED", "UPDATED", "UPDATED"]
    basis = await rows(graph, "MATCH (l:Listing {id: 'ECO-1'}) RETURN l.basis AS basis")
    assert basis == [{"basis": "第二次更正"}]
    revisions = await count(
        graph, "MATCH (:Listing {id: 'ECO-1'})-[:HAS_REVISION]->(r) RETURN count(r)"
    )
    assert revisions == 2


# --- 5. listSubject and a concurrent role upload ----------------------------------------------


@pytest.mark.parametrize("story", ["a new role", "a corrected end date"])
async def test_a_role_uploaded_while_list_subject_plans_is_not_missed(
    gql: GQL, monkeypatch: pytest.MonkeyPatch, story: str
) -> None:
    """The role upload runs between listSubject's read of the ties and its write.

    Either the listing sees the role or the role upload sees the listing: listSubject locks the
    enterprise before it reads the ties, and a role upload locks the enterprises it touched
    before it looks for their listings, so the upload waits and then re-derives the listing.
    A new role would wait anyway (creating a relationship locks its nodes); a corrected one
    (an update of the relationship) only through the second lock.
    """
    firm, newcomer = f.uscc(), f.id_number("1983-03-03")
    held = [f.role(newcomer, firm, "LEGAL_REPRESENTATIVE", "2010-01-01", "2024-01-31")]
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林并发有限公司"),
            f.person(newcomer, "黄新"),
            *(held if story == "a corrected end date" else []),
        ],
    )
    upload: list[asyncio.Task[Any]] = []
    plan_one = lq.plan_one

    async def plan_then_upload(*args: Any, **kwargs: Any) -> dict[str, Any]:
        plan = await plan_one(*args, **kwargs)
        role = f.role(newcomer, firm, "LEGAL_REPRESENTATIVE", "2010-01-01", None)
        upload.append(asyncio.create_task(load(gql.store, [role])))
        await asyncio.wait(upload, timeout=1.0)  # it completes at once unless it must wait
        return plan

    monkeypatch.setattr(lq, "plan_one", plan_then_upload)
    await gql.ok(LIST, {"input": listing_input(firm)}, actor=ECO)
    assert (await upload[0]).committed
    entries = await count(
        gql.store,
        "MATCH (:Person {idNumber: $p})<-[:ON]-(d:Listing {derived: true}) "
        "WHERE NOT d.retracted RETURN count(d)",
        p=newcomer,
    )
    assert entries == 1, "the legal representative on effectiveFrom was missed"


# --- 6. a minor on the decision date -----------------------------------------------------------


async def test_a_debtor_who_was_17_when_the_court_decided_is_rejected(graph: Store) -> None:
    young = f.id_number("2006-04-01")
    line = f.court_default(
        "C-9", {"idNumber": young}, decisionDate="2024-03-01", start="2024-04-15"
    )
    report = await load(graph, [f.person(young, "少年"), line])
    assert report.accepted == 1
    ((field, reason),) = [(e.field, e.reason) for e in report.errors]
    assert field == "subject"
    assert "a minor (aged 17 on decisionDate 2024-03-01)" in reason
    # Without a decision date the age counts on effectiveFrom (18 by then).
    report = await load(graph, [f.court_default("C-10", {"idNumber": young}, start="2024-04-15")])
    assert report.accepted == 1 and report.errors == []


# --- 7. resolveObjection and a concurrent endListing ------------------------------------------

END = """mutation ($id: String!) {
  endListing(id: $id, reason: "履行完毕", on: "2024-06-01") { id } }"""
FILE = """mutation ($id: String!) {
  fileObjection(listingId: $id, reason: "数据有误", on: "2024-05-01") { id } }"""
UPHOLD = """mutation ($id: String!) {
  resolveObjection(id: $id, upheld: true, reason: "属实", on: "2024-06-01") { status } }"""


async def test_an_upheld_objection_while_the_listing_is_being_ended_writes_one_ending(
    gql: GQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """resolveObjection runs while endListing holds the listing, between its check and write.

    Locking only the objection let the resolution read the listing as not ended and then revoke
    it after the end was committed (two endings); it now waits for the listing.
    """
    firm, _, _, people = a_firm_with_people()
    await load(gql.store, people)
    await gql.ok(LIST, {"input": listing_input(firm, ident="ECO-1")}, actor=ECO)
    objection = (await gql.ok(FILE, {"id": "ECO-1"}, actor=ECO))["fileObjection"]["id"]
    resolving: list[asyncio.Task[Any]] = []
    locked = listing_changes._locked

    async def lock_then_resolve(tx: Any, query: Any, key: str, what: str) -> dict[str, Any]:
        found = await locked(tx, query, key, what)
        if query is listing_changes.LOCK_LISTING and not resolving:
            resolving.append(asyncio.create_task(gql(UPHOLD, {"id": objection}, actor=ECO)))
            await asyncio.wait(resolving, timeout=1.0)  # done at once unless it must wait
        return found

    monkeypatch.setattr(listing_changes, "_locked", lock_then_resolve)
    await gql.ok(END, {"id": "ECO-1"}, actor=ECO)
    resolved = await resolving[0]
    assert resolved.errors is None
    types = await events(gql.store, "ECO-1")
    assert types == ["LISTED", "OBJECTION_FILED", "ENDED", "OBJECTION_UPHELD"]
    stored = await rows(gql.store, "MATCH (l:Listing {id: 'ECO-1'}) RETURN l.endReason AS reason")
    assert stored == [{"reason": "ENDED"}]


# --- 8. court listings end only by the court, with the same date rules everywhere -------------


async def test_only_the_court_ends_a_court_listing(gql: GQL) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(gql.store, [*people, f.court_default("C-1", {"uscc": firm})])
    remove = """mutation ($kind: EndReason!) {
      endListing(id: "C-1", reason: "已履行", on: "2024-06-01", kind: $kind) { endReason } }"""
    for kind in ("REMOVED", "REVOKED"):
        refused = await gql(remove, {"kind": kind})  # ADMIN
        assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN", kind
        assert "only by the court" in refused.errors[0].message
    objection = (await gql.ok(FILE, {"id": "C-1"}))["fileObjection"]["id"]
    refused = await gql(UPHOLD, {"id": objection})  # ADMIN
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    await gql.ok(UPHOLD, {"id": objection}, actor=COURT)
    assert await events(gql.store, "C-1") == [
        "LISTED",
        "OBJECTION_FILED",
        "OBJECTION_UPHELD",
        "REVOKED",
    ]


async def test_the_court_removes_by_mutation(gql: GQL) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(gql.store, [*people, f.court_default("C-1", {"uscc": firm})])
    removed = await gql.ok(
        """mutation { endListing(id: "C-1", reason: "已履行", on: "2024-06-01", kind: REMOVED)
           { endReason } }""",
        actor=COURT,
    )
    assert removed["endListing"] == {"endReason": "REMOVED"}


async def test_an_upload_ending_a_listing_follows_the_mutation_rules(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(
        graph,
        [*people, f.court_default("C-1", {"uscc": firm}), f.listing("ECO-1", {"uscc": firm})],
    )
    future = "2099-01-01"
    report = await load(
        graph,
        [f.court_default("C-1", {"uscc": firm}, endedOn=future)],
        department="COURT",
        actor=COURT,
    )
    assert report.accepted == 0
    ((field, reason),) = [(e.field, e.reason) for e in report.errors]
    assert field == "endedOn" and reason.startswith(f"endedOn {future} is in the future")
    report = await load(
        graph, [f.listing("ECO-1", {"uscc": firm}, endedOn=future)], department="ECOENV"
    )
    assert [e.field for e in report.errors] == ["endedOn"]
    # Outside the court's own upload (here an ADMIN load for another department) a court
    # listing is not removed.
    report = await load(graph, [f.court_default("C-1", {"uscc": firm}, endedOn="2024-06-01")])
    assert report.accepted == 0
    ((field, reason),) = [(e.field, e.reason) for e in report.errors]
    assert field == "endedOn" and "only by the court" in reason
    assert await count(graph, "MATCH (l:Listing) WHERE l.endedOn IS NOT NULL RETURN count(l)") == 0
    report = await load(
        graph,
        [f.court_default("C-1", {"uscc": firm}, endedOn="2024-06-01")],
        department="COURT",
        actor=COURT,
    )
    assert report.accepted == 1 and report.errors == []
    assert sorted(await events(graph, "C-1")) == ["LISTED", "REMOVED", "UPDATED"]


async def test_an_admin_key_upload_neither_ends_nor_changes_a_court_listing(graph: Store) -> None:
    """POST /api/import?department=COURT with an ADMIN key is not the court's own upload: a
    court listing ends or changes only by the court (DESIGN: "Court listings end only by the
    court"); the same facts sent again are accepted and change nothing."""
    firm, _, _, people = a_firm_with_people()
    listing = f.court_default("C-9", {"uscc": firm}, ground=2, start="2024-03-01")
    await load(graph, [*people, listing], department="COURT", actor=COURT)
    ending = await load(
        graph,
        [
            f.court_default(
                "C-9", {"uscc": firm}, ground=2, start="2024-03-01", endedOn="2024-06-01"
            )
        ],
        department="COURT",
        actor=TEST_ADMIN,
    )
    assert [(e.field, "only by the court" in e.reason) for e in ending.errors] == [
        ("endedOn", True)
    ]
    changed = await load(
        graph,
        [f.court_default("C-9", {"uscc": firm}, ground=2, start="2022-01-01")],
        department="COURT",
        actor=TEST_ADMIN,
    )
    assert [(e.field, "only the court's own uploads" in e.reason) for e in changed.errors] == [
        ("id", True)
    ]
    again = await load(graph, [listing], department="COURT", actor=TEST_ADMIN)
    assert again.rejected == 0
    assert await count(graph, "MATCH (l:Listing {id: 'C-9'}) RETURN count(l.endedOn)") == 0
    effective = "MATCH (l:Listing {id: 'C-9'}) RETURN l.effectiveFrom = date('2024-03-01')"
    assert await count(graph, effective) == 1


async def test_a_repair_before_its_period_is_refused_by_mutation_and_upload(gql: GQL) -> None:
    """信用修复 waits for the minimum publicity period (one year), and in food/drug,
    environment, work-safety and urban (fire) safety for the maximum (three years)."""
    firm, _, _, people = a_firm_with_people()
    await load(
        gql.store,
        [*people, f.listing("ECO-R", {"uscc": firm}, start="2025-01-01")],
        department="ECOENV",
    )
    # A repair is an application (docs/lifecycle.md): refused at once, naming the first day.
    early = await gql.ok(
        """mutation { applyForRepair(input: {listingId: "ECO-R", conductCorrected: true,
             publicCommitment: "承诺书", repairTraining: "培训", creditReport: "报告",
             reason: "已整改", on: "2026-06-01"}) { status refusal earliestSuccess } }""",
        actor=Actor(Role.DEPARTMENT, "key-eco", "ECOENV"),
    )
    assert early["applyForRepair"]["status"] == "REFUSED"
    assert early["applyForRepair"]["earliestSuccess"] == "2028-01-01"
    assert "from 2028-01-01" in early["applyForRepair"]["refusal"]
    shortcut = await gql(
        'mutation { endListing(id: "ECO-R", reason: "已整改", kind: REPAIRED, on: "2026-06-01")'
        " { endReason } }",
        actor=Actor(Role.DEPARTMENT, "key-eco", "ECOENV"),
    )
    assert shortcut.errors is not None
    assert shortcut.errors[0].extensions["code"] == "CONFLICT"
    assert "no pending repair application" in shortcut.errors[0].message
    upload = await load(
        gql.store,
        [
            f.listing(
                "ECO-R",
                {"uscc": firm},
                start="2025-01-01",
                endedOn="2026-06-01",
                endReason="REPAIRED",
            )
        ],
        department="ECOENV",
    )
    assert [(e.field, "repaired from 2028-01-01" in e.reason) for e in upload.errors] == [
        ("endedOn", True)
    ]
    ended = await gql.ok(
        'mutation { endListing(id: "ECO-R", reason: "已履行", kind: ENDED, on: "2026-06-01")'
        " { endReason } }",
        actor=Actor(Role.DEPARTMENT, "key-eco", "ECOENV"),
    )
    assert ended["endListing"] == {"endReason": "ENDED"}


async def test_an_upload_does_not_end_an_ended_listing_again(graph: Store) -> None:
    """A listing ends once (endListing answers CONFLICT): an upload may repeat its ending
    (a re-import changes nothing), not replace it — it was dropped silently."""
    firm, _, _, people = a_firm_with_people()
    ended = f.listing("ECO-E", {"uscc": firm}, endedOn="2024-06-01")
    first = await load(graph, [*people, ended], department="ECOENV")
    assert first.rejected == 0
    again = await load(graph, [ended], department="ECOENV")
    assert again.rejected == 0
    other = await load(
        graph,
        [f.listing("ECO-E", {"uscc": firm}, endedOn="2024-07-01", endReason="REVOKED")],
        department="ECOENV",
    )
    assert [(e.field, "already ended on 2024-06-01" in e.reason) for e in other.errors] == [
        ("endedOn", True)
    ]
    stored = "MATCH (l:Listing {id: 'ECO-E'}) RETURN l.endedOn = date('2024-06-01')"
    assert await count(graph, stored) == 1


async def test_a_listing_id_created_meanwhile_by_another_department_is_left_alone(
    graph: Store,
) -> None:
    """The race a review found: two departments create the same new listing id at once; both
    owner checks see nothing, and the second MERGE matched the first's listing and overwrote
    its department. The write now leaves another owner's listing alone and fails the unit
    (Conflict: the runner runs it again, and its owner check then names the owner)."""
    import datetime as dt

    from hub.errors import Conflict
    from hub.importer.listing_records import ListingRecord
    from hub.importer.listing_writers import write_listings
    from hub.store.imports import Provenance

    firm, _, _, people = a_firm_with_people()
    await load(graph, [*people, f.listing("RACE-1", {"uscc": firm})], department="ECOENV")
    theirs = ListingRecord.model_validate(
        f.listing("RACE-1", {"uscc": firm}, domain="FOOD_DRUG", department="AMR")
    )
    prov = Provenance("b-race", "AMR", dt.datetime.now(dt.UTC))

    async def write(tx: Any) -> None:
        await tx.run("CREATE (:ImportBatch {id: 'b-race'})")
        await write_listings(tx, [(1, theirs)], prov)

    with pytest.raises(Conflict, match="RACE-1"):
        await graph.write(write)
    owner = "MATCH (l:Listing {id: 'RACE-1'}) RETURN l.department = 'ECOENV'"
    assert await count(graph, owner) == 1
    report = await load(
        graph,
        [f.listing("RACE-1", {"uscc": firm}, domain="FOOD_DRUG", department="AMR")],
        department="AMR",
    )
    assert [e.field for e in report.errors] == ["id"]
