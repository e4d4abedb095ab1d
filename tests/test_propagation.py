"""Propagation stories against real Neo4j: who a listed enterprise's punishment reaches, and how
derived entries follow their source. Read through the public API (person.creditRecord)."""

from __future__ import annotations

from typing import Any

import pytest

from hub.rules.measures import Reach, Scenario, applies
from tests import factories as f
from tests.conftest import GQL, load
from tests.test_import import count, graph_size

pytestmark = pytest.mark.neo4j

RECORD = """
query ($id: String!, $asOf: Date) {
  person(idNumber: $id) {
    creditRecord(asOf: $asOf) {
      asOf aggravated
      entries {
        id derived parties roles liable status
        period { from to }
        enterprise { uscc name kind }
        listing { id list domain source status effectiveFrom }
      }
    }
  }
}
"""

MEASURES = """
query ($scenario: Scenario) {
  measures(scenario: $scenario) { code effect lists sources reaches subjectKinds requiresPublicServant scenarios }
}
"""


async def record(gql: GQL, person: str, as_of: str = "2024-06-01") -> list[dict[str, Any]]:
    data = await gql.ok(RECORD, {"id": person, "asOf": as_of})
    entries: list[dict[str, Any]] = data["person"]["creditRecord"]["entries"]
    return entries


async def reaching(gql: GQL, scenario: Scenario, entry: dict[str, Any]) -> set[str]:
    """Codes of the catalogue measures that reach this entry in the scenario (pure rule)."""
    data = await gql.ok(MEASURES, {"scenario": scenario.value})
    reach = Reach(
        list=entry["listing"]["list"],
        source=entry["listing"]["source"],
        parties=tuple(entry["parties"]),
        subject_kind=entry["enterprise"]["kind"] if entry["enterprise"] else "PERSON",
    )
    measures = [{**m, "scenarios": [scenario.value]} for m in data["measures"]]
    return {m["code"] for m in measures if applies(m, scenario, reach)}


async def test_legal_rep_who_left_before_the_listing_is_not_reached(gql: GQL) -> None:
    firm, former, current = f.uscc(), f.id_number("1962-01-01"), f.id_number("1980-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林恒通运输有限公司"),
            f.person(former, "岑老板"),
            f.person(current, "农新任"),
            f.role(former, firm, "LEGAL_REPRESENTATIVE", "2012-01-01", "2024-02-29"),
            f.role(current, firm, "LEGAL_REPRESENTATIVE", "2024-03-01"),
            f.listing("ECO-2024-7", {"uscc": firm}, start="2024-03-01"),
        ],
    )
    assert await record(gql, former) == []
    (entry,) = await record(gql, current)
    assert entry["id"] == f"ECO-2024-7:{current}" and entry["derived"]
    assert entry["parties"] == ["LEGAL_REPRESENTATIVE"] and entry["roles"] == [
        "LEGAL_REPRESENTATIVE"
    ]
    assert entry["enterprise"]["uscc"] == firm and entry["listing"]["id"] == "ECO-2024-7"
    assert entry["period"] == {"from": "2024-03-01", "to": None}
    assert entry["status"] == "ACTIVE"


async def test_legal_rep_who_joined_after_the_listing_is_not_reached(gql: GQL) -> None:
    firm, incumbent, newcomer = f.uscc(), f.id_number("1965-01-01"), f.id_number("1990-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林锦程建筑工程有限公司"),
            f.person(incumbent, "陆在任"),
            f.person(newcomer, "梁后来"),
            f.role(incumbent, firm, "LEGAL_REPRESENTATIVE", "2015-01-01", "2024-06-30"),
            f.role(newcomer, firm, "LEGAL_REPRESENTATIVE", "2024-07-01"),
            f.listing("HOU-2024-3", {"uscc": firm}, domain="CONSTRUCTION", department="HOUSING"),
        ],
    )
    assert await record(gql, newcomer, "2024-08-01") == []
    (entry,) = await record(gql, incumbent, "2024-08-01")
    assert entry["status"] == "ACTIVE"  # left since, still reached: decided on effectiveFrom


