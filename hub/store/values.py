"""Convert driver values (neo4j.time types) to plain Python values.

Read records with ``plain(record)`` when they hold only projected maps and lists:
``Record.data()`` walks every value again in Python (for graph objects), which costs more than
the query for an answer with thousands of maps.
"""

from __future__ import annotations

from typing import Any

from neo4j import Record
from neo4j.time import Date, DateTime, Duration, Time

_PLAIN = frozenset({str, int, float, bool, type(None)})


def native(value: Any) -> Any:
    """Dates and times to ``datetime`` values, recursively; plain values are checked first
    (by exact type), as big graph answers hold tens of thousands of them."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else native(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _PLAIN else native(v) for v in value]
    if isinstance(value, Date | DateTime | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return value
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def plain(record: Record) -> dict[str, Any]:
    """A record of projected values (maps, lists, scalars) as a dict of native values."""
    out: dict[str, Any] = native(dict(zip(record.keys(), tuple(record), strict=True)))
    return out
