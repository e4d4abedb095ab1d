"""The audit trail of personal-data reads, paged for ADMIN (hub/policy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from resolvers.audit import audit_page
from schema.common import PageInfo
from schema.subjects import HubInfo


@strawberry.type(description="The API key an audit entry of a key change is about.")
class ChangedKey:
    id: str
    role: str
    department: str | None


@strawberry.type(
    description="One request that read personal data unmasked, or created or revoked an API key "
    "(what: ApiKey, fields: [createApiKey] or [revokeApiKey]): who, what, when."
)
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
    changed_key: ChangedKey | None = strawberry.field(
        description="For a key created or revoked: that key (never its token)."
    )

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
            changed_key=ChangedKey(
                id=raw["targetKeyId"],
                role=raw.get("targetRole") or "",
                department=raw.get("targetDepartment"),
            )
            if raw.get("targetKeyId")
            else None,
        )


@strawberry.type
class AuditConnection:
    nodes: list[AuditEntry]
    page_info: PageInfo


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The audit trail, newest first; filter by API key id (what the key did, "
        "and its own creation and revocation) or by the ID number of a person read. "
        "Reading it is itself audited when it shows ID numbers."
    )
    async def audit_log(
        self,
        info: HubInfo,
        first: int = 50,
        after: str | None = None,
        key_id: str | None = None,
        subject: str | None = None,
    ) -> AuditConnection:
        rows, more, end = await audit_page(info.context, first, after, key_id, subject)
        return AuditConnection(
            nodes=[AuditEntry.of(row) for row in rows],
            page_info=PageInfo(has_next_page=more, end_cursor=end),
        )
