"""The benchmark's load-generating client (bench/rawhttp.py) reads what servers send."""

from __future__ import annotations

import asyncio

from bench.rawhttp import RawClient

RESPONSES = [
    b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"a": [1]} ',
    b"HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n"
    b'4\r\n{"e"\r\n5;x=1\r\n: 2}\n\r\n0\r\n\r\n',
]


async def test_keeps_the_connection_and_reads_both_framings() -> None:
    connections = 0
    requests: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        for response in RESPONSES:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            requests.append(head + await reader.readexactly(length))
            writer.write(response)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, RawClient("127.0.0.1", port, {"Authorization": "Bearer t"}, 4) as client:
        assert await client.post("/graphql", {"query": "{ a }"}) == (200, {"a": [1]})
        assert await client.post("/graphql", {"query": "{ e }"}) == (400, {"e": 2})
    assert connections == 1
    assert requests[0].startswith(b"POST /graphql HTTP/1.1\r\n")
    assert b"Authorization: Bearer t\r\n" in requests[0]
    assert requests[1].endswith(b'{"query":"{ e }"}')


async def test_an_idle_connection_the_server_closed_is_replaced() -> None:
    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        writer.write(RESPONSES[0])
        await writer.drain()
        writer.close()  # as uvicorn does after its keep-alive timeout

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, RawClient("127.0.0.1", port, {}, 1) as client:
        assert await client.post("/graphql", {}) == (200, {"a": [1]})
        await asyncio.sleep(0.05)
        assert await client.post("/graphql", {}) == (200, {"a": [1]})
    assert connections == 2


async def test_graphql_is_true_only_for_a_200_without_errors() -> None:
    answers = [
        b'{"data": {"a": 1}}',
        b'{"data": null, "errors": [{"message": "no"}]}',
        b'{"errors": [{"message": "bad"}]}',
    ]
    statuses = [b"200 OK", b"200 OK", b"400 Bad Request"]

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for status, answer in zip(statuses, answers, strict=True):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-length: %d\r\n\r\n" % len(answer) + answer
            )
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, RawClient("127.0.0.1", port, {}, 1) as client:
        assert [await client.graphql("{ a }", {}) for _ in answers] == [True, False, False]
