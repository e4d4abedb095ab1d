"""How a neighbourhood's edge budget is shared between relationship types (or frontier nodes)."""

from __future__ import annotations

from collections.abc import Mapping


def fair_shares(available: Mapping[str, int], budget: int) -> dict[str, int]:
    """Max-min fair split of ``budget`` (water-filling): every type gets all it has up to a common
    level, small types are served in full, the rest share what is left equally; integer leftovers
    go to the first names in order. Never more than available, never more than the budget in all.

    >>> fair_shares({"LEGAL_REPRESENTATIVE_OF": 3, "OFFICER_OF": 5000}, 200)
    {'LEGAL_REPRESENTATIVE_OF': 3, 'OFFICER_OF': 197}
    """
    if budget < 0 or any(v < 0 for v in available.values()):
        raise ValueError("budget and availabilities must not be negative")
    shares = dict.fromkeys(available, 0)
    remaining = budget
    pending = sorted(available, key=lambda name: (available[name], name))
    while pending and remaining > 0:
        level = remaining // len(pending)
        # Served in full first: also, when level is 0, the names that have nothing left.
        served = [n for n in pending if available[n] - shares[n] <= level]
        if served:
            for name in served:
                remaining -= available[name] - shares[name]
                shares[name] = available[name]
            pending = [n for n in pending if n not in served]
        elif level == 0:
            for name in sorted(pending, key=list(available).index)[:remaining]:
                shares[name] += 1
            break
        else:
            for name in pending:
                shares[name] += level
            remaining -= level * len(pending)
    return shares
