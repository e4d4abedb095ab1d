"""The Starlette application: GraphQL, health, readiness and the import endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from hub.auth import PUBLIC, Actor, Role, bearer_token
from hub.export_routes import api_export
from hub.keys import KeyCache
from hub.ratelimit import RateLimiter, retry_after
from hub.runtime import tune_gc
from hub.security_headers import SecurityHeaders
from hub.settings import Settings
from hub.slow_clients import BodyDeadline
from hub.store import Store, open_driver
from hub.worker_readiness import mark_warm, warm_workers
from resolvers.context import HubContext, make_context
from schema.build import build_schema

log = logging.getLogger("credithub.http")
# One line per request: method, path (never the query string, which may hold identifiers),
# status, duration, request id and API key id (replaces uvicorn's access log, which had neither).
access = logging.getLogger("credithub.access")
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass
class HubState:
    """Typed application state, owned by the lifespan."""

    settings: Settings
    store: Store
    keys: KeyCache
    limiter: RateLimiter
    # PUBLIC lookups by full ID number, per client address (CREDITHUB_PUBLIC_ID_LOOKUPS_PER_MINUTE)
    id_lookups: RateLimiter
    warming: bool = False


def _state(request: Request) -> HubState:
    state: HubState = request.app.state.hub
    return state


def _error(
    status: int,
    code: str,
    message: str,
    extra: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **(extra or {})}}]},
        status_code=status,
        headers=headers,
    )


# Codes of the HTTP-level refusals strawberry raises before any GraphQL runs.
HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


class HubGraphQL(GraphQL[HubContext, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """strawberry answers its HTTP-level refusals (content type, batching, a body that is not
        JSON, a mutation over GET) as plain text: here they are JSON with extensions.code."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as refusal:
            code = HTTP_CODES.get(refusal.status_code, "BAD_REQUEST")
            response = _error(refusal.status_code, code, refusal.reason)
        await response(scope, receive, send)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        """A body that is JSON but not an object (``null``, ``123``, ``"x"``) is refused here;
        strawberry read it as a mapping and failed with an AttributeError (HTTP 500)."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, (dict, list)):
            raise HTTPException(400, "the request body must be a JSON object")
        return parsed

    async def get_context(self, request: Any, response: Any) -> HubContext:
        hub = _state(request)
        return make_context(
            hub.store,
            hub.settings,
            request.scope["state"]["actor"],
            request.scope["state"]["request_id"],
            request=request,
            response=response,
            caller=request.scope["state"].get("caller", "-"),
            id_lookups=hub.id_lookups,
        )


class CallerMiddleware:
    """Binds a request id and the caller (actor) to every request; enforces body limits."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._handle(scope, receive, recording)
        finally:
            if access.isEnabledFor(logging.INFO):
                state = scope.get("state", {})
                actor = state.get("actor")
                access.info(
                    "%s %s %d %.1fms request_id=%s key=%s",
                    scope["method"],
                    urllib.parse.quote(scope["path"]),  # decoded by the server: %0A is a newline
                    status,
                    (time.perf_counter() - began) * 1000,
                    state.get("request_id", "-"),
                    (actor.key_id if actor is not None else None) or "-",
                )

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        hub: HubState = scope["app"].state.hub
        request_id = request.headers.get("x-request-id") or ""
        if not REQUEST_ID.fullmatch(request_id):  # it goes into logs and error answers
            request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        limit = (
            hub.settings.max_import_bytes
            if scope["path"].startswith("/api/import")
            else hub.settings.max_request_bytes
        )
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = _error(413, "PAYLOAD_TOO_LARGE", f"request body larger than {limit} bytes")
            await response(scope, receive, send_with_id)
            return
        actor = PUBLIC
        given = request.headers.getlist("authorization")
        token = bearer_token(given[0]) if len(given) == 1 else None
        if given and token is None:
            # Present but empty, blank, malformed or sent twice: never silently PUBLIC.
            message = (
                "send one Authorization header"
                if len(given) > 1
                else "use Authorization: Bearer <token>"
            )
            response = _error(401, "UNAUTHENTICATED", message)
            await response(scope, receive, send_with_id)
            return
        if token is not None:
            from hub.errors import HubError

            try:
                found = await hub.keys.actor(hub.store, token)
            except HubError as error:
                response = _error(503, error.code, error.message)
                await response(scope, receive, send_with_id)
                return
            if found is None:
                response = _error(401, "UNAUTHENTICATED", "unknown or revoked API key")
                await response(scope, receive, send_with_id)
                return
            actor = found
        scope["state"]["actor"] = actor
        client = scope.get("client")
        caller = actor.key_id or f"ip:{client[0] if client else '-'}"
        scope["state"]["caller"] = caller
        if scope["path"] in ("/graphql", "/api/import"):
            wait = hub.limiter.acquire(caller)
            if wait > 0:
                response = _error(
                    429,
                    "RATE_LIMITED",
                    "too many requests for this key; slow down",
                    headers={"Retry-After": retry_after(wait)},
                )
                await response(scope, receive, send_with_id)
                return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_id(message)

        try:
            await self.app(scope, _limited(receive, limit), tracking_send)
        except BodyTooLarge:
            if not started:
                response = _error(
                    413, "PAYLOAD_TOO_LARGE", f"request body larger than {limit} bytes"
                )
                await response(scope, receive, send_with_id)
        except Exception:
            # Starlette's own answer would be a plain-text 500 without the request id.
            log.exception("unexpected error request_id=%s", request_id)
            if started:
                raise
            response = _error(500, "INTERNAL", "Internal error.", {"requestId": request_id})
            await response(scope, receive, send_with_id)


class BodyTooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _warm(hub: HubState) -> None:
    """Warms Neo4j on the check's statements, then lets /readyz answer (hub/store/warmup.py)."""
    from hub.store.warmup import warm_checks

    try:
        await warm_checks(hub.store, hub.settings.warmup_seconds)
    finally:
        hub.warming = False
        if hub.settings.ready_dir is not None:
            mark_warm(hub.settings.ready_dir)


async def readyz(request: Request) -> Response:
    from hub.errors import HubError
    from hub.migrate import is_migrated

    hub = _state(request)
    ready_dir = hub.settings.ready_dir
    if hub.warming or (
        ready_dir is not None and warm_workers(ready_dir) < hub.settings.worker_count
    ):
        body = {"ready": False, "neo4j": None, "migrated": None, "warming": True}
        return JSONResponse(body, status_code=503)
    if not await hub.store.ping():
        return JSONResponse({"ready": False, "neo4j": False, "migrated": None}, status_code=503)
    try:
        migrated = await is_migrated(hub.store)
    except HubError:
        return JSONResponse({"ready": False, "neo4j": False, "migrated": None}, status_code=503)
    status = 200 if migrated else 503
    return JSONResponse(
        {"ready": migrated, "neo4j": True, "migrated": migrated}, status_code=status
    )


async def api_import(request: Request) -> Response:
    from hub.importer.parse import split_lines
    from hub.importer.runner import run_import

    hub = _state(request)
    actor: Actor = request.scope["state"]["actor"]
    if actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        code, status = ("UNAUTHENTICATED", 401) if actor.role == Role.PUBLIC else ("FORBIDDEN", 403)
        return _error(status, code, "uploads need a DEPARTMENT or ADMIN key")
    department = actor.department
    if actor.role == Role.ADMIN:
        department = request.query_params.get("department") or actor.department or "SYSTEM"
    elif request.query_params.get("department") not in (None, actor.department):
        return _error(403, "FORBIDDEN", f"this key uploads for {actor.department} only")
    try:
        body = await request.body()
    except BodyTooLarge:
        limit = hub.settings.max_import_bytes
        return _error(413, "PAYLOAD_TOO_LARGE", f"upload larger than {limit} bytes")
    from hub.errors import InvalidInput
    from hub.importer.shuanggongshi.sources import SNIFF_BYTES, Format, detect, format_of_type
    from hub.importer.shuanggongshi.upload import import_table

    source = request.query_params.get("source", "api")[:100]
    try:
        fmt = detect(
            body[:SNIFF_BYTES],
            source,
            request.query_params.get("format")
            or format_of_type(request.headers.get("content-type")),
        )
        if fmt != Format.JSONL:
            report = await import_table(
                hub.store,
                body,
                fmt,
                actor=actor,
                department=str(department),
                source=source,
                chunk=hub.settings.import_chunk_size,
                commit_records=hub.settings.import_commit_records,
                parallel=hub.settings.import_parallel_units,
                today=hub.settings.today(),
            )
        else:
            report = await run_import(
                hub.store,
                split_lines(body),
                actor=actor,
                department=str(department),
                source=source,
                chunk=hub.settings.import_chunk_size,
                commit_records=hub.settings.import_commit_records,
                parallel=hub.settings.import_parallel_units,
                max_line_bytes=hub.settings.max_line_bytes,
                today=hub.settings.today(),
            )
    except InvalidInput as error:
        return _error(400, error.code, error.message)
    status = 200 if report.committed else 400 if report.failure_code == "INVALID_HEADER" else 503
    return Response(
        orjson.dumps(report.as_dict(mask_ids=not actor.sees_personal_data)),
        status_code=status,
        media_type="application/json",
    )


def create_app(settings: Settings, instance: str = "main") -> Starlette:
    schema = build_schema(settings)
    graphql = HubGraphQL(
        schema,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        driver = open_driver(settings, instance)
        await driver.verify_connectivity()
        app.state.hub = HubState(
            settings=settings,
            store=Store(driver, settings),
            keys=KeyCache(),
            limiter=RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst),
            id_lookups=RateLimiter.per_minute(settings.public_id_lookups_per_minute),
        )
        tune_gc()
        warmup = None
        if settings.warmup_seconds > 0:
            app.state.hub.warming = True
            warmup = asyncio.create_task(_warm(app.state.hub))
        elif settings.ready_dir is not None:
            mark_warm(settings.ready_dir)
        try:
            yield
        finally:
            if warmup is not None:
                warmup.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await warmup
            await driver.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/api/import", api_import, methods=["POST"]),
            Route("/api/export/shuanggongshi", api_export, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    # Outermost last: security headers on every answer, then the request id and caller, then
    # the body deadline around the handlers that read a body.
    app.add_middleware(BodyDeadline, seconds=settings.body_timeout_seconds)
    app.add_middleware(CallerMiddleware)
    app.add_middleware(SecurityHeaders)
    return app