async def test_liable_shareholder_reached_for_honors_but_ordinary_shareholder_not(gql: GQL) -> None:
    firm, liable, ordinary = f.uscc(), f.id_number("1971-03-03"), f.id_number("1972-04-04")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林鑫源食品有限公司"),
            f.person(liable, "潘股东"),
            f.person(ordinary, "蒙股东"),
            f.share({"idNumber": liable}, firm, 0.4),
            f.share({"idNumber": ordinary}, firm, 0.6),
            f.listing(
                "AMR-2024-9",
                {"uscc": firm},
                domain="FOOD_DRUG",
                department="AMR",
                liablePersons=[liable],
            ),
        ],
    )
    assert await record(gql, ordinary) == []
    (entry,) = await record(gql, liable)
    assert entry["parties"] == ["LIABLE_SHAREHOLDER", "LIABLE_PERSON"] and entry["liable"]
    assert entry["roles"] == ["SHAREHOLDER"]
    assert await reaching(gql, Scenario.HONORS, entry) == {"ADM-HONORS"}
    assert await reaching(gql, Scenario.MARKET_ENTRY, entry) == {"IND-MARKET-ENTRY-BAN"}
    assert await reaching(gql, Scenario.FISCAL_FUNDS, entry) == set()


async def test_court_listing_reaches_declared_controller_for_high_consumption(gql: GQL) -> None:
    debtor, polluter = f.uscc(), f.uscc()
    controller = f.id_number("1968-08-08")
    await load(
        gql.store,
        [
            f.enterprise(debtor, "隆林瑞丰矿业有限公司"),
            f.enterprise(polluter, "隆林瑞丰化工有限公司"),
            f.person(controller, "韦实控"),
            f.role(controller, debtor, "ACTUAL_CONTROLLER"),
            f.role(controller, polluter, "ACTUAL_CONTROLLER"),
            f.court_default("C-2024-101", {"uscc": debtor}, ground=1),
            f.listing("ECO-2024-55", {"uscc": polluter}),
        ],
    )
    entries = {e["listing"]["source"]: e for e in await record(gql, controller)}
    assert set(entries) == {"COURT", "ADMINISTRATIVE"}
    assert (
        entries["COURT"]["parties"] == entries["ADMINISTRATIVE"]["parties"] == ["ACTUAL_CONTROLLER"]
    )
    assert await reaching(gql, Scenario.HIGH_CONSUMPTION, entries["COURT"]) == {
        "MKT-HIGH-CONSUMPTION"
    }
    assert await reaching(gql, Scenario.HIGH_CONSUMPTION, entries["ADMINISTRATIVE"]) == set()
    # A declared actual controller propagates like a legal representative (DESIGN.md; the
    # seed's 二(十二) names 实际控制人): market entry and honours reach it from either listing.
    for entry in entries.values():
        assert await reaching(gql, Scenario.HONORS, entry) == {"ADM-HONORS"}
        assert await reaching(gql, Scenario.MARKET_ENTRY, entry) == {"IND-MARKET-ENTRY-BAN"}


