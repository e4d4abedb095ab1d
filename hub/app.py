"""The Starlette application: GraphQL, health, readiness and the import endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any, cast

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from graphql_engine.build import build_schema
from hub.app_state import HubState, hub_of
from hub.auth import PUBLIC, Actor, Role, bearer_token
from hub.errors import HubError, InvalidInput
from hub.export_routes import api_export
from hub.importer.shuanggongshi.sources import format_of_type
from hub.importer.uploads import import_upload
from hub.keys import KeyCache
from hub.middleware.access_log import AccessLog
from hub.middleware.answers import json_error
from hub.middleware.authentication import Authentication
from hub.middleware.body_limit import BodyLimit, BodyTooLarge
from hub.middleware.rate_limit import RateLimit
from hub.middleware.request_id import RequestId
from hub.middleware.security_headers import SecurityHeaders
from hub.migrate import is_migrated
from hub.policy import may_upload, upload_department
from hub.ratelimit import RateLimiter
from hub.runtime import tune_gc
from hub.settings import Settings
from hub.slow_clients import BodyDeadline
from hub.store import Store, open_driver
from hub.store.warmup import warm_checks
from hub.worker_readiness import mark_warm, warm_workers
from resolvers.context import HubContext, make_context
from web.assets import mounts
from web.caching import PublicGetCache
from web.explorer.pages import explorer_routes
from web.graphiql import graphiql_page
from web.public.pages import site
from web.public.reports import report_pages
from web.workbench.routes import workbench


def _state(request: Request) -> HubState:
    return hub_of(request.scope)


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
            response = json_error(refusal.status_code, code, refusal.reason)
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

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_page()  # from the packages the hub serves, not from a CDN

    async def get_context(self, request: Any, response: Any) -> HubContext:
        hub = _state(request)
        if request.scope["type"] == "websocket":
            # No HTTP middleware runs on a WebSocket: PUBLIC until connection_init names a key
            # (on_ws_connect); its own request id for the logs and the audit trail.
            client = request.scope.get("client")
            return make_context(
                hub.store,
                hub.settings,
                PUBLIC,
                "ws-" + uuid.uuid4().hex[:16],
                request=request,
                response=response,
                caller=f"ip:{client[0] if client else '-'}",
                id_lookups=hub.id_lookups,
                reports=hub.reports,
            )
        return make_context(
            hub.store,
            hub.settings,
            request.scope["state"]["actor"],
            request.scope["state"]["request_id"],
            request=request,
            response=response,
            caller=request.scope["state"].get("caller", "-"),
            id_lookups=hub.id_lookups,
            reports=hub.reports,
        )

    async def on_ws_connect(self, context: HubContext) -> UnsetType | dict[str, object] | None:
        """The key of a subscription: ``{"authorization": "Bearer <token>"}`` in the
        connection_init payload, else the handshake's Authorization header; none: PUBLIC. An
        unknown, revoked or malformed key closes the connection (4403), never PUBLIC."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        given = params.get("authorization", params.get("Authorization"))
        if given is None and context.request is not None:
            given = context.request.headers.get("authorization")
        if given is None:
            return cast(UnsetType, UNSET)
        token = bearer_token(given) if isinstance(given, str) else None
        if token is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        hub = _state(context.request)
        try:
            actor = await hub.keys.actor(hub.store, token)
        except HubError as error:
            raise ConnectionRejectionError({"code": error.code}) from error
        if actor is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        context.actor = actor
        context.caller = actor.key_id or context.caller
        return cast(UnsetType, UNSET)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _warm(hub: HubState) -> None:
    """Warms Neo4j on the check's statements, then lets /readyz answer (hub/store/warmup.py)."""
    try:
        await warm_checks(hub.store, hub.settings.warmup_seconds)
    finally:
        hub.warming = False
        if hub.settings.ready_dir is not None:
            mark_warm(hub.settings.ready_dir)


async def readyz(request: Request) -> Response:
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
    hub = _state(request)
    actor: Actor = request.scope["state"]["actor"]
    if not may_upload(actor):
        code, status = ("UNAUTHENTICATED", 401) if actor.role == Role.PUBLIC else ("FORBIDDEN", 403)
        return json_error(status, code, "uploads need a DEPARTMENT or ADMIN key")
    department = upload_department(actor, request.query_params.get("department"))
    if department is None:
        return json_error(403, "FORBIDDEN", f"this key uploads for {actor.department} only")
    try:
        body = await request.body()
    except BodyTooLarge:
        limit = hub.settings.max_import_bytes
        return json_error(413, "PAYLOAD_TOO_LARGE", f"upload larger than {limit} bytes")

    source = request.query_params.get("source", "api")[:100]
    try:
        report = await import_upload(
            hub.store,
            hub.settings,
            body,
            actor=actor,
            department=str(department),
            source=source,
            declared=request.query_params.get("format")
            or format_of_type(request.headers.get("content-type")),
        )
    except InvalidInput as error:
        return json_error(400, error.code, error.message)
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
            reports=RateLimiter.per_minute(settings.public_reports_per_minute),
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
            Route("/graphql", PublicGetCache(graphql), methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions (docs/feeds.md)
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/api/import", api_import, methods=["POST"]),
            Route("/api/export/shuanggongshi", api_export, methods=["GET"]),
            *site(schema),
            *report_pages(schema),
            *workbench(schema),
            *explorer_routes(schema),
            *mounts(),
        ],
        lifespan=lifespan,
    )
    # Outermost last (hub/middleware/__init__.py): security headers on every answer, the access
    # log, the request id, the body limit, the caller, the rate limit, then the body deadline
    # around the handlers that read a body.
    app.add_middleware(BodyDeadline, seconds=settings.body_timeout_seconds)
    app.add_middleware(RateLimit)
    app.add_middleware(Authentication)
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestId)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders)
    return app
