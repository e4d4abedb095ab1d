"""The department desk (DEPARTMENT): upload a JSON Lines or 双公示 file (CSV, XLSX) for the
key's own department and read its report line by line (line, field, reason). The upload runs
the same service as POST /api/import (hub/importer/uploads.py), with the same policy."""

from __future__ import annotations

import strawberry
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from hub.app_state import hub_of
from hub.errors import HubError, InvalidInput
from hub.importer.uploads import import_upload
from hub.policy import upload_department
from web.workbench.access import DEPARTMENTS, Desk, workbench_route


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


def desk_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/desk", desk_page, DEPARTMENTS, schema),
        workbench_route(
            "/workbench/desk/upload", upload, DEPARTMENTS, schema, methods=["POST"], upload=True
        ),
    ]
