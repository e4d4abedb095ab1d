"""The department desk's repair queue (DEPARTMENT): the PENDING credit repair applications
(信用修复) the key's department decides, overdue first, each with its deadline (10 working
days) and the decideRepair form; the same API as any client (pendingRepairs, decideRepair)."""

from __future__ import annotations

import urllib.parse

import strawberry
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from web.client import document
from web.workbench.access import DEPARTMENTS, PRIVATE, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused

PENDING = document("workbench", "pending_repairs")
DECIDE = document("workbench", "decide_repair")
BACK = "/workbench/repairs?"


async def repairs(request: Request, desk: Desk) -> Response:
    answer = await desk.run(PENDING)
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    return desk.page(
        "repairs.html",
        repairs=answer.data["pendingRepairs"],
        decided=request.query_params.get("decided", "")[:80] or None,
        outcome=request.query_params.get("status", "")[:20] or None,
        error=request.query_params.get("error", "")[:40] or None,
        failed=request.query_params.get("id", "")[:80] or None,
    )


async def decide(request: Request, desk: Desk) -> Response:
    repair_id = request.path_params["repair_id"][:80]
    decision = desk.field("decision", 10)
    reason = desk.field("reason", 2000)
    if decision not in ("approved", "refused") or not reason:
        query = urllib.parse.urlencode({"error": "INCOMPLETE", "id": repair_id})
        return RedirectResponse(BACK + query, status_code=303, headers=PRIVATE)
    variables = {
        "id": repair_id,
        "approved": decision == "approved",
        "reason": reason,
        "on": desk.field("on", 10) or None,
    }
    answer = await desk.run(DECIDE, variables)
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES or answer.code() in ("CONFLICT", "NOT_FOUND"):
            query = urllib.parse.urlencode({"error": answer.code(), "id": repair_id})
            return RedirectResponse(BACK + query, status_code=303, headers=PRIVATE)
        return refused(desk, answer)
    status = answer.data["decideRepair"]["status"]
    query = urllib.parse.urlencode({"decided": repair_id, "status": status})
    return RedirectResponse(BACK + query, status_code=303, headers=PRIVATE)


def repair_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/repairs", repairs, DEPARTMENTS, schema),
        workbench_route(
            "/workbench/repairs/{repair_id}/decide", decide, DEPARTMENTS, schema, methods=["POST"]
        ),
    ]
