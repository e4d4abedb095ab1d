"""双随机一公开 sampling (pure): draw inspection targets per grade tier, assign inspectors.

Both draws are reproducible from the plan's seed alone, on any machine and Python version: a
subject's or an inspector's place in a draw is the SHA-256 of the seed and its key (no RNG
state). Targets: per tier (the latest grade; ungraded subjects count as C), the first
``ceil(ratio × tier size)`` subjects in that order. Inspectors: each target in turn (in draw
order) gets ``per_target`` inspectors of the pool, never one related to it (回避: the store
says who is related to what), the least loaded first and, among equals, in the seed's order for
that target — at random, and spread evenly. A target with fewer eligible inspectors than it
needs gets those there are and is reported as a shortfall.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

TIERS = ("A", "B", "C", "D")
DEFAULT_RATIOS: dict[str, float] = {"A": 0.05, "B": 0.20, "C": 0.60, "D": 1.00}
UNGRADED_TIER = "C"


def _rank(seed: int, *keys: str) -> bytes:
    return hashlib.sha256(":".join((str(seed), *keys)).encode()).digest()


def _ranker(seed: int, *keys: str) -> Callable[[str], bytes]:
    """``_rank(seed, *keys, last)`` as a function of ``last``, the common prefix hashed once."""
    prefix = hashlib.sha256(":".join((str(seed), *keys, "")).encode())

    def rank(last: str) -> bytes:
        digest = prefix.copy()
        digest.update(last.encode())
        return digest.digest()

    return rank


def tier_of(grade: str | None) -> str:
    return grade if grade in TIERS else UNGRADED_TIER


def ratios_refusal(ratios: Mapping[str, float]) -> str | None:
    for tier, ratio in ratios.items():
        if tier not in TIERS:
            return f"no tier {tier!r} (tiers are A, B, C, D)"
        if not 0.0 <= ratio <= 1.0:
            return f"the ratio of tier {tier} must be between 0 and 1"
    return None


@dataclass(frozen=True)
class Target:
    key: str
    tier: str
    grade: str | None  # None: ungraded (drawn as C)


@dataclass(frozen=True)
class TierCount:
    tier: str
    population: int
    ratio: float
    drawn: int


def draw(
    population: Iterable[tuple[str, str | None]], ratios: Mapping[str, float], seed: int
) -> tuple[list[Target], list[TierCount]]:
    """Targets from ``population`` (key, latest grade or None), tier by tier (A to D)."""
    by_tier: dict[str, list[tuple[str, str | None]]] = {tier: [] for tier in TIERS}
    for key, grade in population:
        by_tier[tier_of(grade)].append((key, grade))
    targets: list[Target] = []
    counts: list[TierCount] = []
    for tier in TIERS:
        members = sorted(by_tier[tier], key=lambda m: _rank(seed, "target", m[0]))
        ratio = ratios.get(tier, DEFAULT_RATIOS[tier])
        # A tiny float excess (0.07 * 100 = 7.000000000000001) must not draw one more.
        wanted = min(len(members), math.ceil(round(ratio * len(members), 9)))
        targets += [Target(key, tier, grade) for key, grade in members[:wanted]]
        counts.append(TierCount(tier, len(members), ratio, wanted))
    return targets, counts


@dataclass(frozen=True)
class Shortfall:
    target: str
    needed: int
    eligible: int  # inspectors of the pool not related to the target


@dataclass
class Assignment:
    inspectors: dict[str, list[str]] = field(default_factory=dict)  # target -> inspectors
    shortfalls: list[Shortfall] = field(default_factory=list)


def assign(
    targets: list[Target],
    pool: list[str],
    related: Mapping[str, set[str]],
    per_target: int,
    seed: int,
) -> Assignment:
    """``related``: inspector -> the target keys it may not inspect."""
    load = dict.fromkeys(pool, 0)
    out = Assignment()
    nothing: set[str] = set()
    for target in targets:
        eligible = [i for i in pool if target.key not in related.get(i, nothing)]
        # Only inspectors no more loaded than the per_target-th least loaded can be chosen: the
        # others need no rank (the rank, a hash per inspector, is the cost of a large plan).
        eligible.sort(key=load.__getitem__)
        if len(eligible) > per_target:
            cut = load[eligible[per_target - 1]]
            eligible = [i for i in eligible if load[i] <= cut]
        ranked = _ranker(seed, "inspector", target.key)
        eligible.sort(key=lambda i: (load[i], ranked(i)))
        chosen = eligible[:per_target]
        for inspector in chosen:
            load[inspector] += 1
        out.inspectors[target.key] = chosen
        if len(chosen) < per_target:
            out.shortfalls.append(Shortfall(target.key, per_target, len(eligible)))
    return out
