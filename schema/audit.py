"""The audit trail of personal-data reads, paged for ADMIN (hub/policy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from hub import audit
from hub.errors import InvalidInput
from resolvers.paging import decode_cursor, encode_cursor, page_size
from resolvers.subjects import valid_id_number
from schema.common import PageInfo
from schema.subjects import HubInfo


@strawberry.type(description="One request that read personal data unmasked: who, what, when.")
class AuditEntry:
    id: strawberry.ID
    at: dt.datetime
    key_id: str
    role: str
    department: str | None
    request_id: str
    operation: str = strawberry.field(description="The operation name the client gave.")
    fields: list[str] = strawberry.field(description="The root fields it selected.")
    what: str
    subjects: list[str] = strawberry.field(description="ID numbers read (at most 1000).")
    count: int = strawberry.field(description="How many subjects were read in all.")

    @classmethod
    def of(cls, raw: dict[str, Any]) -> AuditEntry:
        return cls(
            id=strawberry.ID(raw["id"]),
            at=raw["at"],
            key_id=raw["keyId"],
            role=raw.get("role") or "",
            department=raw.get("department"),
            request_id=raw.get("requestId") or "",
            operation=raw.get("operation") or "",
            fields=list(raw.get("fields") or []),
            what=raw.get("what") or "",
            subjects=list(raw.get("subjects") or []),
            count=int(raw.get("count") or 0),
        )


@strawberry.type
class AuditConnection:
    nodes: list[AuditEntry]
    page_info: PageInfo


def _position(after: str | None) -> tuple[dt.datetime, str] | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return dt.datetime.fromisoformat(cursor[0]), str(cursor[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidInput("after: not a cursor this API returned", field="after") from None


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The audit trail, newest first; filter by API key id or by the ID number "
        "of a person read. Reading it is itself audited when it shows ID numbers."
    )
    async def audit_log(
        self,
        info: HubInfo,
        first: int = 50,
        after: str | None = None,
        key_id: str | None = None,
        subject: str | None = None,
    ) -> AuditConnection:
        size = page_size(first)
        today = info.context.today()
        person = valid_id_number(subject, "subject", today) if subject is not None else None
        rows = await info.context.store.read(audit.page, size + 1, _position(after), key_id, person)
        more = len(rows) > size
        rows = rows[:size]
        end = encode_cursor([rows[-1]["at"].isoformat(), rows[-1]["id"]]) if rows else None
        shown = {s for row in rows for s in row.get("subjects") or []}
        info.context.audited.extend(("Person", s) for s in sorted(shown))
        return AuditConnection(
            nodes=[AuditEntry.of(row) for row in rows],
            page_info=PageInfo(has_next_page=more, end_cursor=end if more else None),
        )
