"""`credit-hub serve`'s HTTP server: keep-alive, slow clients, one write per answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
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


@contextlib.asynccontextmanager
async def running(app: Any, **changes: Any) -> AsyncIterator[tuple[uvicorn.Server, int]]:
    """``serve(app, **changes)`` serving on a free loopback port: (server, port)."""
    server = serve(app, **changes)
    serving = asyncio.create_task(server.serve())
    try:
        yield server, await started(server)
    finally:
        server.should_exit = True
        await serving


async def test_a_client_sending_headers_slowly_is_cut_off() -> None:
    """One header line every 0.3 s: on ce433eb still open after 100 s; now closed once the
    header deadline (0.8 s here) has passed."""
    async with running(ok, header_timeout_seconds=0.8) as (_, port):
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


async def _read_now(reader: asyncio.StreamReader) -> bytes | None:
    """What the server sent or b"" when it closed; None when nothing came within 50 ms."""
    try:
        return await asyncio.wait_for(reader.read(4096), timeout=0.05)
    except TimeoutError:
        return None


async def test_a_client_sending_its_body_slowly_gets_408() -> None:
    from hub.slow_clients import BodyDeadline

    async with running(BodyDeadline(read_body, seconds=0.8)) as (_, port):
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


async def test_connections_beyond_the_limit_are_answered_503() -> None:
    async with running(ok, max_connections=2) as (_, port):
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert (await ask(reader, writer)).startswith(b"HTTP/1.1 503")
        for _, w in [*idle, (reader, writer)]:
            w.close()


class Recording:
    """The socket side of a transport: what was written, in order, and whether it closed."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.writes.append(b"<close>")
        self.closed = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default


HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


async def test_a_response_head_and_its_body_leave_in_one_write() -> None:
    """uvicorn writes a head, then its body: two sends. Written in one turn of the loop they
    leave as one; other transport calls pass through."""
    from hub.slow_clients import HeadWithBody

    inner = Recording()
    transport = HeadWithBody(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(HEAD)
    transport.write(b"ok")
    assert inner.writes == [HEAD + b"ok"]
    assert transport.get_extra_info("peername") == ("127.0.0.1", 1)
    await asyncio.sleep(0)
    assert inner.writes == [HEAD + b"ok"]  # nothing left to flush


async def test_a_head_without_a_body_in_its_turn_is_sent_at_the_end_of_the_turn() -> None:
    """A HEAD answer or a stream whose first chunk is still to come: the head is not held past
    the turn of the loop; a close sends it first; a large body is not copied into the head."""
    from hub.slow_clients import HeadWithBody

    inner = Recording()
    transport = HeadWithBody(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(HEAD)
    assert inner.writes == []
    await asyncio.sleep(0)
    assert inner.writes == [HEAD]
    transport.write(HEAD)
    transport.close()
    assert inner.writes == [HEAD, HEAD, b"<close>"]

    inner = Recording()
    transport = HeadWithBody(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    large = b"x" * (HeadWithBody.JOIN_LIMIT + 1)
    transport.write(HEAD)
    transport.write(large)
    transport.write(b"more")
    assert inner.writes == [HEAD, large, b"more"]


async def sized(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "http":
        headers = [(b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})


async def slow_stream(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await asyncio.sleep(1.0)
    await send({"type": "http.response.body", "body": b"late", "more_body": False})


async def test_served_answers_arrive_whole_and_a_streams_head_does_not_wait_for_its_body() -> None:
    """Through the server's protocol: an ordinary answer and a HEAD answer arrive whole on a
    kept-alive connection; a stream's head arrives before its first chunk (1 s later)."""
    from hub.slow_clients import HeadWithBody

    async with running(sized) as (server, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        first = await ask(reader, writer)
        assert first.startswith(b"HTTP/1.1 200 OK") and first.endswith(b"\r\n\r\nok")
        (connection,) = server.server_state.connections
        assert isinstance(connection.transport, HeadWithBody)
        writer.write(b"HEAD / HTTP/1.1\r\nhost: hub\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
        assert head.startswith(b"HTTP/1.1 200 OK")
        again = await ask(reader, writer)  # the connection still answers
        assert again.endswith(b"\r\n\r\nok")
        writer.close()

    async with running(slow_stream) as (_, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nhost: hub\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=0.5)
        assert head.startswith(b"HTTP/1.1 200 OK") and b"transfer-encoding: chunked" in head
        rest = await asyncio.wait_for(reader.readuntil(b"0\r\n\r\n"), timeout=5)
        assert b"late" in rest
        writer.close()
