"""A subject's history: every workflow event about it, newest first (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt

from hub.errors import InvalidInput
from hub.policy import sees_unpublished
from hub.store import history
from hub.store.history import HistoryRow
from resolvers.context import HubContext
from resolvers.paging import decode_cursor, encode_cursor, page_size
from resolvers.subjects import subject_key


def _position(after: str | None) -> tuple[dt.date, dt.datetime, str] | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return (
            dt.date.fromisoformat(cursor[0]),
            dt.datetime.fromisoformat(cursor[1]),
            str(cursor[2]),
        )
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


async def history_page(
    ctx: HubContext, uscc: str | None, id_number: str | None, first: int, after: str | None
) -> tuple[list[HistoryRow], bool, str | None]:
    """The events, whether more follow, and the cursor of the last. PUBLIC: only the events
    of what the public site publishes today."""
    label, key = subject_key(uscc, id_number, today=ctx.today())
    size = page_size(first)
    public_on = None if sees_unpublished(ctx.actor) else ctx.today()
    found = await ctx.store.read_statements(
        history.history, label, key, size + 1, _position(after), public_on
    )
    more = len(found) > size
    found = found[:size]
    end = None
    if found:
        last = found[-1]
        end = encode_cursor([last.on.isoformat(), last.at.isoformat(), last.id])
    return found, more, end
