"""Sharing a neighbourhood's edge budget between types: max-min fair, never over budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hub.rules.neighbourhood import fair_shares


def test_small_types_are_served_in_full_beside_a_super_node() -> None:
    got = fair_shares({"LEGAL_REPRESENTATIVE_OF": 3, "OFFICER_OF": 5000, "REACHABLE_AT": 1}, 200)
    assert got == {"LEGAL_REPRESENTATIVE_OF": 3, "OFFICER_OF": 196, "REACHABLE_AT": 1}


def test_equal_types_split_evenly_and_leftovers_go_in_order() -> None:
    assert fair_shares({"a": 10, "b": 10, "c": 10}, 20) == {"a": 7, "b": 7, "c": 6}
    assert fair_shares({"a": 5, "b": 5}, 0) == {"a": 0, "b": 0}


def test_a_small_budget_skips_what_has_nothing() -> None:
    # Found by the property below: a budget smaller than the number of names went to the first
    # names in order even when they had nothing (a neighbourhood of limit 1 returned no edge).
    assert fair_shares({"a": 0, "b": 0}, 1) == {"a": 0, "b": 0}
    assert fair_shares({"a": 0, "b": 0, "c": 4}, 1) == {"a": 0, "b": 0, "c": 1}


@given(st.dictionaries(st.sampled_from("abcdefghi"), st.integers(0, 500)), st.integers(0, 1000))
def test_fair_shares_properties(available: dict[str, int], budget: int) -> None:
    got = fair_shares(available, budget)
    assert got.keys() == available.keys()
    assert all(0 <= got[k] <= available[k] for k in available)
    assert sum(got.values()) == min(budget, sum(available.values()))
    # max-min fair: a type that did not get all it has got at least as much as any other, less one
    for k, v in got.items():
        if v < available[k]:
            assert all(other <= v + 1 for other in got.values())
