"""Slow and idle clients cannot hold the server: 2,000 idle and half-sent connections are closed
within the configured deadlines while a normal client keeps getting answers, and connections
beyond the cap get a clear 503 while those opened before keep being served."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures.server import BUNDLED, RunningServer, start_server

pytestmark = pytest.mark.e2e

HEADER_TIMEOUT_S = 2.0
BODY_TIMEOUT_S = 2.0
SLACK_S = 5.0  # a loaded test machine
IDLE, HALF_HEAD, HALF_BODY = 700, 700, 600  # 2,000 slow connections
HOLDERS, EXTRA = 40, 20  # the capped server: HOLDERS busy connections + the normal client fill it
TEXTS_HEAD = (b"POST /ai-service/t/texts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Authorization: Bearer t\r\n")
HALF_BODY_REQUEST = TEXTS_HEAD + b"Content-Length: 100\r\n\r\n{\"prompt\": "
HELD_REQUEST = TEXTS_HEAD + b"Prefer: delay=30000\r\nContent-Length: 15\r\n\r\n{\"prompt\": \"x\"}"  # answered in 30 s
HEALTH = b"GET /__mock/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


async def connect(port: int, first_bytes: bytes = b"") -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw connection (an httpx client per connection would cost ~50 ms each)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if first_bytes:
        writer.write(first_bytes)
        await writer.drain()
    return reader, writer


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bytes | None:
    """What the server sent before closing (kept even when a reset ends it), or None if the
    connection is still open after `within` seconds."""
    received: list[bytes] = []

    async def read_to_the_end() -> None:
        try:
            while chunk := await reader.read(65536):
                received.append(chunk)
        except ConnectionError:
            pass

    try:
        await asyncio.wait_for(read_to_the_end(), within)
    except asyncio.TimeoutError:
        return None
    return b"".join(received)


async def normal_client(url: str, stop: asyncio.Event) -> list[int]:
    statuses = []
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        while not stop.is_set():
            statuses.append((await client.get("/__mock/health")).status_code)
            await asyncio.sleep(0.05)
    return statuses


async def slow_connections_are_closed(server: RunningServer) -> None:
    stop = asyncio.Event()
    normal = asyncio.create_task(normal_client(server.url, stop))
    await asyncio.sleep(0.2)
    heads = [b""] * IDLE + [b"GET /__mock/health HTTP/1.1\r\nHost: x\r\n"] * HALF_HEAD + [HALF_BODY_REQUEST] * HALF_BODY
    slow = []
    for start in range(0, len(heads), 500):  # in batches: the listen backlog stays short
        slow += await asyncio.gather(*(connect(server.port, head) for head in heads[start:start + 500]))
    opened = time.monotonic()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as another:  # a new client, while all are held
        assert (await another.get("/__mock/health")).status_code == 200
    endings = await asyncio.gather(*(closed_by_server(reader, HEADER_TIMEOUT_S + SLACK_S) for reader, _ in slow))
    took = time.monotonic() - opened
    for _, writer in slow:
        writer.close()
    stop.set()
    statuses = await normal
    assert None not in endings, f"{endings.count(None)} slow connections still open {took:.1f}s after the last opened"
    idle, half_head, half_body = endings[:IDLE], endings[IDLE:IDLE + HALF_HEAD], endings[IDLE + HALF_HEAD:]
    assert all(ending == b"" for ending in idle)  # nothing asked, nothing answered: closed
    kinds = {ending[:12]: sum(1 for e in half_head + half_body if e[:12] == ending[:12]) for ending in half_head + half_body}
    assert all(ending.startswith(b"HTTP/1.1 408") and b"--header-timeout" in ending for ending in half_head), kinds
    assert all(ending.startswith(b"HTTP/1.1 408") and b"--body-timeout" in ending for ending in half_body), kinds
    assert statuses and set(statuses) == {200}  # the client connected before them, throughout


async def connections_beyond_the_cap_get_503(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as normal:
        assert (await normal.get("/__mock/health")).status_code == 200  # connected first
        holders = [await connect(server.port, HELD_REQUEST) for _ in range(HOLDERS)]  # busy: no deadline applies
        extra = [await connect(server.port) for _ in range(EXTRA)]  # all open before any asks
        await asyncio.sleep(0.2)

        async def ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
            writer.write(HEALTH)
            return await asyncio.wait_for(reader.read(), 10)

        answers = await asyncio.gather(*(ask(reader, writer) for reader, writer in extra))
        assert all(a.startswith(b"HTTP/1.1 503") and b"retry-after: 1" in a.lower() and b"--max-connections" in a
                   for a in answers)
        assert (await normal.get("/__mock/health")).status_code == 200  # opened before: still served
        for _, writer in holders + extra:
            writer.close()
        await asyncio.sleep(0.3)
    reader, writer = await connect(server.port, HEALTH)  # room again
    assert (await asyncio.wait_for(reader.read(), 10)).startswith(b"HTTP/1.1 200")
    writer.close()


def test_idle_and_half_sent_connections_are_closed_and_the_cap_answers_503() -> None:
    common = ["--contracts", str(BUNDLED), "--quiet", "--header-timeout", str(HEADER_TIMEOUT_S),
              "--body-timeout", str(BODY_TIMEOUT_S)]
    with ThreadPoolExecutor(2) as pool:  # both start at once
        starting = [pool.submit(start_server, *common), pool.submit(start_server, *common, "--max-connections",
                                                                    str(HOLDERS + 1))]
    servers = [future.result() for future in starting if future.exception() is None]
    if len(servers) < 2:
        for server in servers:
            server.stop()
        raise next(f.exception() for f in starting if f.exception() is not None)  # type: ignore[misc]
    try:
        asyncio.run(slow_connections_are_closed(servers[0]))
        asyncio.run(connections_beyond_the_cap_get_503(servers[1]))
    finally:
        for server in servers:
            server.stop()
