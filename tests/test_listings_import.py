"""The listing kinds through the importer, against real Neo4j: validation, ownership, sources."""

from __future__ import annotations

from typing import Any

import pytest

from hub.auth import Actor, Role
from hub.store import Store
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_import import count, graph_size

pytestmark = pytest.mark.neo4j

LISTINGS = """
query ($uscc: String!, $asOf: Date) {
  enterprise(uscc: $uscc) {
    listings(asOf: $asOf) {
      id list domain source status effectiveFrom expiresOn endedOn endReason
      department { code } court { ground caseNumber } loan { bank confirmedBy confirmedOn }
      events { type on department }
      derivedEntries { id parties }
    }
  }
}
"""


def a_firm_with_people() -> tuple[str, str, str, list[dict[str, Any]]]:
    firm, rep, cfo = f.uscc(), f.id_number("1970-01-01"), f.id_number("1975-06-01")
    return (
        firm,
        rep,
        cfo,
        [
            f.enterprise(firm, "隆林宏达建材有限公司"),
            f.person(rep, "黄国明"),
            f.person(cfo, "罗秀英"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
            f.role(cfo, firm, "SENIOR_MANAGER"),
        ],
    )


def rejections(firm: str, rep: str) -> list[tuple[str, Any, str, str]]:
    """(story, line, field, reason fragment) — each listing rule once."""
    minor = f.id_number("2008-05-01")
    return [
        (
            "unknown domain",
            f.listing("L-1", {"uscc": firm}, domain="GAMBLING"),
            "domain",
            "unknown domain GAMBLING",
        ),
        (
            "reserved court domain",
            f.listing("L-2", {"uscc": firm}, domain="COURT_ENFORCEMENT"),
            "domain",
            "reserved for courtDefault",
        ),
        (
            "reserved loan domain",
            f.listing("L-3", {"uscc": firm}, domain="FINANCE_LOAN"),
            "domain",
            "reserved for loanDefault",
        ),
        (
            "expires before start",
            f.listing("L-4", {"uscc": firm}, expiresOn="2024-03-01"),
            "expiresOn",
            "must be after effectiveFrom",
        ),
        (
            "effective before decision",
            f.listing("L-5", {"uscc": firm}, decisionDate="2024-04-01"),
            "effectiveFrom",
            "before decisionDate",
        ),
        ("colon in id", f.listing("L:6", {"uscc": firm}), "id", "should match pattern"),
        (
            "liable on a person listing",
            f.listing("L-7", {"idNumber": rep}, liablePersons=[rep]),
            "liablePersons",
            "only when a unit",
        ),
        (
            "liable on RED",
            f.listing("L-8", {"uscc": firm}, kind="RED", liablePersons=[rep]),
            "liablePersons",
            "only on BLACK or WATCH",
        ),
        ("unknown list", f.listing("L-9", {"uscc": firm}, kind="GREY"), "list", "Input should be"),
        (
            "ground 7",
            f.court_default("C-1", {"uscc": firm}, ground=7),
            "ground",
            "ground must be 1 to 6",
        ),
        (
            "ground as text",
            f.court_default("C-2", {"uscc": firm}, ground="2"),  # type: ignore[arg-type]
            "ground",
            "valid integer",
        ),
        (
            "ground 1 with a term",
            f.court_default("C-3", {"uscc": firm}, ground=1, expiresOn="2026-03-01"),
            "expiresOn",
            "open-ended",
        ),
        (
            "term too short",
            f.court_default("C-4", {"uscc": firm}, expiresOn="2025-03-01"),
            "expiresOn",
            "between 2026-03-01 and 2029-03-01",
        ),
        (
            "a minor",
            f.court_default("C-5", {"idNumber": minor}),
            "subject",
            "a minor (aged 15 on effectiveFrom 2024-03-01)",
        ),
        (
            "a minor as a liable person",
            f.court_default("C-5B", {"uscc": firm}, liablePersons=[minor]),
            "liablePersons",
            "liable person 0: a minor (aged 15 on effectiveFrom 2024-03-01)",
        ),
        (
            "court repairs",
            f.court_default("C-6", {"uscc": firm}, endedOn="2025-01-01", endReason="REPAIRED"),
            "endReason",
            "ends only by the court",
        ),
        (
            "five months",
            f.loan_default("B-1", {"uscc": firm}, "2023-10-15", "2024-01-15", "2024-04-14"),
            "confirmedOn",
            "a listing can be confirmed from 2024-04-15",
        ),
        (
            "regulator without date",
            {**f.loan_default("B-2", {"uscc": firm}, confirmed=None), "confirmedBy": "NFRA"},
            "confirmedOn",
            "confirmedBy needs confirmedOn",
        ),
        (
            "date without regulator",
            {**f.loan_default("B-3", {"uscc": firm}, confirmed=None), "confirmedOn": "2024-04-01"},
            "confirmedOn",
            "needs confirmedBy",
        ),
        (
            "reported before overdue",
            f.loan_default("B-4", {"uscc": firm}, reported="2023-01-01"),
            "reportedOn",
            "before principalOverdueSince",
        ),
        (
            "unconfirmed cannot end",
            f.loan_default("B-5", {"uscc": firm}, confirmed=None, endedOn="2024-06-01"),
            "endedOn",
            "cannot end",
        ),
        (
            "grade E",
            {
                "kind": "evaluation",
                "subject": {"uscc": firm},
                "grade": "E",
                "evaluatedOn": "2024-01-01",
                "source": "NDRC",
            },
            "grade",
            "Input should be",
        ),
    ]


async def test_each_listing_rule_rejects_with_field_and_reason(graph: Store) -> None:
    firm, rep, _, people = a_firm_with_people()
    cases = rejections(firm, rep)
    report = await load(graph, [*people, *(c[1] for c in cases)])
    assert report.committed and report.accepted == len(people)
    by_line: dict[int, list[Any]] = {}
    for error in report.errors:
        by_line.setdefault(error.line, []).append(error)
    for number, (story, _, field, reason) in enumerate(cases, start=len(people) + 1):
        assert number in by_line, f"{story}: line {number} not rejected"
        assert any(e.field == field and reason in e.reason for e in by_line[number]), (
            story,
            [(e.field, e.reason) for e in by_line[number]],
        )
    assert await count(graph, "MATCH (l:Listing) RETURN count(l)") == 0
    assert await count(graph, "MATCH (l:LoanReport) RETURN count(l)") == 0


async def test_department_kinds_and_missing_people_are_checked_in_the_graph(graph: Store) -> None:
    firm, rep, _, people = a_firm_with_people()
    ghost = f.id_number()
    report = await load(
        graph,
        [
            *people,
            f.court_default("C-1", {"uscc": firm}, court="AMR"),
            f.loan_default("B-1", {"uscc": firm}, bank="NFRA"),
            f.loan_default("B-2", {"uscc": firm}, regulator="RCB"),
            f.listing("L-1", {"uscc": firm}, liablePersons=[rep, ghost]),
            f.listing("L-2", {"uscc": firm}, department="NOSUCH"),
        ],
    )
    reasons = {(e.line, e.field): e.reason for e in report.errors}
    assert reasons[(6, "court")] == "court must be a COURT department; AMR is GOVERNMENT"
    assert reasons[(7, "bank")] == "bank must be a BANK department; NFRA is REGULATOR"
    assert reasons[(8, "confirmedBy")] == "confirmedBy must be a REGULATOR department; RCB is BANK"
    assert reasons[(9, "liablePersons.1")] == f"person {ghost} does not exist"
    assert reasons[(10, "department")] == "department NOSUCH does not exist"
    assert report.accepted == len(people)


async def test_departments_upload_only_their_own_decisions(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(graph, people)
    eco = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
    bank = Actor(Role.DEPARTMENT, "key-abc", "ABC")
    regulator = Actor(Role.DEPARTMENT, "key-nfra", "NFRA")
    report = await load(
        graph,
        [
            f.listing("ECO-1", {"uscc": firm}),
            f.listing("AMR-1", {"uscc": firm}, domain="FOOD_DRUG", department="AMR"),
            f.court_default("C-1", {"uscc": firm}),
        ],
        department="ECOENV",
        actor=eco,
    )
    assert report.accepted == 1
    assert {e.line: e.field for e in report.errors} == {2: "department", 3: "department"}
    # The bank reports; only the regulator confirms.
    report = await load(
        graph,
        [
            f.loan_default("B-1", {"uscc": firm}, confirmed=None),
            f.loan_default("B-2", {"uscc": firm}),
        ],
        department="ABC",
        actor=bank,
    )
    assert report.accepted == 1 and report.errors[0].line == 2
    report = await load(
        graph, [f.loan_default("B-1", {"uscc": firm})], department="NFRA", actor=regulator
    )
    assert report.accepted == 1 and report.errors == []


async def test_a_listing_id_belongs_to_its_department_for_ever(graph: Store) -> None:
    firm, _, _, people = a_firm_with_people()
    await load(graph, [*people, f.listing("DEC-1", {"uscc": firm})])
    report = await load(
        graph,
        [
            f.listing("DEC-1", {"uscc": firm}, domain="FOOD_DRUG", department="AMR"),
            f.court_default("DEC-1", {"uscc": firm}),
        ],
    )
    assert report.accepted == 0 and len(report.errors) == 2
    assert all(
        e.field == "id" and "already exists from ECOENV (ADMINISTRATIVE)" in e.reason
        for e in report.errors
    )
    domain = await count(
        graph, "MATCH (l:Listing {id: 'DEC-1', domain: 'ENVIRONMENT'}) RETURN count(l)"
    )
    assert domain == 1


async def test_reimport_changes_nothing_and_a_correction_keeps_history(graph: Store) -> None:
    firm, _, cfo, people = a_firm_with_people()
    records = [
        *people,
        f.listing("ECO-1", {"uscc": firm}, liablePersons=[cfo]),
        f.court_default("C-001", {"uscc": firm}),
        f.loan_default("B-1", {"uscc": firm}),
        {
            "kind": "evaluation",
            "subject": {"uscc": firm},
            "grade": "D",
            "evaluatedOn": "2024-01-01",
            "source": "NDRC",
        },
    ]
    first = await load(graph, records)
    assert first.accepted == len(records) and first.errors == []
    before = await graph_size(graph)
    again = await load(graph, records)
    assert again.unchanged == len(records) and again.created == again.updated == 0
    assert await graph_size(graph) == before
    corrected = await load(
        graph, [f.listing("ECO-1", {"uscc": firm}, basis="更正后的依据", liablePersons=[cfo])]
    )
    assert corrected.updated == 1
    history = await count(
        graph,
        "MATCH (l:Listing {id: 'ECO-1'})-[:HAS_REVISION]->(r:Revision) "
        "MATCH (l)-[:HAS_EVENT]->(e:ListingEvent {type: 'UPDATED'}) RETURN count(*)",
    )
    assert history == 1


async def test_court_terms_and_removal_by_the_court(gql: GQL) -> None:
    firm, _, _, people = a_firm_with_people()
    able_but_refuses = f.uscc()
    await load(
        gql.store,
        [
            *people,
            f.enterprise(able_but_refuses, "隆林拒不履行有限公司"),
            f.court_default("C-002", {"uscc": firm}, ground=3),
            f.court_default("C-001", {"uscc": able_but_refuses}, ground=1),
        ],
    )
    data = await gql.ok(LISTINGS, {"uscc": firm, "asOf": "2026-02-28"})
    (listing,) = data["enterprise"]["listings"]
    assert listing["source"] == "COURT" and listing["domain"] == "COURT_ENFORCEMENT"
    assert listing["expiresOn"] == "2026-03-01" and listing["status"] == "ACTIVE"
    assert listing["court"]["ground"] == 3 and listing["department"]["code"] == "COURT"
    data = await gql.ok(LISTINGS, {"uscc": firm, "asOf": "2026-03-01"})
    assert data["enterprise"]["listings"][0]["status"] == "ENDED"
    data = await gql.ok(LISTINGS, {"uscc": able_but_refuses, "asOf": "2099-01-01"})
    assert data["enterprise"]["listings"][0]["expiresOn"] is None
    assert data["enterprise"]["listings"][0]["status"] == "ACTIVE"
    # The court removes the listing through its own upload.
    removal = f.court_default("C-001", {"uscc": able_but_refuses}, ground=1, endedOn="2025-05-01")
    report = await load(gql.store, [removal], department="COURT")
    assert report.updated == 1
    data = await gql.ok(LISTINGS, {"uscc": able_but_refuses, "asOf": "2025-05-01"})
    listing = data["enterprise"]["listings"][0]
    assert listing["status"] == "ENDED" and listing["endReason"] == "REMOVED"
    assert [e["type"] for e in listing["events"]] == ["LISTED", "UPDATED", "REMOVED"]


async def test_unconfirmed_or_five_month_loan_default_has_no_effect(gql: GQL) -> None:
    firm, rep, _, people = a_firm_with_people()
    await load(gql.store, people)
    unconfirmed = f.loan_default(
        "B-001", {"uscc": firm}, "2023-09-01", "2024-01-10", confirmed=None
    )
    too_early = f.loan_default("B-002", {"uscc": firm}, "2023-10-15", "2024-01-15", "2024-04-14")
    report = await load(gql.store, [unconfirmed, too_early], department="ABC")
    assert report.accepted == 1 and report.errors[0].field == "confirmedOn"
    data = await gql.ok(LISTINGS, {"uscc": firm, "asOf": "2025-01-01"})
    assert data["enterprise"]["listings"] == []
    assert await count(gql.store, "MATCH (l:Listing) RETURN count(l)") == 0
    record = await gql.ok(
        'query ($id: String!) { person(idNumber: $id) { creditRecord(asOf: "2025-01-01") { entries { id } } } }',
        {"id": rep},
    )
    assert record["person"]["creditRecord"]["entries"] == []
    # Six months later the regulator confirms: now it is a BLACK listing that propagates.
    confirmed = f.loan_default("B-001", {"uscc": firm}, "2023-09-01", "2024-01-10", "2024-03-01")
    report = await load(gql.store, [confirmed], department="NFRA")
    assert report.updated == 1
    data = await gql.ok(LISTINGS, {"uscc": firm, "asOf": "2024-03-01"})
    (listing,) = data["enterprise"]["listings"]
    assert (listing["list"], listing["domain"], listing["status"]) == (
        "BLACK",
        "FINANCE_LOAN",
        "ACTIVE",
    )
    assert listing["loan"] == {"bank": "ABC", "confirmedBy": "NFRA", "confirmedOn": "2024-03-01"}
    assert listing["department"]["code"] == "NFRA"
    assert [e["type"] for e in listing["events"]] == ["REPORTED", "CONFIRMED", "UPDATED"]
    assert {d["id"] for d in listing["derivedEntries"]} == {
        f"B-001:{rep}",
        f"B-001:{people[2]['idNumber']}",
    }
    # The bank re-reporting without the confirmation does not undo it.
    await load(gql.store, [unconfirmed], department="ABC")
    data = await gql.ok(LISTINGS, {"uscc": firm, "asOf": "2024-03-01"})
    assert data["enterprise"]["listings"][0]["loan"]["confirmedBy"] == "NFRA"


async def test_every_listing_fact_carries_provenance(gql: GQL) -> None:
    firm, _, cfo, people = a_firm_with_people()
    await load(
        gql.store,
        [
            *people,
            f.listing("ECO-1", {"uscc": firm}, liablePersons=[cfo]),
            f.loan_default("B-1", {"uscc": firm}, confirmed=None),
            {
                "kind": "evaluation",
                "subject": {"uscc": firm},
                "grade": "A",
                "evaluatedOn": "2024-01-01",
                "source": "NDRC",
            },
        ],
    )
    await gql.ok(
        'mutation { fileObjection(listingId: "ECO-1", reason: "异议", on: "2024-05-01") { id } }'
    )
    await gql.ok('mutation { endListing(id: "ECO-1", reason: "结束", on: "2024-06-01") { id } }')
    missing_nodes = await count(
        gql.store,
        "MATCH (n) WHERE (n:Listing OR n:LoanReport OR n:ListingEvent OR n:Objection OR "
        "n:Evaluation OR n:Measure) AND (n.batch IS NULL OR n.recordedAt IS NULL OR "
        "n.sourceDepartment IS NULL) RETURN count(n)",
    )
    missing_rels = await count(
        gql.store,
        "MATCH ()-[r]->() WHERE NOT type(r) = 'HAS_REVISION' AND (r.batch IS NULL OR "
        "r.recordedAt IS NULL OR r.sourceDepartment IS NULL) RETURN count(r)",
    )
    assert missing_nodes == 0 and missing_rels == 0
