"""Listing workflows through GraphQL against real Neo4j: list, end, objections, expiry,
aggravation, the role matrix and masking."""

from __future__ import annotations

from typing import Any

import pytest

from graphql_engine.build import SDL_SCHEMA
from hub.auth import PUBLIC, Actor, Role
from hub.policy import MUTATIONS, QUERIES
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_import import count

pytestmark = [pytest.mark.neo4j, pytest.mark.routed]  # also via neo4j:// (conftest.py)

ECO = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
AMR = Actor(Role.DEPARTMENT, "key-amr", "AMR")
APPROVAL = Actor(Role.APPROVAL, "key-approval")

LIST = """
mutation ($input: ListingInput!) {
  listSubject(input: $input) {
    id list domain source status effectiveFrom
    department { code }
    liablePersons { idNumber }
    derivedEntries { id parties person { idNumber } }
    events { type on department }
  }
}
"""

STATE = """
query ($id: String!, $asOf: Date) {
  listing(id: $id, asOf: $asOf) {
    status endedOn endReason
    objections { status filedOn resolvedOn reason }
    events { type on reason }
  }
}
"""


async def a_firm(gql: GQL) -> tuple[str, str]:
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林绿源农业开发有限公司"),
            f.person(rep, "韦法人"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        ],
    )
    return firm, rep


def listing_input(firm: str, ident: str = "ECO-2024-1", **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "subject": {"uscc": firm},
        "list": "BLACK",
        "domain": "ENVIRONMENT",
        "basis": "《环境保护法》第六十三条",
        "effectiveFrom": "2024-03-01",
        **extra,
    }


async def state(gql: GQL, ident: str, as_of: str) -> dict[str, Any]:
    data = await gql.ok(STATE, {"id": ident, "asOf": as_of})
    found: dict[str, Any] = data["listing"]
    return found


async def test_a_department_lists_for_itself_and_propagation_commits_with_it(gql: GQL) -> None:
    firm, rep = await a_firm(gql)
    data = await gql.ok(LIST, {"input": listing_input(firm, liablePersons=[rep])}, actor=ECO)
    listing = data["listSubject"]
    assert (listing["list"], listing["source"], listing["department"]["code"]) == (
        "BLACK",
        "ADMINISTRATIVE",
        "ECOENV",
    )
    assert listing["events"] == [{"type": "LISTED", "on": "2024-03-01", "department": "ECOENV"}]
    (entry,) = listing["derivedEntries"]
    assert entry["parties"] == ["LEGAL_REPRESENTATIVE", "LIABLE_PERSON"]
    # A DEPARTMENT key sees personal data masked.
    assert entry["person"]["idNumber"] == rep[:4] + "*" * 10 + rep[-4:]
    assert listing["liablePersons"] == [{"idNumber": rep[:4] + "*" * 10 + rep[-4:]}]
    # Its batch is recorded as finished, like an upload's.
    unfinished = "MATCH (b:ImportBatch) WHERE NOT coalesce(b.complete, false) RETURN count(b)"
    assert await count(gql.store, unfinished) == 0


async def test_departments_may_not_list_for_others_and_bad_input_names_the_field(gql: GQL) -> None:
    firm, _ = await a_firm(gql)
    other = await gql(LIST, {"input": listing_input(firm, department="AMR")}, actor=ECO)
    assert other.errors and other.errors[0].extensions["code"] == "FORBIDDEN"
    for actor in (PUBLIC, APPROVAL):
        refused = await gql(LIST, {"input": listing_input(firm)}, actor=actor)
        assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    bad = await gql(LIST, {"input": listing_input(firm, domain="COURT_ENFORCEMENT")}, actor=ECO)
    assert bad.errors
    assert bad.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert bad.errors[0].extensions["field"] == "domain"
    assert "reserved for courtDefault" in bad.errors[0].message
    assert await count(gql.store, "MATCH (l:Listing) RETURN count(l)") == 0
    admin = await gql.ok(LIST, {"input": listing_input(firm, department="AMR", domain="FOOD_DRUG")})
    assert admin["listSubject"]["department"]["code"] == "AMR"


async def test_end_listing_by_its_department_only_once(gql: GQL) -> None:
    firm, rep = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm)}, actor=ECO)
    end = 'mutation ($on: Date) { endListing(id: "ECO-2024-1", reason: "整改到位", on: $on) { status endedOn endReason } }'
    refused = await gql(end, {"on": "2025-01-01"}, actor=AMR)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    ended = await gql.ok(end, {"on": "2025-01-01"}, actor=ECO)
    assert ended["endListing"] == {"status": "ENDED", "endedOn": "2025-01-01", "endReason": "ENDED"}
    again = await gql(end, {"on": "2025-02-01"}, actor=ECO)
    assert again.errors and again.errors[0].extensions["code"] == "CONFLICT"
    before = await state(gql, "ECO-2024-1", "2024-12-31")
    assert before["status"] == "ACTIVE"
    assert [e["type"] for e in before["events"]] == ["LISTED", "ENDED"]
    data = await gql.ok(
        'query ($id: String!) { person(idNumber: $id) { creditRecord(asOf: "2025-01-01") { entries { status } } } }',
        {"id": rep},
    )
    assert data["person"]["creditRecord"]["entries"] == [{"status": "ENDED"}]


