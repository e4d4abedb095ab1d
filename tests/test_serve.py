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
