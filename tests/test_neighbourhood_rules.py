"""Sharing a neighbourhood's edge budget between types: max-min fair, never over budget."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.rules.neighbourhood import fair_shares
from hub.store.graph import NEIGHBOUR_TYPES


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


class _Store:
    """The first hop of a centre with these edges per type, as the store pages them (sorted by
    key, after a type's cursor, ``size`` edges: the page plus one)."""

    def __init__(self, edges: dict[str, int]) -> None:
        self.edges = {t: [f"{t}:{i:04d}" for i in range(n)] for t, n in edges.items()}

    async def read(self, _work: Any, _label: str, _key: str, page_sizes: Any, after: Any) -> Any:
        degrees = {t: len(self.edges.get(t, [])) for t in NEIGHBOUR_TYPES}
        sizes = page_sizes(degrees)
        fetched = {
            t: [
                {"sortKey": k, "rel": {"type": t, "id": k}, "other": {"label": "Person", "key": k}}
                for k in self.edges.get(t, [])
                if k > after.get(t, "")
            ][:size]
            for t, size in sizes.items()
        }
        centre = {"label": "Enterprise", "key": "91451031MA5L000002", "props": {}}
        return {"centre": centre, "degrees": degrees}, fetched


class _Context:
    def __init__(self, store: _Store) -> None:
        self.store = store

    def today(self) -> Any:
        import datetime as dt

        return dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("edges", "limit"),
    [
        ({"LEGAL_REPRESENTATIVE_OF": 2, "PRINCIPAL_OF": 2, "CONTROLS": 2, "OFFICER_OF": 40}, 3),
        ({"LEGAL_REPRESENTATIVE_OF": 2, "OFFICER_OF": 5}, 1),
        ({"OFFICER_OF": 7, "HOLDS_SHARES": 3, "LOCATED_AT": 1}, 2),
    ],
)
async def test_following_end_cursor_returns_every_edge_once_and_ends(
    edges: dict[str, int], limit: int
) -> None:
    """Paging the whole neighbourhood with its endCursor: a used-up type gets no share of the
    budget any more (it kept its share and the cursor stalled, or never reached a type)."""
    from resolvers.neighbourhood import neighbourhood

    ctx: Any = _Context(_Store(edges))
    seen: list[str] = []
    after = None
    for _ in range(200):
        page = await neighbourhood(ctx, ("91451031MA5L000002", None), 1, limit, None, after)
        seen.extend(e["rel"]["id"] for _, e in page.edges)
        after = page.end_cursor
        if after is None:
            break
    assert after is None, "endCursor never ended"
    assert sorted(seen) == sorted(f"{t}:{i:04d}" for t, n in edges.items() for i in range(n))