async def test_expiry_by_date(gql: GQL) -> None:
    firm, _ = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm, expiresOn="2025-03-01")}, actor=ECO)
    assert (await state(gql, "ECO-2024-1", "2024-02-29"))["status"] == "NOT_YET"
    assert (await state(gql, "ECO-2024-1", "2025-02-28"))["status"] == "ACTIVE"
    expired = await state(gql, "ECO-2024-1", "2025-03-01")
    assert expired["status"] == "ENDED" and expired["endedOn"] is None  # computed, not stored


async def test_objection_filed_then_rejected_then_another_upheld(gql: GQL) -> None:
    firm, _ = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm)}, actor=ECO)
    file = """
    mutation ($on: Date) {
      fileObjection(listingId: "ECO-2024-1", reason: "监测数据有误", on: $on) { id status listing { id } }
    }"""
    resolve = """
    mutation ($id: String!, $upheld: Boolean!, $on: Date) {
      resolveObjection(id: $id, upheld: $upheld, reason: "核查结论", on: $on) { status resolvedOn }
    }"""
    refused = await gql(file, {"on": "2024-05-01"}, actor=AMR)
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"
    first = (await gql.ok(file, {"on": "2024-05-01"}, actor=ECO))["fileObjection"]
    assert first["status"] == "FILED"
    assert (await state(gql, "ECO-2024-1", "2024-05-01"))["status"] == "SUSPENDED"
    rejected = await gql.ok(
        resolve, {"id": first["id"], "upheld": False, "on": "2024-06-01"}, actor=ECO
    )
    assert rejected["resolveObjection"] == {"status": "REJECTED", "resolvedOn": "2024-06-01"}
    twice = await gql(resolve, {"id": first["id"], "upheld": True, "on": "2024-06-02"}, actor=ECO)
    assert twice.errors and twice.errors[0].extensions["code"] == "CONFLICT"
    assert (await state(gql, "ECO-2024-1", "2024-06-01"))["status"] == "ACTIVE"
    second = (await gql.ok(file, {"on": "2024-09-01"}, actor=ECO))["fileObjection"]
    await gql.ok(resolve, {"id": second["id"], "upheld": True, "on": "2024-10-01"}, actor=ECO)
    history = await state(gql, "ECO-2024-1", "2024-10-01")
    assert history["status"] == "ENDED" and history["endReason"] == "REVOKED"
    assert history["endedOn"] == "2024-10-01"
    assert (await state(gql, "ECO-2024-1", "2024-09-30"))["status"] == "SUSPENDED"
    assert (await state(gql, "ECO-2024-1", "2024-08-31"))["status"] == "ACTIVE"
    assert [o["status"] for o in history["objections"]] == ["REJECTED", "UPHELD"]
    assert [e["type"] for e in history["events"]] == [
        "LISTED",
        "OBJECTION_FILED",
        "OBJECTION_REJECTED",
        "OBJECTION_FILED",
        "OBJECTION_UPHELD",
        "REVOKED",
    ]
    late = await gql(file, {"on": "2024-10-02"}, actor=ECO)
    assert late.errors and late.errors[0].extensions["code"] == "CONFLICT"


async def test_an_upheld_objection_dated_before_an_existing_ending_revokes_from_its_date(
    gql: GQL,
) -> None:
    """Issue 18: objection filed 2024-05-01, the listing ended 2024-08-01 meanwhile, the
    objection upheld as of 2024-06-01. The listing was wrong from the upholding on: it must not
    be ACTIVE between 2024-06-01 and the later ending (it was: the revocation was skipped)."""
    firm, _ = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm)}, actor=ECO)
    filed = await gql.ok(
        'mutation { fileObjection(listingId: "ECO-2024-1", reason: "数据有误", on: "2024-05-01")'
        " { id } }",
        actor=ECO,
    )
    await gql.ok(
        'mutation { endListing(id: "ECO-2024-1", reason: "整改到位", on: "2024-08-01") { status } }',
        actor=ECO,
    )
    await gql.ok(
        """mutation ($id: String!) {
          resolveObjection(id: $id, upheld: true, reason: "核查属实", on: "2024-06-01") { status }
        }""",
        {"id": filed["fileObjection"]["id"]},
        actor=ECO,
    )
    between = await state(gql, "ECO-2024-1", "2024-07-01")
    assert between["status"] == "ENDED"
    assert between["endedOn"] == "2024-06-01" and between["endReason"] == "REVOKED"
    assert (await state(gql, "ECO-2024-1", "2024-05-31"))["status"] == "SUSPENDED"
    assert [e["type"] for e in between["events"]] == [
        "LISTED",
        "OBJECTION_FILED",
        "ENDED",
        "OBJECTION_UPHELD",
        "REVOKED",
    ]
    kept = await count(
        gql.store,
        "MATCH (l:Listing {id: 'ECO-2024-1'}) WHERE l.supersededEnding = 'ENDED 2024-08-01' "
        "RETURN count(l)",
    )
    assert kept == 1  # the later ending is kept, not lost (可查可核可溯)


