"""Slow and idle clients cannot hold the server: 2,000 idle and half-sent connections are closed
within the configured deadlines, connections beyond the cap get a clear 503, and a normal client
keeps getting answers all the while."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.fixtures.server import BUNDLED, start_server

pytestmark = pytest.mark.e2e

HEADER_TIMEOUT_S = 2.0  # long enough to open every slow connection and the extra ones first
BODY_TIMEOUT_S = 2.0
SLACK_S = 3.0  # a loaded test machine
IDLE, HALF_HEAD, HALF_BODY = 700, 700, 600  # 2,000 slow connections
CAP = IDLE + HALF_HEAD + HALF_BODY + 60  # the extra connections beyond it are refused
EXTRA = 100


async def open_slow(port: int, first_bytes: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if first_bytes:
        writer.write(first_bytes)
        await writer.drain()
    return reader, writer


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bytes | None:
    """What the server sent before closing, or None if it is still open after `within` seconds."""
    try:
        return await asyncio.wait_for(reader.read(), within)
    except asyncio.TimeoutError:
        return None
    except ConnectionError:
        return b""


async def normal_client(url: str, stop: asyncio.Event) -> list[int]:
    statuses = []
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while not stop.is_set():
            statuses.append((await client.get("/__mock/health")).status_code)
            await asyncio.sleep(0.05)
    return statuses


async def scenario(url: str, port: int) -> None:
    stop = asyncio.Event()
    normal = asyncio.create_task(normal_client(url, stop))
    await asyncio.sleep(0.2)
    half_body = (b"POST /ai-service/t/texts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer t\r\nContent-Length: 100\r\n\r\n{\"prompt\": ")
    heads = [b""] * IDLE + [b"GET /__mock/health HTTP/1.1\r\nHost: x\r\n"] * HALF_HEAD + [half_body] * HALF_BODY
    slow = []
    began = time.monotonic()
    for start in range(0, len(heads), 500):  # in batches: the listen backlog stays short
        slow += await asyncio.gather(*(open_slow(port, head) for head in heads[start:start + 500]))
    opened = time.monotonic()
    await asyncio.sleep(0.1)

    # Extra connections, all open before any asks (so none is gone before the last arrives), then
    # a whole request on each (raw sockets: an httpx client per connection costs ~50 ms).
    extra = await asyncio.gather(*(open_slow(port, b"") for _ in range(EXTRA)))
    await asyncio.sleep(0.2)

    async def ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
        writer.write(b"GET /__mock/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        status = int(answer.split(b" ", 2)[1])
        if status == 503:
            assert b"retry-after: 1" in answer.lower() and b"--max-connections" in answer
        return status

    extras = await asyncio.gather(*(ask(reader, writer) for reader, writer in extra))
    assert time.monotonic() - began < HEADER_TIMEOUT_S, "too slow to open the connections: the check below means nothing"
    assert extras.count(200) == CAP - len(slow) - 1 and extras.count(503) == EXTRA - extras.count(200)  # 1: normal

    endings = await asyncio.gather(*(closed_by_server(reader, HEADER_TIMEOUT_S + SLACK_S) for reader, _ in slow))
    took = time.monotonic() - opened
    assert None not in endings, f"{endings.count(None)} slow connections still open after {took:.1f}s"
    idle, half_head, half_body = endings[:IDLE], endings[IDLE:IDLE + HALF_HEAD], endings[IDLE + HALF_HEAD:]
    assert all(ending == b"" for ending in idle)  # nothing asked, nothing answered: closed
    assert all(ending.startswith(b"HTTP/1.1 408") and b"--header-timeout" in ending for ending in half_head)
    assert all(ending.startswith(b"HTTP/1.1 408") and b"--body-timeout" in ending for ending in half_body)
    for _, writer in slow:
        writer.close()

    async with httpx.AsyncClient(base_url=url, timeout=5) as client:  # the cap has room again
        assert (await client.get("/__mock/health")).status_code == 200
    stop.set()
    statuses = await normal
    assert len(statuses) > 10 and set(statuses) == {200}


def test_idle_and_half_sent_connections_are_closed_and_the_cap_answers_503() -> None:
    server = start_server("--contracts", str(BUNDLED), "--quiet", "--header-timeout", str(HEADER_TIMEOUT_S),
                          "--body-timeout", str(BODY_TIMEOUT_S), "--max-connections", str(CAP))
    try:
        asyncio.run(scenario(server.url, server.port))
    finally:
        server.stop()
