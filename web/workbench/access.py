"""How a workbench page is reached: the session cookie, the roles the page declares, the CSRF
token of its forms. A page is declared with ``workbench_route(path, handler, roles)``; its
handler is ``async def handler(request, desk) -> Response`` and runs only for a live session
whose key's role is in ``roles`` (else: no session → the login page; another role → 403, as
the API answers FORBIDDEN; a POST without the session's CSRF token → 403).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import strawberry
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from hub.app_state import hub_of
from hub.auth import Actor, Role
from hub.errors import HubError
from hub.sessions import csrf_matches, csrf_token, session_actor
from hub.settings import Environment, Settings
from web.client import Answer, run
from web.render import render

COOKIE = "credithub_workbench"
LOGIN = "/workbench/login"
# Largest form a workbench page reads (a batch file of 1,000 rows is ~40 kB as CSV); the hub's
# body limit (CREDITHUB_MAX_REQUEST_BYTES) applies before it.
MAX_FORM_PART = 5 * 1024 * 1024
PRIVATE = {"Cache-Control": "private, no-store"}

# The roles of each area of the workbench (docs/workbench.md).
APPROVERS = frozenset({Role.APPROVAL, Role.DEPARTMENT})
DEPARTMENTS = frozenset({Role.DEPARTMENT})
INVESTIGATORS = frozenset({Role.INVESTIGATOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
SIGNED_IN = frozenset(Role) - {Role.PUBLIC}
# Punishment statistics as charts: a department its own figures, ADMIN the county's.
STATISTICS_READERS = frozenset({Role.DEPARTMENT, Role.ADMIN})


def cookie_secure(settings: Settings) -> bool:
    """Secure (HTTPS only) outside development settings."""
    return settings.environment != Environment.DEVELOPMENT


def set_session_cookie(response: Response, settings: Settings, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        path="/workbench",
        httponly=True,
        samesite="strict",
        secure=cookie_secure(settings),
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path="/workbench", httponly=True, samesite="strict", secure=cookie_secure(settings)
    )


@dataclass(frozen=True)
class MenuItem:
    """A menu entry: ``name`` is the key of its Chinese label in the templates (layout.html)."""

    name: str
    path: str
    roles: frozenset[Role]


# The menu, in order; an entry shows only to its roles. A new area adds its entry here and
# its label in web/templates/workbench/layout.html.
MENU: tuple[MenuItem, ...] = (
    MenuItem("home", "/workbench/", SIGNED_IN),
    MenuItem("check", "/workbench/check", APPROVERS),
    MenuItem("batch", "/workbench/batch", APPROVERS),
    MenuItem("desk", "/workbench/desk", DEPARTMENTS),
    MenuItem("listings", "/workbench/listings", DEPARTMENTS),
    MenuItem("objections", "/workbench/objections", DEPARTMENTS),
    MenuItem("repairs", "/workbench/repairs", DEPARTMENTS),
    MenuItem("actions", "/workbench/actions", DEPARTMENTS),
    MenuItem("explorer", "/workbench/explorer", INVESTIGATORS),
    MenuItem("statistics", "/workbench/statistics", STATISTICS_READERS),
    MenuItem("keys", "/workbench/keys", ADMINS),
    MenuItem("audit", "/workbench/audit", ADMINS),
)


def menu_for(role: Role) -> list[MenuItem]:
    return [item for item in MENU if role in item.roles]


@dataclass
class Desk:
    """What a workbench handler gets: the signed-in actor, the session's CSRF token, the
    submitted form (POST), and helpers that render and run GraphQL as this actor."""

    request: Request
    schema: strawberry.Schema
    actor: Actor
    csrf: str
    form: FormData | None = None

    def field(self, name: str, limit: int = 200) -> str:
        """A text field of the submitted form, stripped and cut at ``limit``."""
        value = self.form.get(name) if self.form is not None else None
        return value.strip()[:limit] if isinstance(value, str) else ""

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> Answer:
        return await run(self.schema, self.request, query, variables, actor=self.actor)

    def page(self, name: str, status: int = 200, **data: Any) -> Response:
        return workbench_page(self.request, name, status, actor=self.actor, csrf=self.csrf, **data)


def workbench_page(
    request: Request,
    name: str,
    status: int = 200,
    actor: Actor | None = None,
    csrf: str = "",
    **data: Any,
) -> Response:
    """A workbench page: never cached (it holds what the key may see)."""
    menu = menu_for(actor.role) if actor is not None else []
    html = render(
        "workbench", name, path=request.url.path, actor=actor, csrf=csrf, menu=menu, **data
    )
    return HTMLResponse(html, status_code=status, headers=PRIVATE)


def to_login(request: Request, expired: bool = False) -> Response:
    query = {"next": request.url.path} if request.method == "GET" else {}
    if expired:
        query["expired"] = "1"
    target = LOGIN + ("?" + urllib.parse.urlencode(query) if query else "")
    response = RedirectResponse(target, status_code=303, headers=PRIVATE)
    if expired:
        clear_session_cookie(response, hub_of(request.scope).settings)
    return response


Handler = Callable[[Request, Desk], Awaitable[Response]]


def workbench_route(
    path: str,
    handler: Handler,
    roles: Iterable[Role],
    schema: strawberry.Schema,
    methods: Iterable[str] = ("GET",),
    upload: bool = False,
) -> Route:
    """The route of a workbench page that ``roles`` may use (see the module's docstring).
    ``upload``: its form may hold a file as large as an upload (CREDITHUB_MAX_IMPORT_BYTES;
    the path must also be in hub/middleware/body_limit.py's UPLOAD_PATHS)."""
    allowed = frozenset(roles)

    async def endpoint(request: Request) -> Response:
        hub = hub_of(request.scope)
        session_id = request.cookies.get(COOKIE)
        if not session_id:
            return to_login(request)
        try:
            actor = await session_actor(hub.store, hub.settings, session_id)
        except HubError:
            return workbench_page(request, "refused.html", 503, code="SERVICE_UNAVAILABLE")
        if actor is None:
            return to_login(request, expired=True)
        csrf = csrf_token(session_id)
        if actor.role not in allowed:
            return workbench_page(request, "refused.html", 403, actor, csrf, code="FORBIDDEN")
        if request.method != "POST":
            return await handler(request, Desk(request, schema, actor, csrf))
        largest = hub.settings.max_import_bytes if upload else MAX_FORM_PART
        async with request.form(
            max_files=1, max_fields=50, max_part_size=largest
        ) as form:  # uploaded files are closed when the handler is done
            given = form.get("csrf")
            if not csrf_matches(session_id, given if isinstance(given, str) else None):
                return workbench_page(request, "refused.html", 403, actor, csrf, code="CSRF")
            return await handler(request, Desk(request, schema, actor, csrf, form))

    return Route(path, endpoint, methods=list(methods))
