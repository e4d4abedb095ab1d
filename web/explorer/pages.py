"""The workbench's graph explorer (INVESTIGATOR, ADMIN): the page and the JSON its script reads.

The page and the export are workbench pages (web/workbench/access.py: the session, its role,
the CSRF token of the export form); the JSON routes read the same session and answer 403 as
JSON to anyone else. Every read runs a GraphQL document in-process with the session's role,
so the API's policy refuses what the role may not see and its audit extension writes every
person read to the audit trail. Exports convert what the page shows (web/explorer/formats.py,
web/explorer/standards.py); an export that carries ID numbers is written to the audit trail too.
docs/workbench.md#graph-explorer.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import strawberry
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.app_state import hub_of
from hub.auth import Actor
from hub.errors import HubError, InvalidInput
from hub.middleware.answers import json_error
from hub.sessions import session_actor
from resolvers.audit import record_reads
from resolvers.context import make_context
from web.client import Answer, document, run
from web.explorer import formats, standards
from web.explorer.graph_model import Graph, parse
from web.workbench.access import COOKIE, INVESTIGATORS, Desk, workbench_route

SEARCH = document("explorer", "search")
NEIGHBOURHOOD = document("explorer", "neighbourhood")
PATHS = document("explorer", "paths")
OWNERS = document("explorer", "owners")
RELATED = document("explorer", "related")

EDGE_TYPES = (
    "HOLDS_SHARES",
    "LEGAL_REPRESENTATIVE_OF",
    "PRINCIPAL_OF",
    "OFFICER_OF",
    "PRACTITIONER_AT",
    "CONTROLS",
    "BRANCH_OF",
    "LOCATED_AT",
    "REACHABLE_AT",
)
LIMITS = (200, 1000)
MAX_EXPORT_CHARS = 4_000_000  # the graph field of the export form (the workbench reads 5 MB)
# format -> (media type, file suffix)
EXPORTS = {
    "json": ("application/json", "json"),
    "graphml": ("application/graphml+xml", "graphml"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "bods": ("application/json", "bods.json"),
    "ftm": ("application/x-ndjson", "ftm.json"),
}
PRIVATE = {"Cache-Control": "private, no-store"}
INPUT_CODES = {"BAD_USER_INPUT", "INVALID_USCC", "INVALID_ID_NUMBER", "GRAPHQL_VALIDATION_FAILED"}


def subject_ref(node_id: str | None) -> dict[str, str] | None:
    """``E:<uscc>`` or ``P:<idNumber>`` (a node id of the page) as the API's SubjectRef."""
    if not node_id:
        return None
    prefix, _, key = node_id.partition(":")
    if not key or len(key) > 40:
        return None
    if prefix == "E":
        return {"uscc": key}
    if prefix == "P":
        return {"idNumber": key}
    return None


def _day(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise InvalidInput("asOf: not a date yyyy-mm-dd", field="asOf") from None


def _answer(answer: Answer, elapsed: float) -> Response:
    status = 200
    if answer.data is None:
        code = answer.code() or "INTERNAL"
        status = 403 if code in ("FORBIDDEN", "UNAUTHENTICATED") else 500
        if code in INPUT_CODES:
            status = 400
        elif code in ("SERVICE_UNAVAILABLE", "STORE_UNAVAILABLE", "TIMEOUT", "RATE_LIMITED"):
            status = 503
    body = {
        "data": answer.data,
        "errors": [{"code": c, "message": m} for c, m in answer.errors],
        "apiMs": round(elapsed * 1000, 2),
    }
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**PRIVATE, "Server-Timing": f"api;dur={elapsed * 1000:.2f}"},
    )


JsonHandler = Callable[[Request, Actor], Awaitable[Response]]
# The variables of a data route's document from its query parameters, or the 400 refusing them.
Variables = Callable[[QueryParams], "dict[str, Any] | Response"]


def data_route(path: str, handler: JsonHandler) -> Route:
    """A JSON route the explorer's script reads: the workbench session's actor, INVESTIGATOR or
    ADMIN; anyone else (no session, another role, an ended session) is refused 403 as JSON, not
    sent to the login page (a script reads the answer)."""

    async def endpoint(request: Request) -> Response:
        hub = hub_of(request.scope)
        session_id = request.cookies.get(COOKIE)
        actor = None
        if session_id:
            try:
                actor = await session_actor(hub.store, hub.settings, session_id)
            except HubError:
                return json_error(503, "SERVICE_UNAVAILABLE", "sessions cannot be read now")
        if actor is None or actor.role not in INVESTIGATORS:
            return json_error(403, "FORBIDDEN", "the graph explorer is for INVESTIGATOR and ADMIN")
        return await handler(request, actor)

    return Route(path, endpoint, methods=["GET"])


def explorer_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    """The explorer's routes under /workbench/explorer (docs/workbench.md#graph-explorer)."""

    def timed(query: str, variables_of: Variables) -> JsonHandler:
        """A data route running ``query`` with the variables its parameters give (or the
        answer refusing them), timed."""

        async def handler(request: Request, actor: Actor) -> Response:
            variables = variables_of(request.query_params)
            if isinstance(variables, Response):
                return variables
            started = time.perf_counter()
            answer = await run(schema, request, query, variables, actor=actor)
            return _answer(answer, time.perf_counter() - started)

        return handler

    return [
        workbench_route("/workbench/explorer", _page, INVESTIGATORS, schema),
        data_route("/workbench/explorer/neighbourhood", timed(NEIGHBOURHOOD, _neighbourhood)),
        data_route("/workbench/explorer/paths", timed(PATHS, _paths)),
        data_route("/workbench/explorer/owners", timed(OWNERS, _enterprise)),
        data_route("/workbench/explorer/related", timed(RELATED, _enterprise)),
        workbench_route(
            "/workbench/explorer/export", _export, INVESTIGATORS, schema, methods=["POST"]
        ),
    ]


