"""双随机一公开 sampling, pure: tiers and ratios, reproducible draws, no related inspector."""

from __future__ import annotations

import hashlib
import random

from hub.rules.sampling import DEFAULT_RATIOS, assign, draw, ratios_refusal

POPULATION = (
    [(f"A{n:03d}", "A") for n in range(40)]
    + [(f"B{n:03d}", "B") for n in range(30)]
    + [(f"C{n:03d}", "C") for n in range(10)]
    + [(f"U{n:03d}", None) for n in range(10)]  # ungraded: drawn as C
    + [(f"D{n:03d}", "D") for n in range(3)]
)


def test_each_tier_is_drawn_at_its_ratio_rounded_up_and_ungraded_count_as_c() -> None:
    targets, counts = draw(POPULATION, DEFAULT_RATIOS, seed=7)
    assert [(c.tier, c.population, c.drawn) for c in counts] == [
        ("A", 40, 2),  # 5 % of 40
        ("B", 30, 6),  # 20 % of 30
        ("C", 20, 12),  # 60 % of 10 graded C and 10 ungraded
        ("D", 3, 3),  # all
    ]
    assert len(targets) == 23
    assert {t.key[0] for t in targets if t.tier == "C"} <= {"C", "U"}


def test_the_same_seed_draws_the_same_targets_and_another_seed_others() -> None:
    first, _ = draw(POPULATION, DEFAULT_RATIOS, seed=2026)
    again, _ = draw(list(reversed(POPULATION)), DEFAULT_RATIOS, seed=2026)
    other, _ = draw(POPULATION, DEFAULT_RATIOS, seed=2027)
    assert first == again
    assert first != other


def test_configured_ratios_replace_the_defaults_and_bad_ones_are_refused() -> None:
    _, counts = draw(POPULATION, {"A": 0.5, "D": 0.0}, seed=1)
    assert [c.drawn for c in counts] == [20, 6, 12, 0]
    assert ratios_refusal({"E": 0.1}) == "no tier 'E' (tiers are A, B, C, D)"
    assert ratios_refusal({"A": 1.5}) == "the ratio of tier A must be between 0 and 1"


def test_a_related_inspector_is_never_assigned_even_when_the_only_one_free() -> None:
    targets, _ = draw([("FIRM", "D"), ("OTHER", "D")], DEFAULT_RATIOS, seed=3)
    related = {"insp-1": {"FIRM"}, "insp-2": {"FIRM"}}
    out = assign(targets, ["insp-1", "insp-2", "insp-3"], related, per_target=2, seed=3)
    assert out.inspectors["FIRM"] == ["insp-3"]
    assert [(s.target, s.needed, s.eligible) for s in out.shortfalls] == [("FIRM", 2, 1)]
    assert len(out.inspectors["OTHER"]) == 2


def test_inspectors_are_spread_evenly_and_reproducibly() -> None:
    targets, _ = draw([(f"D{n}", "D") for n in range(9)], DEFAULT_RATIOS, seed=5)
    pool = ["i1", "i2", "i3"]
    out = assign(targets, pool, {}, per_target=2, seed=5)
    loads = [sum(i in chosen for chosen in out.inspectors.values()) for i in pool]
    assert loads == [6, 6, 6]
    assert out.inspectors == assign(targets, pool, {}, per_target=2, seed=5).inspectors
    assert out.inspectors != assign(targets, pool, {}, per_target=2, seed=6).inspectors


def test_assignment_is_the_plain_rule_least_loaded_then_the_seeds_order() -> None:
    """assign ranks only the inspectors that can be chosen (the speed of a county-wide plan);
    it must choose exactly as the rule reads: every unrelated inspector ordered by load, then
    by SHA-256 of seed, "inspector", target and inspector."""
    rng = random.Random(5)
    population = [(f"E{n:04d}", rng.choice(["A", "B", "C", "D", None])) for n in range(600)]
    targets, _ = draw(population, DEFAULT_RATIOS, seed=11)
    pool = [f"P{n:02d}" for n in range(9)]
    related = {p: {f"E{rng.randrange(600):04d}" for _ in range(150)} for p in pool}
    for per_target in (1, 2, 3, 9):
        load = dict.fromkeys(pool, 0)
        expected: dict[str, list[str]] = {}
        for target in targets:
            eligible = [i for i in pool if target.key not in related[i]]

            ranks = {
                i: hashlib.sha256(f"11:inspector:{target.key}:{i}".encode()).digest()
                for i in eligible
            }
            ordered = sorted(eligible, key=lambda i: (load[i], ranks[i]))
            expected[target.key] = ordered[:per_target]
            for i in expected[target.key]:
                load[i] += 1
        found = assign(targets, pool, related, per_target, seed=11)
        assert found.inspectors == expected
        assert {s.target for s in found.shortfalls} == {
            t for t, chosen in expected.items() if len(chosen) < per_target
        }
