"""Pages of a list: the size asked for, and opaque cursors (what the last item of a page was)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import orjson

from hub.errors import InvalidInput


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


def day_position(after: str | None) -> tuple[dt.date, str] | None:
    """A keyset cursor of (a day, an id) as a previous page encoded it, or None at the start."""
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return dt.date.fromisoformat(cursor[0]), str(cursor[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


MAX_PAGE_SIZE = 100


def page_size(first: int, maximum: int = MAX_PAGE_SIZE) -> int:
    if first < 1 or first > maximum:
        raise InvalidInput(f"first must be between 1 and {maximum}", field="first")
    return first