async def test_no_downward_propagation_to_companies_owned_or_controlled(gql: GQL) -> None:
    parent, child, owned = f.uscc(), f.uscc(), f.uscc()
    owner, child_rep, parent_rep = (
        f.id_number("1960-01-01"),
        f.id_number("1985-01-01"),
        f.id_number("1966-01-01"),
    )
    await load(
        gql.store,
        [
            f.enterprise(parent, "隆林德隆控股有限公司"),
            f.enterprise(child, "隆林德隆子公司有限公司"),
            f.enterprise(owned, "隆林自然人投资有限公司"),
            f.person(owner, "马投资"),
            f.person(child_rep, "赵子代表"),
            f.person(parent_rep, "周母代表"),
            f.share({"uscc": parent}, child, 0.9),
            {
                **f.role(owner, child, "ACTUAL_CONTROLLER"),
                "idNumber": None,
                "holder": {"uscc": parent},
            },
            f.role(child_rep, child, "LEGAL_REPRESENTATIVE"),
            f.role(parent_rep, parent, "LEGAL_REPRESENTATIVE"),
            f.share({"idNumber": owner}, owned, 1.0),
            f.role(owner, owned, "ACTUAL_CONTROLLER"),
            f.listing("TAX-2024-1", {"uscc": parent}, domain="TAX", department="TAX"),
            f.listing("TAX-2024-2", {"idNumber": owner}, domain="TAX", department="TAX"),
        ],
    )
    for company in (child, owned):
        data = await gql.ok(
            'query ($u: String!) { enterprise(uscc: $u) { listings(asOf: "2024-06-01") { id } } }',
            {"u": company},
        )
        assert data["enterprise"]["listings"] == []
    assert await record(gql, child_rep) == []
    (own,) = await record(gql, owner)
    assert own["id"] == "TAX-2024-2" and not own["derived"] and own["parties"] == ["SUBJECT"]
    assert [e["id"] for e in await record(gql, parent_rep)] == [f"TAX-2024-1:{parent_rep}"]
    derived = await count(gql.store, "MATCH (d:Listing {derived: true}) RETURN count(d)")
    assert derived == 1


async def test_repropagation_is_idempotent_and_a_correction_retracts(gql: GQL) -> None:
    firm, rep, cfo, outsider = (
        f.uscc(),
        f.id_number("1970-01-01"),
        f.id_number("1981-01-01"),
        f.id_number("1990-09-09"),
    )
    people = [
        f.enterprise(firm, "隆林百旺商贸有限公司"),
        f.person(rep, "黄代表"),
        f.person(cfo, "罗财务"),
        f.person(outsider, "王直接责任"),
        f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
        f.role(cfo, firm, "SENIOR_MANAGER"),
    ]
    listing = f.listing("ECO-2024-88", {"uscc": firm}, liablePersons=[outsider])
    await load(gql.store, [*people, listing])
    before = await graph_size(gql.store)
    await load(gql.store, [listing])
    await load(gql.store, [*people, listing])
    assert await graph_size(gql.store) == before
    assert len(await record(gql, outsider)) == 1
    # The department corrects its decision: the outsider was not responsible after all.
    await load(gql.store, [f.listing("ECO-2024-88", {"uscc": firm})])
    assert await record(gql, outsider) == []
    retracted = await count(
        gql.store, "MATCH (d:Listing {derived: true, retracted: true}) RETURN count(d)"
    )
    assert retracted == 1  # kept, not deleted
    assert {e["id"] for e in await record(gql, rep)} == {f"ECO-2024-88:{rep}"}


async def test_derived_entries_suspended_ended_and_restored_with_their_source(gql: GQL) -> None:
    firm, rep = f.uscc(), f.id_number("1970-01-01")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林山泉饮品有限公司"),
            f.person(rep, "覃代表"),
            f.role(rep, firm, "LEGAL_REPRESENTATIVE"),
            f.listing("AMR-2024-31", {"uscc": firm}, domain="FOOD_DRUG", department="AMR"),
        ],
    )
    filed = await gql.ok(
        'mutation { fileObjection(listingId: "AMR-2024-31", reason: "处罚决定已被复议撤销", on: "2024-05-01") { id status } }'
    )
    objection = filed["fileObjection"]["id"]

    async def derived_state(day: str) -> str:
        (entry,) = await record(gql, rep, day)
        assert entry["status"] == entry["listing"]["status"]
        return str(entry["status"])

    assert await derived_state("2024-04-30") == "ACTIVE"
    assert await derived_state("2024-05-01") == "SUSPENDED"
    await gql.ok(
        'mutation ($id: String!) { resolveObjection(id: $id, upheld: false, reason: "经核实无误", on: "2024-06-01") { status } }',
        {"id": objection},
    )
    assert await derived_state("2024-05-31") == "SUSPENDED"
    assert await derived_state("2024-06-01") == "ACTIVE"  # restored with the source
    await gql.ok(
        'mutation { endListing(id: "AMR-2024-31", reason: "已履行处罚决定", kind: ENDED, on: "2025-01-10") { status } }'
    )
    assert await derived_state("2025-01-09") == "ACTIVE"
    assert await derived_state("2025-01-10") == "ENDED"