async def _page(request: Request, desk: Desk) -> Response:
    q = request.query_params.get("q", "").strip()[:100]
    results = None
    error = None
    if q:
        answer = await desk.run(SEARCH, {"text": q})
        if answer.data is None:
            error = answer.errors[0][1] if answer.errors else "查询失败"
        else:
            results = answer.data["search"]["nodes"]
    subject = request.query_params.get("subject", "")[:60]
    return desk.page(
        "explorer.html",
        q=q,
        results=results,
        error=error,
        subject=subject if subject_ref(subject) else "",
        edge_types=EDGE_TYPES,
        limits=LIMITS,
        formats=tuple(EXPORTS),
    )


def _neighbourhood(params: QueryParams) -> dict[str, Any] | Response:
    ref = subject_ref(params.get("subject"))
    if ref is None:
        return json_error(400, "BAD_USER_INPUT", "subject: a node id E:<uscc> or P:<id>")
    types = [t for t in params.getlist("type") if t in EDGE_TYPES] or None
    try:
        limit = int(params.get("limit", "200"))
        hops = int(params.get("hops", "1"))
    except ValueError:
        return json_error(400, "BAD_USER_INPUT", "limit and hops: whole numbers")
    return {
        "subject": ref,
        "hops": hops,
        "limit": limit,
        "types": types,
        "after": params.get("after") or None,
    }


def _paths(params: QueryParams) -> dict[str, Any] | Response:
    start, end = subject_ref(params.get("from")), subject_ref(params.get("to"))
    if start is None or end is None:
        return json_error(400, "BAD_USER_INPUT", "from, to: node ids E:<uscc> or P:<id>")
    try:
        as_of = _day(params.get("asOf"))
        hops = int(params.get("maxHops", "4"))
    except InvalidInput as error:
        return json_error(400, "BAD_USER_INPUT", error.message)
    except ValueError:
        return json_error(400, "BAD_USER_INPUT", "maxHops: a whole number")
    return {"from": start, "to": end, "maxHops": hops, "asOf": as_of}


def _enterprise(params: QueryParams) -> dict[str, Any] | Response:
    """The owners' and related parties' documents: an enterprise and a day."""
    ref = subject_ref(params.get("subject"))
    if ref is None or "uscc" not in ref:
        return json_error(400, "BAD_USER_INPUT", "subject: an enterprise node id E:<uscc>")
    try:
        as_of = _day(params.get("asOf"))
    except InvalidInput as error:
        return json_error(400, "BAD_USER_INPUT", error.message)
    return {"uscc": ref["uscc"], "asOf": as_of}


async def _export(request: Request, desk: Desk) -> Response:
    fmt = desk.field("format", 20)
    if fmt not in EXPORTS:
        return json_error(400, "BAD_USER_INPUT", f"format: one of {', '.join(EXPORTS)}")
    try:
        graph = parse(orjson.loads(desk.field("graph", MAX_EXPORT_CHARS)))
    except orjson.JSONDecodeError:
        return json_error(400, "BAD_USER_INPUT", "graph: not JSON")
    except InvalidInput as error:
        return json_error(400, error.code, error.message, {"field": error.details["field"]})
    day = hub_of(request.scope).settings.today()
    content = convert(graph, fmt, day)
    if graph.persons:
        await audit_export(request, desk.actor, fmt, graph)
    media, suffix = EXPORTS[fmt]
    name = f"credithub-graph-{day.isoformat()}.{suffix}"
    return Response(
        content,
        media_type=media,
        headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'},
    )


def convert(graph: Graph, fmt: str, day: dt.date) -> bytes:
    """The export file of ``graph`` in ``fmt`` (one of EXPORTS)."""
    if fmt == "json":
        return orjson.dumps(formats.to_json(graph), option=orjson.OPT_INDENT_2)
    if fmt == "graphml":
        return formats.to_graphml(graph).encode()
    if fmt == "csv":
        return formats.to_csv(graph).encode()
    if fmt == "bods":
        return orjson.dumps(standards.to_bods(graph, day).statements, option=orjson.OPT_INDENT_2)
    lines = (json.dumps(e, ensure_ascii=False, sort_keys=True) for e in standards.to_ftm(graph))
    return ("\n".join(lines) + "\n").encode()


async def audit_export(request: Request, actor: Actor, fmt: str, graph: Graph) -> None:
    """An export with ID numbers in it is a read of those persons: one entry in the audit trail
    (what ``Export``, operation ``explorerExport``, the format as its field)."""
    hub = request.app.state.hub
    state = request.scope.get("state", {})
    ctx = make_context(hub.store, hub.settings, actor, state.get("request_id", "-"))
    ctx.audited.extend(("Person", key) for key in graph.persons)
    await record_reads(ctx, "explorerExport", what="Export", fields=[fmt])