async def test_two_domains_aggravate_and_a_suspended_one_does_not(gql: GQL) -> None:
    firm, _ = await a_firm(gql)
    person = f.id_number("1975-05-05")
    await load(
        gql.store,
        [
            f.person(person, "卢个人"),
            f.listing("ECO-2024-1", {"uscc": firm}),
            f.listing(
                "TAX-2024-1", {"uscc": firm}, domain="TAX", department="TAX", start="2024-06-01"
            ),
            f.listing("TAX-2024-2", {"idNumber": person}, domain="TAX", department="TAX"),
            f.court_default("C-2024-001", {"idNumber": person}),
        ],
    )
    query = """
    query ($u: String!, $p: String!, $asOf: Date) {
      enterprise(uscc: $u) { aggravated(asOf: $asOf) }
      person(idNumber: $p) { aggravated(asOf: $asOf) creditRecord(asOf: $asOf) { aggravated } }
    }"""

    async def aggravated(day: str) -> tuple[bool, bool]:
        data = await gql.ok(query, {"u": firm, "p": person, "asOf": day})
        assert data["person"]["aggravated"] == data["person"]["creditRecord"]["aggravated"]
        return data["enterprise"]["aggravated"], data["person"]["aggravated"]

    assert await aggravated("2024-05-31") == (False, True)
    assert await aggravated("2024-06-01") == (True, True)
    await gql.ok(
        'mutation { fileObjection(listingId: "TAX-2024-1", reason: "已缴清", on: "2024-07-01") { id } }'
    )
    assert await aggravated("2024-07-01") == (False, True)


async def test_public_sees_masked_people_and_no_reasons(gql: GQL) -> None:
    firm, rep = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm, liablePersons=[rep])}, actor=ECO)
    await gql.ok(
        'mutation { fileObjection(listingId: "ECO-2024-1", reason: "个人理由", on: "2024-05-01") { id } }'
    )
    data = await gql.ok(
        """query { listing(id: "ECO-2024-1") { liablePersons { idNumber name birthDate }
            objections { reason } events { reason } } }""",
        actor=PUBLIC,
    )
    listing = data["listing"]
    assert listing["liablePersons"] == [
        {"idNumber": rep[:4] + "*" * 10 + rep[-4:], "name": "韦法人", "birthDate": None}
    ]
    assert listing["objections"] == [{"reason": None}]
    assert all(e["reason"] is None for e in listing["events"])


async def test_every_root_operation_is_in_the_role_matrix() -> None:
    schema = SDL_SCHEMA._schema
    assert schema.query_type is not None and schema.mutation_type is not None
    assert set(schema.query_type.fields) == set(QUERIES)
    assert set(schema.mutation_type.fields) == set(MUTATIONS)


def test_exported_sdl_is_current() -> None:
    from graphql_engine.export import SDL_FILE, current_sdl

    assert SDL_FILE.read_text(encoding="utf-8") == current_sdl(), "run credit-hub export-schema"


async def test_the_mutation_and_an_upload_make_the_same_fact(gql: GQL) -> None:
    from tests.test_import import graph_size

    firm, rep = await a_firm(gql)
    await gql.ok(LIST, {"input": listing_input(firm, liablePersons=[rep])}, actor=ECO)
    before = await graph_size(gql.store)
    record = f.listing(
        "ECO-2024-1", {"uscc": firm}, basis="《环境保护法》第六十三条", liablePersons=[rep]
    )
    report = await load(gql.store, [record], department="ECOENV", actor=ECO)
    assert report.unchanged == 1 and report.errors == []
    assert await graph_size(gql.store) == before
    missing = await gql(LIST, {"input": listing_input(f.uscc(), ident="ECO-2024-2")}, actor=ECO)
    assert missing.errors and missing.errors[0].extensions["field"] == "subject.uscc"
    assert "does not exist" in missing.errors[0].message
    taken = await gql(LIST, {"input": listing_input(firm, department="AMR", domain="FOOD_DRUG")})
    assert taken.errors and "already exists from ECOENV" in taken.errors[0].message
