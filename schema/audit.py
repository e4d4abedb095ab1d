"""The audit trail of personal-data reads, paged for ADMIN (hub/policy.py)."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.store.audit_log import AuditRow
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
    def of(cls, row: AuditRow) -> AuditEntry:
        return cls(
            id=strawberry.ID(row.id),
            at=row.at,
            key_id=row.key_id,
            role=row.role or "",
            department=row.department,
            request_id=row.request_id or "",
            operation=row.operation or "",
            fields=list(row.fields),
            what=row.what or "",
            subjects=list(row.subjects),
            count=int(row.count or 0),
            changed_key=ChangedKey(
                id=row.target_key_id,
                role=row.target_role or "",
                department=row.target_department,
            )
            if row.target_key_id
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
