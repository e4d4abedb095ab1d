"""Workbench sign-in over HTTP (the real app, real Neo4j): a token exchanged once for a session
cookie, CSRF refusals, idle expiry on the hub's settings, logout, a revoked key, sessions shared
by several hub processes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from hub.app import create_app
from hub.auth import Role, hash_token
from hub.keys import create_key, revoke_key
from hub.settings import Environment, Settings
from hub.store import Store
from tests.workbench_support import csrf_of, page_csrf, sign_in

pytestmark = pytest.mark.neo4j


@contextlib.asynccontextmanager
async def hub_client(
    settings: Settings, base: str = "http://hub"
) -> AsyncIterator[httpx.AsyncClient]:
    """One hub process (its own app, lifespan, key cache) and a browser-like client of it."""
    app = create_app(settings, "test")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base) as http:
            yield http


async def stored_sessions(store: Store) -> list[dict[str, Any]]:
    async with store.driver.session(database=store.database) as session:
        result = await session.run("MATCH (s:WorkbenchSession) RETURN s {.*} AS s")
        return [dict(record["s"]) for record in await result.fetch(100)]


async def test_a_token_is_exchanged_once_for_an_httponly_strict_session_cookie(
    client: httpx.AsyncClient, graph: Store
) -> None:
    key_id, token = await create_key(graph, Role.APPROVAL, None, "审批员甲")
    first = await client.get("/workbench/")
    assert first.status_code == 303
    assert first.headers["location"] == "/workbench/login?next=%2Fworkbench%2F"
    signed = await sign_in(client, token)
    assert signed.status_code == 303 and signed.headers["location"] == "/workbench/"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("credithub_workbench=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/workbench" in cookie
    assert "Secure" not in cookie  # development settings: plain http works on 127.0.0.1
    session_id = client.cookies["credithub_workbench"]
    assert token not in cookie and session_id != token
    home = await client.get("/workbench/")
    assert home.status_code == 200 and "审批员甲" in home.text
    assert home.headers["cache-control"] == "private, no-store"
    [stored] = await stored_sessions(graph)
    assert stored["hash"] == hash_token(session_id) and stored["keyId"] == key_id
    assert session_id not in str(stored) and token not in str(stored)


async def test_the_session_cookie_is_secure_outside_development(
    graph: Store, settings: Settings
) -> None:
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})
    async with hub_client(production, "https://hub") as http:  # Secure cookies need https
        form = await http.get("/workbench/login")
        assert "Secure" in form.headers["set-cookie"]
        signed = await http.post(
            "/workbench/login", data={"token": token, "csrf": csrf_of(form.text)}
        )
        assert signed.status_code == 303 and "Secure" in signed.headers["set-cookie"]


async def test_an_unknown_token_is_refused_with_the_form_again(
    client: httpx.AsyncClient, graph: Store
) -> None:
    answer = await sign_in(client, "chk_not-a-key")
    assert answer.status_code == 401
    assert "密钥无效或已停用" in answer.text
    assert "credithub_workbench" not in client.cookies
    assert await stored_sessions(graph) == []


async def test_forms_without_the_csrf_token_are_refused_403(
    client: httpx.AsyncClient, graph: Store
) -> None:
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    # The login form's own token (a cookie and the same value in the form): missing or wrong.
    await client.get("/workbench/login")
    refused = await client.post("/workbench/login", data={"token": token, "csrf": "forged"})
    assert refused.status_code == 403 and "安全令牌" in refused.text
    assert await stored_sessions(graph) == []
    assert (await sign_in(client, token)).status_code == 303
    # A signed-in form (logout) without the session's token, and with another session's.
    without = await client.post("/workbench/logout", data={})
    assert without.status_code == 403 and "表单缺少有效的安全令牌" in without.text
    wrong = await client.post("/workbench/logout", data={"csrf": "0" * 64})
    assert wrong.status_code == 403
    assert (await client.get("/workbench/")).status_code == 200  # still signed in


async def test_logout_ends_the_session_everywhere(client: httpx.AsyncClient, graph: Store) -> None:
    _, token = await create_key(graph, Role.DEPARTMENT, "AMR", "市监局")
    await sign_in(client, token)
    session_id = client.cookies["credithub_workbench"]
    out = await client.post("/workbench/logout", data={"csrf": await page_csrf(client)})
    assert out.status_code == 303 and out.headers["location"] == "/workbench/login?ended=1"
    assert "credithub_workbench" not in client.cookies
    assert await stored_sessions(graph) == []
    # The old cookie, replayed (a copy kept elsewhere), is worth nothing now.
    client.cookies.set("credithub_workbench", session_id, domain="hub.local", path="/workbench")
    replay = await client.get("/workbench/")
    assert replay.status_code == 303 and "expired=1" in replay.headers["location"]


async def test_an_idle_session_ends_after_the_setting_and_use_keeps_it_alive(
    graph: Store, settings: Settings
) -> None:
    _, token = await create_key(graph, Role.APPROVAL, None, "审批员")
    quick = settings.model_copy(update={"workbench_idle_seconds": 2.0})
    async with hub_client(quick) as http:
        await sign_in(http, token)
        for _ in range(3):  # used every 1.2 s: 3.6 s in all, never idle for 2 s
            await asyncio.sleep(1.2)
            assert (await http.get("/workbench/")).status_code == 200
        await asyncio.sleep(2.3)
        expired = await http.get("/workbench/")
        assert expired.status_code == 303
        assert expired.headers["location"] == "/workbench/login?next=%2Fworkbench%2F&expired=1"
        assert "credithub_workbench" not in http.cookies
        login = await http.get(expired.headers["location"])
        assert "登录已过期或已失效" in login.text
    assert await stored_sessions(graph) == []  # removed when found idle


async def backdate_sessions(store: Store, seconds: float) -> None:
    """Moves every stored session's last use ``seconds`` into the past (as if idle so long)."""
    async with store.driver.session(database=store.database) as session:
        query = (
            "MATCH (s:WorkbenchSession) SET s.lastSeen = s.lastSeen - duration({milliseconds: $ms})"
        )
        await (await session.run(query, {"ms": int(seconds * 1000)})).consume()


