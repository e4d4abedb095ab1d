"""Signing in to the workbench over HTTP (httpx against the real app), for the workbench's
tests."""

from __future__ import annotations

import re

import httpx

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found is not None, "no CSRF field on the page"
    return found.group(1)


async def sign_in(http: httpx.AsyncClient, token: str) -> httpx.Response:
    """GET the login form, POST the token with its CSRF value; the answer (303 when signed in)."""
    form = await http.get("/workbench/login")
    assert form.status_code == 200
    return await http.post(
        "/workbench/login", data={"token": token, "csrf": csrf_of(form.text), "next": ""}
    )


async def page_csrf(http: httpx.AsyncClient, path: str = "/workbench/") -> str:
    """The session's CSRF token, as a signed-in page carries it."""
    answer = await http.get(path)
    assert answer.status_code == 200, answer.status_code
    return csrf_of(answer.text)


def bad_check_character(code: str) -> str:
    """``code`` with another last (check) character: an invalid USCC whatever ``code`` is."""
    return code[:17] + ("1" if code[17] == "0" else "0")
