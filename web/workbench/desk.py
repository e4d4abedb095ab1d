"""The department desk (DEPARTMENT): upload a JSON Lines or 双公示 file (CSV, XLSX) for the
key's own department and read its report line by line (line, field, reason) — the same service
as POST /api/import (hub/importer/uploads.py), with the same policy —; the department's own
listings with their state (departmentListings), each with the endListing and fileObjection
forms; the open objections to them, oldest first (openObjections), each with the
resolveObjection form."""

from __future__ import annotations

import urllib.parse

import strawberry
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from hub.app_state import hub_of
from hub.errors import HubError, InvalidInput
from hub.importer.uploads import import_upload
from hub.policy import upload_department
from web.client import document
from web.workbench.access import DEPARTMENTS, PRIVATE, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused

LISTINGS = document("workbench", "department_listings")
OBJECTIONS = document("workbench", "open_objections")
RESOLVE = document("workbench", "resolve_objection")
END_LISTING = document("workbench", "end_listing")
FILE_OBJECTION = document("workbench", "file_objection")
# The endings a department records on the desk (REMOVED is the court's).
END_KINDS = ("ENDED", "REPAIRED", "REVOKED")


async def desk_page(request: Request, desk: Desk) -> Response:
    return desk.page("desk.html", report=None, error=None, filename="")


async def upload(request: Request, desk: Desk) -> Response:
    hub = hub_of(request.scope)
    given = desk.form.get("file") if desk.form is not None else None
    if not isinstance(given, UploadFile) or not given.filename:
        return desk.page("desk.html", 400, report=None, error="NO_FILE", filename="")
    body = await given.read()
    filename = given.filename[:100]
    department = upload_department(desk.actor, None)
    if not body or department is None:
        return desk.page("desk.html", 400, report=None, error="EMPTY", filename=filename)
    try:
        report = await import_upload(
            hub.store,
            hub.settings,
            body,
            actor=desk.actor,
            department=department,
            source=filename,
            declared=desk.field("format", 10) or None,
        )
    except InvalidInput:
        return desk.page("desk.html", 400, report=None, error="FORMAT", filename=filename)
    except HubError:
        return desk.page("refused.html", 503, code="SERVICE_UNAVAILABLE")
    status = 200 if report.committed else 400 if report.failure_code == "INVALID_HEADER" else 503
    return desk.page(
        "desk.html",
        status,
        report=report.as_dict(mask_ids=not desk.actor.sees_personal_data),
        error=None,
        filename=filename,
    )


async def listings(request: Request, desk: Desk) -> Response:
    after = request.query_params.get("after", "")[:200] or None
    answer = await desk.run(LISTINGS, {"after": after})
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    return desk.page(
        "listings.html",
        page=answer.data["departmentListings"],
        after=after,
        end_kinds=END_KINDS,
        done=request.query_params.get("done", "")[:20] or None,
        error=request.query_params.get("error", "")[:40] or None,
        target=request.query_params.get("id", "")[:80] or None,
    )


async def _listing_action(desk: Desk, listing_id: str, action: str) -> Response:
    """endListing or fileObjection from the listings page, then back to it with the result."""
    reason = desk.field("reason", 2000)
    kind = desk.field("kind", 20) or "ENDED"
    back = "/workbench/listings?"
    if not reason or (action == "end" and kind not in END_KINDS):
        query = urllib.parse.urlencode({"error": "INCOMPLETE", "id": listing_id})
        return RedirectResponse(back + query, status_code=303, headers=PRIVATE)
    on = desk.field("on", 10) or None
    if action == "end":
        variables = {"id": listing_id, "reason": reason, "on": on, "kind": kind}
        answer = await desk.run(END_LISTING, variables)
    else:
        answer = await desk.run(FILE_OBJECTION, {"id": listing_id, "reason": reason, "on": on})
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES or answer.code() in ("CONFLICT", "NOT_FOUND"):
            query = urllib.parse.urlencode({"error": answer.code(), "id": listing_id})
            return RedirectResponse(back + query, status_code=303, headers=PRIVATE)
        return refused(desk, answer)
    query = urllib.parse.urlencode({"done": action, "id": listing_id})
    return RedirectResponse(back + query, status_code=303, headers=PRIVATE)


async def end_listing(request: Request, desk: Desk) -> Response:
    return await _listing_action(desk, request.path_params["listing_id"][:80], "end")


async def file_objection(request: Request, desk: Desk) -> Response:
    return await _listing_action(desk, request.path_params["listing_id"][:80], "objection")


async def objections(request: Request, desk: Desk) -> Response:
    answer = await desk.run(OBJECTIONS)
    if answer.data is None or answer.errors:
        return refused(desk, answer)
    return desk.page(
        "objections.html",
        objections=answer.data["openObjections"],
        resolved=request.query_params.get("resolved", "")[:80] or None,
        error=request.query_params.get("error", "")[:40] or None,
        failed=request.query_params.get("id", "")[:80] or None,
    )


async def resolve(request: Request, desk: Desk) -> Response:
    objection_id = request.path_params["objection_id"][:80]
    decision = desk.field("decision", 10)
    reason = desk.field("reason", 2000)
    back = "/workbench/objections?"
    if decision not in ("upheld", "rejected") or not reason:
        query = urllib.parse.urlencode({"error": "INCOMPLETE", "id": objection_id})
        return RedirectResponse(back + query, status_code=303, headers=PRIVATE)
    variables = {
        "id": objection_id,
        "upheld": decision == "upheld",
        "reason": reason,
        "on": desk.field("on", 10) or None,
    }
    answer = await desk.run(RESOLVE, variables)
    if answer.data is None or answer.errors:
        if answer.code() in INPUT_CODES or answer.code() == "CONFLICT":
            query = urllib.parse.urlencode({"error": answer.code(), "id": objection_id})
            return RedirectResponse(back + query, status_code=303, headers=PRIVATE)
        return refused(desk, answer)
    query = urllib.parse.urlencode({"resolved": objection_id})
    return RedirectResponse(back + query, status_code=303, headers=PRIVATE)


def desk_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/listings", listings, DEPARTMENTS, schema),
        workbench_route(
            "/workbench/listings/{listing_id}/end",
            end_listing,
            DEPARTMENTS,
            schema,
            methods=["POST"],
        ),
        workbench_route(
            "/workbench/listings/{listing_id}/objection",
            file_objection,
            DEPARTMENTS,
            schema,
            methods=["POST"],
        ),
        workbench_route("/workbench/objections", objections, DEPARTMENTS, schema),
        workbench_route(
            "/workbench/objections/{objection_id}/resolve",
            resolve,
            DEPARTMENTS,
            schema,
            methods=["POST"],
        ),
        workbench_route("/workbench/desk", desk_page, DEPARTMENTS, schema),
        workbench_route(
            "/workbench/desk/upload", upload, DEPARTMENTS, schema, methods=["POST"], upload=True
        ),
    ]
