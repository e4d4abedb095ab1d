"""Sign-in and sign-out: a key's token posted once to /workbench/login becomes a session cookie
(hub/sessions.py); the login form is protected by a double-submit token (a cookie of its own
and the same value in the form), the other forms by the session's CSRF token."""

from __future__ import annotations

import hmac
import secrets

import strawberry
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from hub.app_state import hub_of
from hub.errors import HubError
from hub.sessions import end_session, start_session
from web.workbench.access import (
    COOKIE,
    LOGIN,
    PRIVATE,
    SIGNED_IN,
    Desk,
    clear_session_cookie,
    cookie_secure,
    set_session_cookie,
    workbench_page,
    workbench_route,
)

LOGIN_COOKIE = "credithub_workbench_login"
HOME = "/workbench/"


def _next(value: str | None) -> str:
    """Where to go after signing in: a workbench path only (never another site)."""
    if value and value.startswith("/workbench/") and "//" not in value and "\\" not in value:
        return value
    return HOME


def _login_page(
    request: Request, status: int = 200, error: str | None = None, next_path: str = HOME
) -> Response:
    token = secrets.token_urlsafe(24)
    expired = request.query_params.get("expired") == "1"
    ended = request.query_params.get("ended") == "1"
    response = workbench_page(
        request,
        "login.html",
        status,
        csrf=token,
        error=error,
        expired=expired,
        ended=ended,
        next=next_path,
        idle_minutes=max(1, round(hub_of(request.scope).settings.workbench_idle_seconds / 60)),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        path=LOGIN,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(hub_of(request.scope).settings),
    )
    return response


async def login_form(request: Request) -> Response:
    return _login_page(request, next_path=_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    hub = hub_of(request.scope)
    async with request.form(max_files=0, max_fields=5, max_part_size=4096) as form:
        token = str(form.get("token") or "").strip()
        given = str(form.get("csrf") or "")
        next_path = _next(str(form.get("next") or ""))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, given):
        return workbench_page(request, "refused.html", 403, code="CSRF", login=True)
    if not token or len(token) > 200:
        return _login_page(request, 400, "EMPTY", next_path)
    try:
        actor = await hub.keys.actor(hub.store, token)
        session_id = await start_session(hub.store, hub.settings, actor) if actor else None
        previous = request.cookies.get(COOKIE)
        if session_id is not None and previous:
            await end_session(hub.store, previous)  # signing in again ends the session before
    except HubError:
        return workbench_page(request, "refused.html", 503, code="SERVICE_UNAVAILABLE")
    if session_id is None:
        return _login_page(request, 401, "UNKNOWN_KEY", next_path)
    response = RedirectResponse(next_path, status_code=303, headers=PRIVATE)
    set_session_cookie(response, hub.settings, session_id)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN)
    return response


async def logout(request: Request, desk: Desk) -> Response:
    hub = hub_of(request.scope)
    session_id = request.cookies.get(COOKIE, "")
    try:
        await end_session(hub.store, session_id)
    except HubError:
        return desk.page("refused.html", 503, code="SERVICE_UNAVAILABLE")
    response = RedirectResponse(LOGIN + "?ended=1", status_code=303, headers=PRIVATE)
    clear_session_cookie(response, hub.settings)
    return response


async def home(request: Request, desk: Desk) -> Response:
    return desk.page("home.html")


def sign_in_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        Route(LOGIN, login_form, methods=["GET", "HEAD"]),
        Route(LOGIN, login, methods=["POST"]),
        workbench_route("/workbench/logout", logout, SIGNED_IN, schema, methods=["POST"]),
        workbench_route(HOME, home, SIGNED_IN, schema),
    ]
