"""API keys in the API, for ADMIN (hub/policy.py): list, create (the token once), revoke. The
same service as `credit-hub keys` (hub/keys.py); a key's token hash is never shown. Each
creation and revocation is audited with the acting key and the request."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from hub.auth import Role
from hub.keys import create_key, key, keys, revoke_key
from hub.store.api_keys import KeyRow
from schema.subjects import HubInfo


@strawberry.enum(description="The role of an API key (PUBLIC needs none).")
class KeyRole(Enum):
    APPROVAL = "APPROVAL"
    DEPARTMENT = "DEPARTMENT"
    INVESTIGATOR = "INVESTIGATOR"
    ADMIN = "ADMIN"


@strawberry.type(description="An API key: who holds it and its role; never its token.")
class ApiKey:
    id: str
    role: KeyRole
    department: str | None
    name: str | None
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None = strawberry.field(
        description="Set once revoked; running hubs refuse it within 30 s."
    )

    @classmethod
    def of(cls, row: KeyRow) -> ApiKey:
        return cls(
            id=row.id,
            role=KeyRole(row.role),
            department=row.department,
            name=row.name,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="A new key and its token: shown this once, stored only hashed.")
class NewApiKey:
    key: ApiKey
    token: str


@strawberry.type
class KeyQueries:
    @strawberry.field(
        description="API keys, newest first (at most 1,000); revoked ones too unless "
        "includeRevoked is false."
    )
    async def api_keys(self, info: HubInfo, include_revoked: bool = True) -> list[ApiKey]:
        return [ApiKey.of(k) for k in await keys(info.context.store, include_revoked)]


@strawberry.type
class KeyMutations:
    @strawberry.mutation(
        description="A new API key; the answer holds its token, shown this once. A DEPARTMENT "
        "key needs a department; an unknown department is refused naming the known ones."
    )
    async def create_api_key(
        self,
        info: HubInfo,
        role: KeyRole,
        department: str | None = None,
        name: str | None = None,
    ) -> NewApiKey:
        ctx = info.context
        key_id, token = await create_key(
            ctx.store,
            Role(role.value),
            department or None,
            (name or "").strip()[:100] or None,
            by=ctx.actor,
            request_id=ctx.request_id,
            operation=_operation(info),
        )
        return NewApiKey(key=ApiKey.of(await key(ctx.store, key_id)), token=token)

    @strawberry.mutation(
        description="Revoke a key (kept, marked; revoking again keeps the first time). Running "
        "hubs refuse it within 30 s; its workbench sessions end at their next request."
    )
    async def revoke_api_key(self, info: HubInfo, id: str) -> ApiKey:
        ctx = info.context
        await revoke_key(
            ctx.store, id, by=ctx.actor, request_id=ctx.request_id, operation=_operation(info)
        )
        return ApiKey.of(await key(ctx.store, id))


def _operation(info: HubInfo) -> str:
    """The operation name the client gave, as the audit trail records it for reads."""
    name = info.operation.name
    return name.value if name is not None else "anonymous"
