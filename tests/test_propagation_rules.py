"""Pure propagation and reach rules (no Neo4j)."""

from __future__ import annotations

import datetime as dt

from hub.rules.measures import PartyToken, Reach, Scenario, applies
from hub.rules.propagation import DerivedEntry, SourceListing, Tie, derived_id, propagate

D = dt.date.fromisoformat
START = D("2024-03-01")
FIRM = SourceListing("ECO-1", "BLACK", "Enterprise", START)


def tie(person: str, role: str, start: str | None = "2010-01-01", end: str | None = None) -> Tie:
    return Tie(person, role, D(start) if start else None, D(end) if end else None)


def by_person(entries: list[DerivedEntry]) -> dict[str, DerivedEntry]:
    return {e.id_number: e for e in entries}


def test_roles_held_on_effective_from_reach_their_holder() -> None:
    entries = propagate(
        FIRM,
        [
            tie("rep", "LEGAL_REPRESENTATIVE"),
            tie("boss", "PRINCIPAL"),
            tie("owner", "ACTUAL_CONTROLLER"),
            tie("cfo", "SENIOR_MANAGER"),
        ],
        [],
    )
    found = by_person(entries)
    assert {k: v.parties for k, v in found.items()} == {
        "boss": (PartyToken.PRINCIPAL,),
        "cfo": (PartyToken.SENIOR_MANAGER,),
        "owner": (PartyToken.ACTUAL_CONTROLLER,),
        "rep": (PartyToken.LEGAL_REPRESENTATIVE,),
    }


def test_validity_is_inclusive_and_decided_on_effective_from() -> None:
    entries = propagate(
        FIRM,
        [
            tie("left-before", "LEGAL_REPRESENTATIVE", "2010-01-01", "2024-02-29"),
            tie("left-that-day", "LEGAL_REPRESENTATIVE", "2010-01-01", "2024-03-01"),
            tie("joined-that-day", "LEGAL_REPRESENTATIVE", "2024-03-01"),
            tie("joined-after", "LEGAL_REPRESENTATIVE", "2024-03-02"),
            tie("open-start", "PRINCIPAL", None),
        ],
        [],
    )
    assert sorted(by_person(entries)) == ["joined-that-day", "left-that-day", "open-start"]


def test_ordinary_directors_shareholders_practitioners_supervisors_are_not_reached() -> None:
    ties = [
        tie("d", "DIRECTOR"),
        tie("s", "SHAREHOLDER"),
        tie("p", "PRACTITIONER"),
        tie("sup", "SUPERVISOR"),
    ]
    assert propagate(FIRM, ties, []) == []


def test_named_liable_persons_get_liable_tokens_for_roles_they_held() -> None:
    ties = [
        tie("d", "DIRECTOR"),
        tie("s", "SHAREHOLDER"),
        tie("s-gone", "SHAREHOLDER", "2010-01-01", "2020-01-01"),
        tie("p", "PRACTITIONER"),
        tie("rep", "LEGAL_REPRESENTATIVE"),
    ]
    found = by_person(propagate(FIRM, ties, ["d", "s", "s-gone", "p", "rep", "outsider"]))
    assert found["d"].parties == (PartyToken.LIABLE_DIRECTOR, PartyToken.LIABLE_PERSON)
    assert found["s"].parties == (PartyToken.LIABLE_SHAREHOLDER, PartyToken.LIABLE_PERSON)
    assert found["s-gone"].parties == (PartyToken.LIABLE_PERSON,)
    assert found["p"].parties == (PartyToken.LIABLE_PRACTITIONER, PartyToken.LIABLE_PERSON)
    assert found["rep"].parties == (PartyToken.LEGAL_REPRESENTATIVE, PartyToken.LIABLE_PERSON)
    assert found["outsider"].roles == () and found["outsider"].liable


