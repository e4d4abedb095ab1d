"""Convert driver values (neo4j.time types) to plain Python values.

Read records with ``plain(record)`` when they hold only projected maps and lists:
``Record.data()`` walks every value again in Python (for graph objects), which costs more than
the query for an answer with thousands of maps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import Record
from neo4j.time import Date, DateTime, Duration, Time

_PLAIN = frozenset({str, int, float, bool, type(None)})

# Record times (the provenance on every node and tie) can travel as ISO text: the driver builds
# each DateTime value in Python, ~60 µs apiece on this machine against ~1 µs for
# ``datetime.fromisoformat`` (docs/benchmarks.md#search) — a page of ten search hits carries 22.
RECORD_TIMES = ("recordedAt", "firstRecordedAt")


def timed(v: str, properties: str = ".*") -> str:
    """Cypher map projection of ``v`` (``properties``) with its record times as ISO text; read
    the rows back with ``record_times``."""
    texts = ", ".join(f"{key}: toString({v}.{key})" for key in RECORD_TIMES)
    return f"{v} {{{properties}, {texts}}}"


def record_times(row: dict[str, Any]) -> dict[str, Any]:
    """The record times of the maps in ``row`` (projected by ``timed``) back to datetimes."""
    for value in row.values():
        if type(value) is dict:
            for key in RECORD_TIMES:
                text = value.get(key)
                if type(text) is str:
                    value[key] = _datetime(text)
    return row


def nested_record_times(value: Any) -> Any:
    """``record_times`` at every depth: the record times of every map inside ``value`` (maps
    and lists, as ``timed`` projections nested in one another) back to datetimes."""
    if type(value) is dict:
        for key, item in value.items():
            if key in RECORD_TIMES:
                if type(item) is str:
                    value[key] = _datetime(item)
            elif type(item) is dict or type(item) is list:
                nested_record_times(item)
    elif type(value) is list:
        for item in value:
            if type(item) is dict or type(item) is list:
                nested_record_times(item)
    return value


def iso_day(value: Any) -> dt.date | None:
    """A day that travelled as ISO text (``toString`` of a Date), or None for null or ''
    (the event log stores a missing day as '')."""
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _datetime(text: str) -> dt.datetime:
    # A zone id after the offset ("+08:00[Asia/Shanghai]") only names the offset's zone.
    return dt.datetime.fromisoformat(text.split("[", 1)[0])


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
