"""Ownership arithmetic without Neo4j: hand-computed stories and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.rules.ownership import (
    ENTERPRISE,
    PERSON,
    ControllerBasis,
    Cut,
    Direction,
    Holding,
    NodeKey,
    OwnerBasis,
    Tie,
    analyse,
    walk,
)
from hub.rules.penetration import tree

DAY = dt.date(2024, 6, 1)
_keys = itertools.count(1)


def E(code: str) -> NodeKey:
    return (ENTERPRISE, code)


def P(code: str) -> NodeKey:
    return (PERSON, code)


def hold(
    holder: NodeKey,
    company: str,
    share: float,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Holding:
    return Holding(f"h{next(_keys)}", holder, company, share, start, end)


def shares_of(result: object) -> dict[NodeKey, float]:
    return {e.node: e.share for e in result.owners}  # type: ignore[attr-defined]


# -- hand-computed stories ------------------------------------------------------------------


def test_two_path_owner_adds_its_paths() -> None:
    # P holds 60 % of A, A holds 50 % of T, and P holds 20 % of T directly: 0.6×0.5 + 0.2 = 0.5.
    graph = [hold(P("p"), "A", 0.6), hold(E("A"), "T", 0.5), hold(P("p"), "T", 0.2)]
    result = analyse("T", graph, [], as_of=DAY)
    owner = next(e for e in result.owners if e.node == P("p"))
    assert owner.share == pytest.approx(0.5)
    assert sorted(len(p.steps) for p in owner.paths) == [1, 2]
    assert [b.node for b in result.beneficial_owners] == [P("p")]
    assert not result.truncated
    # exactly 50 % is not "more than 50 %": no inferred controller
    assert result.controllers == []


def test_ten_level_chain_reaches_the_person_only_at_depth_ten() -> None:
    chain = [f"C{i}" for i in range(10)]  # C0 is the subject
    graph = [hold(E(chain[i + 1]), chain[i], 0.9) for i in range(9)]
    graph.append(hold(P("top"), chain[9], 0.9))
    deep = analyse("C0", graph, [], as_of=DAY, max_depth=10)
    top = next(e for e in deep.owners if e.node == P("top"))
    assert top.share == pytest.approx(0.9**10)  # 0.3487
    assert len(top.paths[0].steps) == 10
    assert not deep.truncated
    shallow = analyse("C0", graph, [], as_of=DAY, max_depth=9)
    assert P("top") not in shares_of(shallow)
    assert shallow.cuts == {Cut.MAX_DEPTH}


def test_cross_holding_cycle_counts_each_simple_path_once() -> None:
    # A and B hold T (60/40) and each other (A 20 % by B, B 30 % by A); P holds 80 % of A,
    # Q 70 % of B. Simple paths from T: P = 0.6×0.8 + 0.4×0.3×0.8 = 0.576,
    # Q = 0.4×0.7 + 0.6×0.2×0.7 = 0.364.
    graph = [
        hold(E("A"), "T", 0.6),
        hold(E("B"), "T", 0.4),
        hold(E("B"), "A", 0.2),
        hold(E("A"), "B", 0.3),
        hold(P("p"), "A", 0.8),
        hold(P("q"), "B", 0.7),
    ]
    result = analyse("T", graph, [], as_of=DAY)
    got = shares_of(result)
    assert got[P("p")] == pytest.approx(0.576)
    assert got[P("q")] == pytest.approx(0.364)
    assert got[E("A")] == pytest.approx(0.6 + 0.4 * 0.3)
    assert not result.truncated
    (controller,) = result.controllers
    assert controller.node == P("p") and controller.basis is ControllerBasis.INFERRED
    for entry in result.owners:
        for path in entry.paths:
            visited = [("Enterprise", "T")] + [s.holder for s in path.steps]
            assert len(visited) == len(set(visited))


def test_threshold_is_inclusive() -> None:
    graph = [
        hold(P("exact"), "A", 0.5),
        hold(E("A"), "T", 0.5),
        hold(P("under"), "T", 0.2499),
        hold(P("sum"), "T", 0.1),
        hold(P("sum"), "B", 1.0),
        hold(E("B"), "T", 0.15),
    ]
    result = analyse("T", graph, [], as_of=DAY, threshold=0.25)
    owners = {b.node for b in result.beneficial_owners}
    assert owners == {P("exact"), P("sum")}  # 0.5×0.5 = 0.25 and 0.1 + 0.15 = 0.25


def test_share_ended_before_as_of_does_not_count() -> None:
    graph = [
        hold(P("old"), "T", 0.6, dt.date(2010, 1, 1), dt.date(2020, 12, 31)),
        hold(P("new"), "T", 0.6, dt.date(2021, 1, 1)),
    ]
    now = analyse("T", graph, [], as_of=DAY)
    assert set(shares_of(now)) == {P("new")}
    then = analyse("T", graph, [], as_of=dt.date(2020, 12, 31))
    assert set(shares_of(then)) == {P("old")}


def test_no_person_above_threshold_falls_back_to_management() -> None:
    graph = [hold(P(f"p{i}"), "T", 0.2) for i in range(5)]
    ties = [
        Tie(P("rep"), "LEGAL_REPRESENTATIVE", dt.date(2015, 1, 1)),
        Tie(P("gone"), "LEGAL_REPRESENTATIVE", dt.date(2010, 1, 1), dt.date(2014, 12, 31)),
        Tie(P("boss"), "PRINCIPAL"),
    ]
    result = analyse("T", graph, ties, as_of=DAY)
    assert result.fallback
    got = {(b.node, b.basis, b.role) for b in result.beneficial_owners}
    assert got == {
        (P("rep"), OwnerBasis.MANAGEMENT, "LEGAL_REPRESENTATIVE"),
        (P("boss"), OwnerBasis.MANAGEMENT, "PRINCIPAL"),
    }


def test_declared_controller_wins_over_inferred() -> None:
    graph = [hold(P("major"), "T", 0.7), hold(P("minor"), "T", 0.3)]
    declared = analyse("T", graph, [Tie(P("ctl"), "ACTUAL_CONTROLLER")], as_of=DAY)
    (controller,) = declared.controllers
    assert controller.node == P("ctl") and not controller.inferred
    assert controller.share is None
    # the declared natural person is a beneficial owner by control, besides the owners
    bases = {b.node: b.basis for b in declared.beneficial_owners}
    assert bases == {
        P("major"): OwnerBasis.OWNERSHIP,
        P("minor"): OwnerBasis.OWNERSHIP,
        P("ctl"): OwnerBasis.CONTROL,
    }
    inferred = analyse("T", graph, [], as_of=DAY)
    (controller,) = inferred.controllers
    assert controller.node == P("major") and controller.inferred
    assert controller.share == pytest.approx(0.7)
    ended = analyse(
        "T", graph, [Tie(P("ctl"), "ACTUAL_CONTROLLER", None, dt.date(2020, 1, 1))], as_of=DAY
    )
    assert [c.node for c in ended.controllers] == [P("major")]


def test_top_entity_can_be_the_inferred_controller_but_not_a_middle_one() -> None:
    # S (state-owned, no holders) holds 80 % of A, A holds 70 % of T: S = 0.56 > 50 %.
    graph = [hold(E("S"), "A", 0.8), hold(E("A"), "T", 0.7), hold(P("p"), "T", 0.3)]
    result = analyse("T", graph, [], as_of=DAY)
    assert [(c.node, c.basis) for c in result.controllers] == [(E("S"), ControllerBasis.INFERRED)]
    # A holds 70 % but has a holder itself: not a top entity
    assert E("A") in shares_of(result)


def test_path_cap_truncates_a_dense_graph() -> None:
    companies = [f"K{i}" for i in range(8)]
    graph = [
        hold(E(a), b, 0.1) for a, b in itertools.permutations(companies, 2)
    ]  # every company holds 10 % of every other
    graph += [hold(E(c), "T", 0.1) for c in companies]
    result = analyse("T", graph, [], as_of=DAY, path_cap=500)
    assert result.cuts == {Cut.PATH_CAP}
    assert result.path_count == 500


def test_over_allocated_company_is_a_warning() -> None:
    graph = [hold(P("a"), "T", 0.7), hold(P("b"), "T", 0.6)]
    result = analyse("T", graph, [], as_of=DAY)
    assert result.warnings == ["holdings of T add up to more than 100 % on 2024-06-01"]


def test_tree_down_with_min_share_and_duplicated_branches() -> None:
    # R holds 60 % of A and 40 % of B; A and B each hold 50 % of C.
    graph = [
        hold(E("R"), "A", 0.6),
        hold(E("R"), "B", 0.4),
        hold(E("A"), "C", 0.5),
        hold(E("B"), "C", 0.5),
    ]
    full = tree(E("R"), graph, Direction.DOWN, 5, as_of=DAY)
    assert [n.node for n in full.nodes] == [E("R"), E("A"), E("C"), E("B"), E("C")]
    assert full.nodes[2].parent == 1 and full.nodes[4].parent == 3
    assert full.totals[E("C")] == pytest.approx(0.5)
    pruned = tree(E("R"), graph, Direction.DOWN, 5, as_of=DAY, min_share=0.25)
    assert [n.node for n in pruned.nodes] == [E("R"), E("A"), E("C"), E("B")]
    capped = tree(E("R"), graph, Direction.DOWN, 5, as_of=DAY, node_cap=3)
    assert len(capped.nodes) == 3 and capped.cuts == {Cut.PATH_CAP}


# -- properties -------------------------------------------------------------------------------


@st.composite
def ownership_graphs(draw: st.DrawFn, cycles: bool) -> list[Holding]:
    """Companies C0..Cn (C0 the subject) and persons; each company's holders hold <= 100 %.

    Cycle-free: a company is held only by persons and companies of a higher index."""
    n = draw(st.integers(1, 7))
    persons = draw(st.integers(1, 4))
    graph: list[Holding] = []
    for i in range(n):
        candidates = [P(f"p{j}") for j in range(persons)]
        candidates += [E(f"C{j}") for j in range(n) if (j != i if cycles else j > i)]
        chosen = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=5))
        if not chosen:
            continue
        weights = draw(st.lists(st.integers(1, 100), min_size=len(chosen), max_size=len(chosen)))
        total = draw(st.integers(1, 100)) / 100
        scale = total / sum(weights)
        for holder, weight in zip(chosen, weights, strict=True):
            graph.append(hold(holder, f"C{i}", weight * scale))
    return graph


@given(ownership_graphs(cycles=False))
@settings(max_examples=300, deadline=None)
def test_ultimate_holders_of_a_cycle_free_company_hold_at_most_everything(
    graph: list[Holding],
) -> None:
    result = walk(E("C0"), graph, Direction.UP, 10, as_of=DAY)
    assert not result.cuts
    analysis = analyse("C0", graph, [], as_of=DAY, threshold=1e-9)
    ultimate = sum(e.share for e in analysis.owners if e.ultimate)
    assert ultimate <= 1 + 1e-9


@given(ownership_graphs(cycles=True), st.integers(1, 10))
@settings(max_examples=300, deadline=None)
def test_cycles_never_make_a_share_exceed_one(graph: list[Holding], depth: int) -> None:
    analysis = analyse("C0", graph, [], as_of=DAY, threshold=1e-9, max_depth=depth)
    for entry in analysis.owners:
        assert entry.share <= 1 + 1e-9
        for path in entry.paths:
            nodes = [E("C0")] + [s.holder for s in path.steps]
            assert len(nodes) == len(set(nodes)) and len(path.steps) <= depth
    persons = sum(e.share for e in analysis.owners if e.is_person)
    assert persons <= 1 + 1e-9


@given(ownership_graphs(cycles=True), st.floats(0.01, 1.0), st.floats(0.01, 1.0))
@settings(max_examples=200, deadline=None)
def test_owners_are_monotonic_in_the_threshold(
    graph: list[Holding], low: float, high: float
) -> None:
    low, high = min(low, high), max(low, high)
    loose = {e.node for e in analyse("C0", graph, [], as_of=DAY, threshold=low).owners}
    strict = {e.node for e in analyse("C0", graph, [], as_of=DAY, threshold=high).owners}
    assert strict <= loose


@given(ownership_graphs(cycles=True), st.integers(1, 6))
@settings(max_examples=200, deadline=None)
def test_a_deeper_walk_never_lowers_a_share(graph: list[Holding], depth: int) -> None:
    shallow = analyse("C0", graph, [], as_of=DAY, threshold=1e-9, max_depth=depth)
    deep = shares_of(analyse("C0", graph, [], as_of=DAY, threshold=1e-9, max_depth=depth + 1))
    for entry in shallow.owners:
        assert deep[entry.node] >= entry.share - 1e-12


@given(ownership_graphs(cycles=True))
@settings(max_examples=100, deadline=None)
def test_tree_totals_match_effective_shares(graph: list[Holding]) -> None:
    analysis = shares_of(analyse("C0", graph, [], as_of=DAY, threshold=1e-9))
    drawn = tree(E("C0"), graph, Direction.UP, 10, as_of=DAY, node_cap=100_000)
    assert drawn.totals.keys() == analysis.keys()
    for node, total in drawn.totals.items():
        assert total == pytest.approx(analysis[node])