def test_one_entry_per_person_with_every_role() -> None:
    entries = propagate(
        FIRM,
        [
            tie("x", "LEGAL_REPRESENTATIVE"),
            tie("x", "SENIOR_MANAGER"),
            tie("x", "ACTUAL_CONTROLLER"),
        ],
        [],
    )
    assert len(entries) == 1
    assert entries[0].roles == ("ACTUAL_CONTROLLER", "LEGAL_REPRESENTATIVE", "SENIOR_MANAGER")
    assert entries[0].id == derived_id("ECO-1", "x") == "ECO-1:x"


def test_undeclared_controller_is_not_reached() -> None:
    inferred = Tie("x", "ACTUAL_CONTROLLER", None, None, declared=False)
    assert propagate(FIRM, [inferred], []) == []


def test_only_black_listings_of_enterprises_propagate() -> None:
    ties = [tie("rep", "LEGAL_REPRESENTATIVE")]
    assert propagate(SourceListing("W", "WATCH", "Enterprise", START), ties, []) == []
    assert propagate(SourceListing("R", "RED", "Enterprise", START), ties, []) == []
    assert propagate(SourceListing("P", "BLACK", "Person", START), ties, []) == []
    derived = SourceListing("ECO-1:x", "BLACK", "Enterprise", START, derived=True)
    assert propagate(derived, ties, []) == []


def test_tie_from_row() -> None:
    t = Tie.of({"idNumber": "x", "role": None, "from": START, "to": None, "declared": None})
    assert t.role == "SHAREHOLDER" and t.declared


HIGH = {
    "scenarios": ["HIGH_CONSUMPTION"],
    "lists": ["BLACK"],
    "sources": ["COURT"],
    "reaches": ["SUBJECT", "LEGAL_REPRESENTATIVE", "ACTUAL_CONTROLLER", "LIABLE_PERSON"],
}


def test_reach_follows_scenario_list_source_and_party() -> None:
    court = Reach("BLACK", "COURT", ("ACTUAL_CONTROLLER",), "ENTERPRISE")
    assert applies(HIGH, Scenario.HIGH_CONSUMPTION, court)
    assert not applies(HIGH, Scenario.HONORS, court)
    admin = Reach("BLACK", "ADMINISTRATIVE", ("ACTUAL_CONTROLLER",), "ENTERPRISE")
    assert not applies(HIGH, Scenario.HIGH_CONSUMPTION, admin)
    senior = Reach("BLACK", "COURT", ("SENIOR_MANAGER",), "ENTERPRISE")
    assert not applies(HIGH, Scenario.HIGH_CONSUMPTION, senior)


def test_reach_subject_kinds_public_servants_and_all_scenarios() -> None:
    subsidy = {
        "scenarios": ["POLICY_SUBSIDY"],
        "lists": ["BLACK"],
        "reaches": ["SUBJECT"],
        "subjectKinds": ["PERSON", "COOPERATIVE"],
    }
    assert applies(subsidy, Scenario.POLICY_SUBSIDY, Reach("BLACK", "LOAN", ("SUBJECT",), "PERSON"))
    assert not applies(
        subsidy, Scenario.POLICY_SUBSIDY, Reach("BLACK", "LOAN", ("SUBJECT",), "ENTERPRISE")
    )
    servant = {**subsidy, "scenarios": ["PROMOTION"], "requiresPublicServant": True}
    clerk = Reach("BLACK", "ADMINISTRATIVE", ("SUBJECT",), "PERSON", public_servant=True)
    farmer = Reach("BLACK", "ADMINISTRATIVE", ("SUBJECT",), "PERSON")
    assert applies(servant, Scenario.PROMOTION, clerk)
    assert not applies(servant, Scenario.PROMOTION, farmer)
    watch = {"scenarios": ["*"], "lists": ["WATCH"], "reaches": ["SUBJECT"]}
    for scenario in Scenario:
        assert applies(
            watch, scenario, Reach("WATCH", "ADMINISTRATIVE", ("SUBJECT",), "ENTERPRISE")
        )
