"""Convert driver values (neo4j.time types) to plain Python values."""

from __future__ import annotations

from typing import Any

from neo4j.time import Date, DateTime, Duration, Time


def native(value: Any) -> Any:
    if isinstance(value, Date | DateTime | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return value
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native(v) for v in value]
    return value
