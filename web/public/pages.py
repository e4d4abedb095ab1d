"""Handlers of the public site: each runs one GraphQL document as PUBLIC and renders a template.

Input is passed to the API as given; its answer decides (an invalid code is the API's
INVALID_USCC, a page past the end its BAD_USER_INPUT): no rule is repeated here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.identifiers import mask_id_number
from web import caching
from web.client import Answer, document, run
from web.render import render, version

HOME = document("public", "home")
SEARCH = document("public", "search")
SUBJECT = document("public", "subject")
LISTS = document("public", "lists")

KINDS = (
    "ENTERPRISE",
    "INDIVIDUAL_BUSINESS",
    "COOPERATIVE",
    "VILLAGE_COLLECTIVE",
    "INSTITUTION",
    "SOCIAL_ORGANIZATION",
    "OTHER",
    "PERSON",
)
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
LIST_NAMES = {"black": "BLACK", "red": "RED"}
# Input errors the API answers for a page's parameters: the page says so (400), not 500.
INPUT_CODES = {"BAD_USER_INPUT", "INVALID_USCC", "INVALID_ID_NUMBER", "GRAPHQL_VALIDATION_FAILED"}


def page(
    request: Request, name: str, status: int = 200, *, private: bool = False, **data: Any
) -> Response:
    """Template ``name`` rendered from ``data``. A public 200 page carries the ETag of its data
    (web/caching.py) and is not rendered when the client already holds it; a ``private`` one
    (personal data, a verification code) is ``private, no-store`` and has no ETag."""
    data["path"] = request.url.path
    if status == 200 and not private:
        etag = caching.etag_of_data(version("public"), name, data)
        unchanged = caching.not_modified(request, etag)
        if unchanged is not None:
            return unchanged
        return caching.page(render("public", name, **data), status, etag)
    return caching.page(render("public", name, **data), status)


def refused(request: Request, answer: Answer, **data: Any) -> Response:
    code = answer.code()
    if code == "RATE_LIMITED":
        return page(request, "error.html", 429, code=code, **data)
    if code == "NOT_FOUND":
        return page(request, "error.html", 404, code=code, **data)
    status = 400 if code in INPUT_CODES else 503 if code == "SERVICE_UNAVAILABLE" else 500
    return page(request, "error.html", status, code=code, **data)


def _arg(request: Request, name: str, limit: int = 100) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value[:limit] or None


def _day(request: Request, name: str) -> str | None:
    value = _arg(request, name, 10)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return "invalid"  # the API refuses it with its own message


def site(schema: strawberry.Schema) -> list[BaseRoute]:
    """The public site's routes, its pages reading through ``schema`` as PUBLIC."""

    async def home(request: Request) -> Response:
        answer = await run(schema, request, HOME)
        if answer.data is None:
            return refused(request, answer)
        return page(request, "home.html", **answer.data)

    async def search(request: Request) -> Response:
        text = _arg(request, "q")
        kind = _arg(request, "kind")
        filters = {
            "kind": kind if kind in KINDS else None,
            "division": _arg(request, "division", 6),
            "list": LIST_NAMES.get(_arg(request, "list") or ""),
        }
        if text is None:
            return page(request, "search.html", q="", filters=filters, search=None)
        variables = {"text": text, "after": _arg(request, "after", 200), **filters}
        answer = await run(schema, request, SEARCH, variables)
        # A searched ID number is personal data: echoed masked, and the page is not stored.
        private = ID_NUMBER.fullmatch(text) is not None
        shown = mask_id_number(text) if private else text
        if answer.data is None:
            return refused(request, answer, q=shown)
        return page(
            request, "search.html", private=private, q=shown, filters=filters, **answer.data
        )

    async def subject(request: Request) -> Response:
        uscc = request.path_params["uscc"]
        after = _arg(request, "after", 200)
        answer = await run(schema, request, SUBJECT, {"uscc": uscc, "after": after})
        if answer.data is None or answer.errors:
            return refused(request, answer, q=uscc)
        if answer.data["enterprise"] is None:
            return page(request, "error.html", 404, code="NOT_FOUND", q=uscc)
        return page(request, "subject.html", after=after, **answer.data)

    async def lists(request: Request) -> Response:
        which = request.path_params["which"]
        if which not in LIST_NAMES:
            return page(request, "error.html", 404, code="NOT_FOUND")
        filters = {
            "domain": _arg(request, "domain", 40),
            "department": _arg(request, "department", 40),
            "from": _day(request, "from"),
            "to": _day(request, "to"),
        }
        variables = {"list": LIST_NAMES[which], "after": _arg(request, "after", 200), **filters}
        answer = await run(schema, request, LISTS, variables)
        if answer.data is None:
            return refused(request, answer)
        return page(request, "lists.html", which=which, filters=filters, **answer.data)

    return [
        Route("/", home, methods=["GET", "HEAD"]),
        Route("/search", search, methods=["GET", "HEAD"]),
        Route("/subjects/{uscc}", subject, methods=["GET", "HEAD"]),
        Route("/lists/{which}", lists, methods=["GET", "HEAD"]),
    ]