async def test_requests_within_a_minute_write_the_last_use_once(
    client: httpx.AsyncClient, graph: Store
) -> None:
    """The last use is written when the stored one is a minute old, not on every request: of
    two requests a few seconds apart only the first writes (the second would have stored its
    own, later time)."""
    _, token = await create_key(graph, Role.APPROVAL, None, "审批员")
    await sign_in(client, token)
    [signed] = await stored_sessions(graph)
    assert (await client.get("/workbench/")).status_code == 200
    [unwritten] = await stored_sessions(graph)
    assert unwritten["lastSeen"] == signed["lastSeen"]  # used within the minute: nothing written
    await backdate_sessions(graph, 61)
    [old] = await stored_sessions(graph)
    assert (await client.get("/workbench/")).status_code == 200
    [first] = await stored_sessions(graph)
    assert first["lastSeen"] > signed["lastSeen"] > old["lastSeen"]  # one write, this request's
    await asyncio.sleep(0.05)
    assert (await client.get("/workbench/check")).status_code == 200
    [second] = await stored_sessions(graph)
    assert second["lastSeen"] == first["lastSeen"]  # the second request wrote nothing


async def test_idle_expiry_still_ends_a_session_with_the_default_limit(
    client: httpx.AsyncClient, graph: Store, settings: Settings
) -> None:
    """With the default 1,800 s: a session last used 1,790 s ago is alive (and its last use is
    written again), one last used 1,801 s ago has ended and is removed."""
    assert settings.workbench_idle_seconds == 1800.0
    _, token = await create_key(graph, Role.APPROVAL, None, "审批员")
    await sign_in(client, token)
    await backdate_sessions(graph, 1790)
    assert (await client.get("/workbench/")).status_code == 200
    await backdate_sessions(graph, 1801)
    expired = await client.get("/workbench/")
    assert expired.status_code == 303 and "expired=1" in expired.headers["location"]
    assert await stored_sessions(graph) == []


async def test_a_revoked_keys_session_ends_at_its_next_request(
    client: httpx.AsyncClient, graph: Store
) -> None:
    key_id, token = await create_key(graph, Role.INVESTIGATOR, None, "调查员")
    await sign_in(client, token)
    assert (await client.get("/workbench/")).status_code == 200
    await revoke_key(graph, key_id)
    gone = await client.get("/workbench/")
    assert gone.status_code == 303 and "expired=1" in gone.headers["location"]
    # Signing in again with the revoked token is refused too, though the key cache still
    # holds it for up to 30 s (the session is stored only for an unrevoked key).
    assert (await sign_in(client, token)).status_code == 401


async def test_sessions_hold_across_hub_processes(graph: Store, settings: Settings) -> None:
    """Two apps (as two workers of `credit-hub serve --workers 2`): a session started on one is
    good on the other, and a logout on the other ends it on the first."""
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    async with hub_client(settings) as first, hub_client(settings) as second:
        await sign_in(first, token)
        session_id = first.cookies["credithub_workbench"]
        second.cookies.set("credithub_workbench", session_id, domain="hub.local", path="/workbench")
        assert (await second.get("/workbench/")).status_code == 200
        out = await second.post("/workbench/logout", data={"csrf": await page_csrf(second)})
        assert out.status_code == 303
        assert (await first.get("/workbench/")).status_code == 303


async def test_signing_in_again_ends_the_session_before(
    client: httpx.AsyncClient, graph: Store
) -> None:
    _, first = await create_key(graph, Role.APPROVAL, None, "甲")
    _, second = await create_key(graph, Role.ADMIN, None, "乙")
    await sign_in(client, first)
    before = client.cookies["credithub_workbench"]
    await sign_in(client, second)
    assert client.cookies["credithub_workbench"] != before
    assert len(await stored_sessions(graph)) == 1
    assert "乙" in (await client.get("/workbench/")).text


async def test_next_leads_back_to_a_workbench_page_only(
    client: httpx.AsyncClient, graph: Store
) -> None:
    _, token = await create_key(graph, Role.ADMIN, None, "管理员")
    for given, expected in (
        ("/workbench/", "/workbench/"),
        ("https://elsewhere.example/", "/workbench/"),
        ("//elsewhere.example/workbench/", "/workbench/"),
        ("/workbench//elsewhere", "/workbench/"),
    ):
        form = await client.get("/workbench/login")
        answer = await client.post(
            "/workbench/login", data={"token": token, "csrf": csrf_of(form.text), "next": given}
        )
        assert answer.headers["location"] == expected, given
