"""The audit trail of unmasked personal-data reads (who, what, when): one entry per request
that showed personal data unmasked (its Cypher: hub/store/audit_log.py)."""

from __future__ import annotations

import datetime as dt
import uuid

from hub.errors import InvalidInput
from hub.store.audit_log import AuditRow, page, write_entry
from resolvers.context import HubContext
from resolvers.paging import decode_cursor, encode_cursor, page_size
from resolvers.subjects import valid_id_number

MAX_SUBJECTS = 1000


async def record_reads(
    ctx: HubContext, operation: str | None, what: str = "Person", fields: list[str] | None = None
) -> None:
    subjects = sorted({key for _, key in ctx.audited})
    ctx.audited.clear()
    entry = {
        "id": "audit-" + uuid.uuid4().hex,
        "at": dt.datetime.now(dt.UTC),
        "keyId": ctx.actor.key_id or "anonymous",
        "role": ctx.actor.role.value,
        "department": ctx.actor.department,
        "requestId": ctx.request_id,
        "operation": operation or "anonymous",
        "fields": fields or [],
        "what": what,
        "subjects": subjects[:MAX_SUBJECTS],
        "count": len(subjects),
    }
    # One auto-commit statement (one round trip, where a transaction adds BEGIN and COMMIT):
    # this is written on every investigator's request, before its answer leaves.
    await ctx.store.statements(write_entry, entry)


def _position(after: str | None) -> tuple[dt.datetime, str] | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return dt.datetime.fromisoformat(cursor[0]), str(cursor[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


async def audit_page(
    ctx: HubContext, first: int, after: str | None, key_id: str | None, subject: str | None
) -> tuple[list[AuditRow], bool, str | None]:
    """A page of the trail (newest first): its rows, whether more follow, the cursor of the
    last. The ID numbers it shows are themselves a read to audit."""
    size = page_size(first)
    person = valid_id_number(subject, "subject", ctx.today()) if subject is not None else None
    rows = await ctx.store.read(page, size + 1, _position(after), key_id, person)
    more = len(rows) > size
    rows = rows[:size]
    end = encode_cursor([rows[-1].at.isoformat(), rows[-1].id]) if rows else None
    shown = {s for row in rows for s in row.subjects}
    ctx.audited.extend(("Person", s) for s in sorted(shown))
    return rows, more, end if more else None
