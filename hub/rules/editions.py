"""Catalogue editions: which version of each measure is in force on a date. Pure.

Each measure row (``hub/store/measures.catalogue_rows``) is its current version with its earlier
ones (``versions``: what a change by a later edition replaced). A version applies from its
``editionDate`` (none: since ever) until the next version's; the measure stops applying from its
``retiredOn`` (a later edition dropped it). On a date before every version's ``editionDate`` the
measure did not exist yet. Versions of one date (a correction within an edition): the newest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

_EARLIEST = dt.date.min


def version_on(row: Mapping[str, Any], day: dt.date) -> Mapping[str, Any] | None:
    """The version of the measure ``row`` in force on ``day``, or None."""
    retired = row.get("retiredOn")
    if retired is not None and retired <= day:
        return None
    # newest first: the current version, then the revisions by when they were superseded
    earlier = sorted(
        row.get("versions") or (), key=lambda v: str(v.get("supersededAt") or ""), reverse=True
    )
    best: Mapping[str, Any] | None = None
    best_from = _EARLIEST
    for version in (row, *earlier):
        start = version.get("editionDate") or _EARLIEST
        if start <= day and (best is None or start > best_from):
            best, best_from = version, start
    # A version kept from while the measure was retired (it came back in a later edition)
    # carries that retirement: between the two editions the measure did not apply.
    ended = best.get("retiredOn") if best is not None else None
    if ended is not None and ended <= day:
        return None
    return best


def in_force_on(rows: Iterable[Mapping[str, Any]], day: dt.date) -> list[Mapping[str, Any]]:
    """The measures in force on ``day``, each as the version then in force (its ``edition``
    names the catalogue edition a hit is decided under)."""
    out = []
    for row in rows:
        version = version_on(row, day)
        if version is not None:
            out.append(version)
    return out
