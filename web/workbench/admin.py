"""Administration (ADMIN): API keys — list, create (the token shown once), revoke — and the
audit trail with its filters. Every read and write is the API's (apiKeys, createApiKey,
revokeApiKey, auditLog) as the signed-in ADMIN key."""

from __future__ import annotations

import urllib.parse
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from web.client import document
from web.workbench.access import ADMINS, PRIVATE, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused

KEYS = document("workbench", "keys")
CREATE_KEY = document("workbench", "create_key")
REVOKE_KEY = document("workbench", "revoke_key")
AUDIT = document("workbench", "audit")
KEY_ROLES = ("APPROVAL", "DEPARTMENT", "INVESTIGATOR", "ADMIN")


async def _keys_page(
    desk: Desk, status: int = 200, created: dict[str, Any] | None = None, **data: Any
) -> Response:
    answer = await desk.run(KEYS)
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    return desk.page(
        "keys.html",
        status,
        keys=answer.data["apiKeys"],
        departments=answer.data["departments"],
        roles=KEY_ROLES,
        created=created,
        **{"form": {}, "error": None, "revoked": None, **data},
    )


async def keys_page(request: Request, desk: Desk) -> Response:
    revoked = request.query_params.get("revoked", "")[:40] or None
    return await _keys_page(desk, revoked=revoked)


async def create(request: Request, desk: Desk) -> Response:
    form = {
        "role": desk.field("role", 20),
        "department": desk.field("department", 40),
        "name": desk.field("name", 100),
    }
    if form["role"] not in KEY_ROLES:
        return await _keys_page(desk, 400, form=form, error="NO_ROLE")
    if form["role"] == "DEPARTMENT" and not form["department"]:
        return await _keys_page(desk, 400, form=form, error="NO_DEPARTMENT")
    variables = {
        "role": form["role"],
        "department": form["department"] or None,
        "name": form["name"] or None,
    }
    answer = await desk.run(CREATE_KEY, variables)
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES:
            return await _keys_page(desk, 400, form=form, error="UNKNOWN_DEPARTMENT")
        return refused(desk, answer)
    # Rendered here, not redirected: the token is in this answer only (no-store).
    return await _keys_page(desk, created=answer.data["createApiKey"])


async def revoke(request: Request, desk: Desk) -> Response:
    key_id = request.path_params["key_id"][:40]
    answer = await desk.run(REVOKE_KEY, {"id": key_id})
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    target = "/workbench/keys?" + urllib.parse.urlencode({"revoked": key_id})
    return RedirectResponse(target, status_code=303, headers=PRIVATE)


async def audit(request: Request, desk: Desk) -> Response:
    filters = {
        "keyId": request.query_params.get("keyId", "").strip()[:40] or None,
        "subject": request.query_params.get("subject", "").strip()[:18] or None,
    }
    after = request.query_params.get("after", "")[:400] or None
    answer = await desk.run(AUDIT, {**filters, "after": after})
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES:
            return desk.page(
                "audit.html", 400, filters=filters, trail=None, error=answer.code(), after=after
            )
        return refused(desk, answer)
    return desk.page(
        "audit.html", filters=filters, trail=answer.data["auditLog"], error=None, after=after
    )


def admin_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/keys", keys_page, ADMINS, schema),
        workbench_route("/workbench/keys", create, ADMINS, schema, methods=["POST"]),
        workbench_route(
            "/workbench/keys/{key_id}/revoke", revoke, ADMINS, schema, methods=["POST"]
        ),
        workbench_route("/workbench/audit", audit, ADMINS, schema),
    ]
