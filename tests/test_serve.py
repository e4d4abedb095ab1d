"""`credit-hub serve`'s HTTP server: idle keep-alive connections stay open as configured."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

from hub.cli import server_options
from hub.settings import load_settings

Message = MutableMapping[str, Any]


async def ok(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    writer.write(b"GET / HTTP/1.1\r\nhost: hub\r\n\r\n")
    await writer.drain()
    return await asyncio.wait_for(reader.read(4096), timeout=5)


async def test_an_idle_connection_stays_open_for_the_keep_alive_setting() -> None:
    """The setting reaches uvicorn: with uvicorn's own default (5 s) the connection would still
    be open after the second pause. (The hub's default, 75 s, only makes the same wait longer.)"""
    settings = load_settings(keep_alive_seconds=0.6)
    left_out = {"workers", "port", "host"}
    options = {k: v for k, v in server_options(settings).items() if k not in left_out}
    server = uvicorn.Server(uvicorn.Config(ok, host="127.0.0.1", port=0, lifespan="off", **options))
    serving = asyncio.create_task(server.serve())
    for _ in range(200):  # up to 10 s
        if server.started:
            break
        await asyncio.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert (await ask(reader, writer)).startswith(b"HTTP/1.1 200")
        await asyncio.sleep(0.2)  # idle, within the setting
        assert (await ask(reader, writer)).startswith(b"HTTP/1.1 200")
        await asyncio.sleep(1.5)  # idle past the setting: the server closed it
        assert await asyncio.wait_for(reader.read(4096), timeout=5) == b""
        writer.close()
    finally:
        server.should_exit = True
        await serving


async def started(server: uvicorn.Server) -> int:
    for _ in range(200):  # up to 10 s
        if server.started:
            break
        await asyncio.sleep(0.05)
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port


async def read_body(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"read"})


def serve(app: Any, **changes: Any) -> uvicorn.Server:
    settings = load_settings(**changes)
    left_out = {"workers", "port", "host"}
    options = {k: v for k, v in server_options(settings).items() if k not in left_out}
    return uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", **options))


async def test_a_client_sending_headers_slowly_is_cut_off() -> None:
    """One header line every 0.3 s: on ce433eb still open after 100 s; now closed once the
    header deadline (0.8 s here) has passed."""
    server = serve(ok, header_timeout_seconds=0.8)
    serving = asyncio.create_task(server.serve())
    port = await started(server)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        began = asyncio.get_running_loop().time()
        writer.write(b"GET / HTTP/1.1\r\n")
        closed = False
        for i in range(20):  # up to 6 s of trickling
            await asyncio.sleep(0.3)
            try:
                writer.write(f"x-slow-{i}: 1\r\n".encode())
                await writer.drain()
            except ConnectionError:
                closed = True
                break
            if reader.at_eof() or (await _read_now(reader)) == b"":
                closed = True
                break
        assert closed
        assert asyncio.get_running_loop().time() - began < 2.5
        writer.close()
    finally:
        server.should_exit = True
        await serving


async def _read_now(reader: asyncio.StreamReader) -> bytes | None:
    """What the server sent or b"" when it closed; None when nothing came within 50 ms."""
    try:
        return await asyncio.wait_for(reader.read(4096), timeout=0.05)
    except TimeoutError:
        return None


async def test_a_client_sending_its_body_slowly_gets_408() -> None:
    from hub.slow_clients import BodyDeadline

    server = serve(BodyDeadline(read_body, seconds=0.8))
    serving = asyncio.create_task(server.serve())
    port = await started(server)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST / HTTP/1.1\r\nhost: hub\r\ncontent-length: 100000\r\n\r\n")
        answer = b""
        for _ in range(20):  # one byte every 0.3 s, up to 6 s
            writer.write(b"x")
            await writer.drain()
            got = await _read_now(reader)
            if got:
                answer = got + await asyncio.wait_for(reader.read(), timeout=5)
                break
            await asyncio.sleep(0.25)
        assert answer.startswith(b"HTTP/1.1 408")
        assert b"REQUEST_TIMEOUT" in answer
        assert reader.at_eof()  # and the connection closed
        writer.close()
    finally:
        server.should_exit = True
        await serving


async def test_connections_beyond_the_limit_are_answered_503() -> None:
    server = serve(ok, max_connections=2)
    serving = asyncio.create_task(server.serve())
    port = await started(server)
    try:
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert (await ask(reader, writer)).startswith(b"HTTP/1.1 503")
        for _, w in [*idle, (reader, writer)]:
            w.close()
    finally:
        server.should_exit = True
        await serving
