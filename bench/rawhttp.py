"""A minimal keep-alive HTTP/1.1 client for load generation on the hub's own machine.

On two shared cores the load generator takes CPU from the server it measures: httpx spends
about 1 ms of Python per request (request building, header models, the response's JSON), which
shows up in the hub's latency and takes a slice of the cores at concurrency 8. This client
writes a pre-built request and reads the status line, the headers it needs and the body, over
a pool of persistent connections — the work a load generator on another host would not charge
to the hub. Only what `credit-hub serve` answers is handled: Content-Length or chunked bodies.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import orjson


class RawClient:
    """POSTs JSON to one host over up to ``size`` persistent connections."""

    def __init__(self, host: str, port: int, headers: dict[str, str], size: int) -> None:
        self._host, self._port = host, port
        self._head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._idle: asyncio.LifoQueue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.LifoQueue()
        )
        self._open: list[asyncio.StreamWriter] = []
        self._slots = asyncio.Semaphore(size)

    async def __aenter__(self) -> RawClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for writer in self._open:
            writer.close()

    async def post(self, path: str, payload: object) -> tuple[int, object]:
        """(status, decoded JSON body)."""
        body = orjson.dumps(payload)
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{self._head}\r\n"
        ).encode() + body
        async with self._slots:
            while True:
                reused = not self._idle.empty()
                if reused:
                    reader, writer = self._idle.get_nowait()
                else:
                    reader, writer = await asyncio.open_connection(self._host, self._port)
                    self._open.append(writer)
                try:
                    writer.write(request)
                    await writer.drain()
                    status, data, keep = await _response(reader)
                except (ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    if reused:
                        continue  # the server closed an idle connection (keep-alive timeout)
                    raise
                break
            if keep:
                self._idle.put_nowait((reader, writer))
            else:
                writer.close()
            return status, orjson.loads(data)

    async def graphql(self, query: str, variables: dict[str, Any]) -> bool:
        """POST /graphql; whether the answer is a 200 without errors."""
        status, body = await self.post("/graphql", {"query": query, "variables": variables})
        return status == 200 and isinstance(body, dict) and "errors" not in body


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length: int | None = None
    chunked = False
    keep = True
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep = b"close" not in value.lower()
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        return status, b"".join(parts), keep
    if length is None:
        return status, await reader.read(), False
    return status, await reader.readexactly(length), keep
