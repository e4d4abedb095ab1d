"""Bounds on how slowly a client may send a request (slowloris and slow-body clients).

uvicorn has a keep-alive timeout for idle connections but none for a request being sent: a
client that sends one header line every 5 s, or a ``Content-Length: 100000`` body one byte
every 5 s, held its connection (and, with enough of them, the server) for as long as it liked
(issue 22, finding 6). Two bounds, both from the settings:

* **headers** — ``HeaderDeadlineProtocol``, uvicorn's httptools protocol with a deadline: from a
  connection's start, and again from the first byte of each request, the headers must be
  complete within ``CREDITHUB_HEADER_TIMEOUT_SECONDS``, or the connection is closed. (Headers
  arrive before the ASGI app is called, so only the server can time them.)
* **body** — ``BodyDeadline``, an ASGI middleware: the whole body must arrive within
  ``CREDITHUB_BODY_TIMEOUT_SECONDS`` of the app's first read, or the answer is 408
  ``REQUEST_TIMEOUT`` with ``Connection: close``.

The same protocol also hands uvicorn a transport that sends each answer's head in one write with
its body (``HeadWithBody``): not a bound, but it lives where the protocol is made.

Connections in flight per worker are bounded by uvicorn's ``limit_concurrency``
(``CREDITHUB_MAX_CONNECTIONS``): beyond it new requests get 503 at once. docs/operations.md says
what a reverse proxy in front should add.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class Deadlines:
    """Coarse deadlines of many short waits on one event loop, kept by one timer for all.

    ``add`` and ``remove`` are two dictionary operations; every ``tick`` seconds, while any
    deadline is kept, one sweep calls the ``expire`` of those that passed (so a deadline fires
    up to ``tick`` late). A timer per wait (``asyncio.timeout_at``) cost each request a
    ``TimerHandle`` pushed on the loop's heap and cancelled, about sixteen Python calls
    (docs/architecture.md). The tick should not be short: while the sweep's own timer is the
    loop's earliest, the handles other code cancelled (the driver's socket timeouts) stay in
    the heap instead of being dropped from its top, and every push and pop compares more."""

    def __init__(self, loop: asyncio.AbstractEventLoop, tick: float) -> None:
        self.loop = loop
        self.tick = tick
        self._due: dict[object, tuple[float, Callable[[], None]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, key: object, when: float, expire: Callable[[], None]) -> None:
        self._due[key] = (when, expire)
        if self._timer is None:
            self._timer = self.loop.call_later(self.tick, self._sweep)

    def remove(self, key: object) -> None:
        self._due.pop(key, None)

    def _sweep(self) -> None:
        now = self.loop.time()
        for key in [k for k, (when, _) in self._due.items() if when <= now]:
            _, expire = self._due.pop(key)
            expire()
        self._timer = self.loop.call_later(self.tick, self._sweep) if self._due else None


class LoopDeadlines:
    """A ``Deadlines`` for the running event loop, made on first use (none before: a worker
    process that unpickles its server's options makes its own)."""

    def __init__(self, tick: float) -> None:
        self.tick = tick
        self._deadlines: Deadlines | None = None

    def on(self, loop: asyncio.AbstractEventLoop) -> Deadlines:
        deadlines = self._deadlines
        if deadlines is None or deadlines.loop is not loop:
            deadlines = self._deadlines = Deadlines(loop, self.tick)
        return deadlines


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing a connection whose headers come too slowly (the
    deadlines of a worker's connections kept by one sweep: ``Deadlines``)."""

    def __init__(
        self,
        *args: Any,
        header_timeout: float,
        deadlines: LoopDeadlines | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self.deadlines = (deadlines or LoopDeadlines(header_timeout / 4)).on(self.loop)

    def _arm(self) -> None:
        self.deadlines.add(self, self.loop.time() + self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        self.deadlines.remove(self)

    def _too_slow(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeadWithBody(transport, self.loop))  # type: ignore[arg-type]
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class HeadWithBody:
    """A connection's transport that sends a response's head in one write with its body.

    uvicorn writes a response's status line and headers, then its body, as two writes: two
    ``send`` system calls, and on loopback the kernel runs the receiver's TCP path in each.
    Here a write that is a response head is held until the next write of the same turn of the
    event loop (a Starlette answer sends both in one step) and sent joined to it; one that is
    not followed in that turn (a HEAD answer, a stream's first chunk still to come) is sent
    alone at the end of the turn, and before a close. Every other write passes unchanged.
    """

    __slots__ = ("_head", "_loop", "_transport")

    JOIN_LIMIT = 65536  # a larger body is written after its head, not copied into one write

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._head: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        head = self._head
        if head is not None:
            self._head = None
            if len(data) <= self.JOIN_LIMIT:
                self._transport.write(head + bytes(data))
                return
            self._transport.write(head)
        elif data[:5] == b"HTTP/":
            self._head = bytes(data)
            self._loop.call_soon(self._flush)
            return
        self._transport.write(data)

    def _flush(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            if not self._transport.is_closing():
                self._transport.write(head)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def header_deadline_protocol(header_timeout: float) -> functools.partial[HeaderDeadlineProtocol]:
    """The protocol factory for uvicorn's ``http`` option (picklable for worker processes: each
    makes its own sweep on first use)."""
    return functools.partial(
        HeaderDeadlineProtocol,
        header_timeout=header_timeout,
        deadlines=LoopDeadlines(header_timeout / 4),
    )


class BodyTimeout(Exception):
    """The request body did not arrive in time."""


class BodyDeadline:
    """Answers 408 when a request's body is not all there within ``seconds`` of the first read
    (checked every ``seconds`` / 4: ``Deadlines``; the 408 comes at most a quarter late)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.deadlines = LoopDeadlines(seconds / 4)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadlines = self.deadlines.on(asyncio.get_running_loop())
        deadline: float | None = None
        started = False

        async def timed_receive() -> Message:
            nonlocal deadline
            if deadline is None:
                deadline = deadlines.loop.time() + self.seconds
            task = asyncio.current_task()
            expired = False

            def expire() -> None:
                nonlocal expired
                expired = True
                if task is not None:
                    task.cancel()

            deadlines.add(task, deadline, expire)
            try:
                return await receive()
            except asyncio.CancelledError:
                # our cancellation (the deadline passed), not one from outside
                if expired and task is not None and task.uncancel() == 0:
                    raise BodyTimeout from None
                raise
            finally:
                deadlines.remove(task)

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except BodyTimeout:
            if started:
                raise
            await _request_timeout(send, self.seconds)


async def _request_timeout(send: Send, seconds: float) -> None:
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": f"the request body did not arrive within {seconds:g} s",
                    "extensions": {"code": "REQUEST_TIMEOUT"},
                }
            ]
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 408,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