async def test_credit_record_lists_own_and_derived_entries(gql: GQL) -> None:
    firm, boss = f.uscc(), f.id_number("1969-09-09")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林永盛电力有限公司"),
            f.person(boss, "杨董事长"),
            f.role(boss, firm, "LEGAL_REPRESENTATIVE"),
            f.role(boss, firm, "DIRECTOR"),
            f.role(boss, firm, "SENIOR_MANAGER"),
            f.listing(
                "EMG-2024-2",
                {"uscc": firm},
                domain="WORK_SAFETY",
                department="EMERGENCY",
                liablePersons=[boss],
            ),
            f.loan_default("B-2024-9", {"idNumber": boss}),
        ],
    )
    entries = {e["id"]: e for e in await record(gql, boss)}
    assert set(entries) == {f"EMG-2024-2:{boss}", "B-2024-9"}
    derived = entries[f"EMG-2024-2:{boss}"]
    assert derived["parties"] == [
        "LEGAL_REPRESENTATIVE",
        "SENIOR_MANAGER",
        "LIABLE_DIRECTOR",
        "LIABLE_PERSON",
    ]
    assert derived["roles"] == ["DIRECTOR", "LEGAL_REPRESENTATIVE", "SENIOR_MANAGER"]
    own = entries["B-2024-9"]
    assert not own["derived"] and own["listing"]["domain"] == "FINANCE_LOAN"
    assert own["enterprise"] is None


async def test_registration_data_arriving_after_the_listing_still_propagates(gql: GQL) -> None:
    firm, rep = f.uscc(), f.id_number("1977-07-07")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林广源商贸有限公司"),
            f.person(rep, "龚代表"),
            f.listing("ECO-2024-90", {"uscc": firm}),
        ],
    )
    assert await record(gql, rep) == []
    await load(gql.store, [f.role(rep, firm, "LEGAL_REPRESENTATIVE", "2020-01-01")])
    assert [e["id"] for e in await record(gql, rep)] == [f"ECO-2024-90:{rep}"]
    # Corrected: the person had left before the listing took effect.
    await load(gql.store, [f.role(rep, firm, "LEGAL_REPRESENTATIVE", "2020-01-01", "2023-12-31")])
    assert await record(gql, rep) == []


async def test_roles_and_shareholdings_in_one_upload_re_derive_once(
    gql: GQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both kinds re-derive the listings at their enterprises; in one unit that runs once,
    after both are written."""
    from hub.store import propagation

    firm, rep, holder = f.uscc(), f.id_number("1977-07-07"), f.id_number("1966-06-06")
    await load(
        gql.store,
        [
            f.enterprise(firm, "隆林广源商贸有限公司"),
            f.person(rep, "龚代表"),
            f.person(holder, "韦股东"),
            f.listing("ECO-2024-91", {"uscc": firm}),
        ],
    )
    calls: list[list[str]] = []
    original = propagation.listed_at

    async def counting(tx: Any, usccs: list[str]) -> list[str]:
        calls.append(usccs)
        return await original(tx, usccs)

    monkeypatch.setattr(propagation, "listed_at", counting)
    await load(
        gql.store,
        [
            f.role(rep, firm, "LEGAL_REPRESENTATIVE", "2020-01-01"),
            f.share({"idNumber": holder}, firm, 0.5, "2020-01-01"),
        ],
    )
    assert calls == [[firm]]  # once for the unit, not once per kind
    assert [e["id"] for e in await record(gql, rep)] == [f"ECO-2024-91:{rep}"]
