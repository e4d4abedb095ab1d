"""``GET /api/export/shuanggongshi``: a department's records as a 双公示 table (2.0 template).

Query: ``kind`` LICENSE or PENALTY (required), ``from`` / ``to`` decision dates (ISO, default:
everything up to today), ``format`` csv (default) or xlsx, ``department`` (ADMIN: any or all;
a DEPARTMENT key: its own only). docs/shuanggongshi.md#export.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from hub.app_state import hub_of
from hub.auth import Actor, Role
from hub.importer.shuanggongshi.export import WRITERS, export_table
from hub.importer.shuanggongshi.headers import Template
from hub.middleware.answers import json_error
from hub.rules.workdays import Calendar

EARLIEST = dt.date(1949, 10, 1)


def _date(text: str | None, default: dt.date, name: str) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: not an ISO date yyyy-mm-dd") from None


async def api_export(request: Request) -> Response:
    hub = hub_of(request.scope)
    actor: Actor = request.scope["state"]["actor"]
    if actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        code, status = ("UNAUTHENTICATED", 401) if actor.role == Role.PUBLIC else ("FORBIDDEN", 403)
        return json_error(status, code, "exports need a DEPARTMENT or ADMIN key")
    params = request.query_params
    wanted = params.get("department") or None
    if actor.role == Role.DEPARTMENT:
        if wanted not in (None, actor.department):
            return json_error(
                403, "FORBIDDEN", f"this key exports {actor.department}'s records only"
            )
        wanted = actor.department
    try:
        template = Template(params.get("kind", ""))
    except ValueError:
        return json_error(400, "BAD_USER_INPUT", "kind: LICENSE or PENALTY")
    fmt = params.get("format", "csv")
    if fmt not in WRITERS:
        return json_error(400, "BAD_USER_INPUT", "format: csv or xlsx")
    today = hub.settings.today()
    try:
        start = _date(params.get("from"), EARLIEST, "from")
        end = _date(params.get("to"), today, "to")
    except ValueError as error:
        return json_error(400, "BAD_USER_INPUT", str(error))
    calendar = Calendar.of(hub.settings.extra_holidays, hub.settings.extra_workdays)
    body, media = await export_table(hub.store, template, wanted, start, end, calendar, fmt)
    name = f"shuanggongshi-{template.value.lower()}-{wanted or 'all'}-{start}-{end}.{fmt}"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
