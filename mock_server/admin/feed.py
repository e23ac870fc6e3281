"""`GET /__mock/feed`: the dashboard's live feed, as server-sent events.

    event: request   data: a journal entry (the same JSON as `/__mock/requests` lists), as recorded
    event: reload    data: what a hot reload did (`serve --watch`), or the error that kept the old version
    : ping           every HEARTBEAT_SECONDS, so a page that went away is noticed

Entries come from `Store.follow`, so with a shared store the page sees every worker's requests.
While nobody follows, recording a request costs nothing more than before the feed existed (the
store tests one empty list).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ..serve.pipeline import MockApp

HEARTBEAT_SECONDS = 15.0
OPENING = b"retry: 2000\nevent: open\ndata: {}\n\n"


def sse(event: str, data: Any) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS) + b"\n\n"


async def feed_events(app: MockApp, heartbeat: float = HEARTBEAT_SECONDS) -> AsyncIterator[bytes]:
    """Journal entries and reloads as they happen, until the client goes away (the stream's
    sender closes this generator, which stops following)."""
    journal, reloads = app.state.follow(), app.reloads.follow()
    next_entry = asyncio.ensure_future(journal.__anext__())
    next_reload = asyncio.ensure_future(reloads.__anext__())
    try:
        await asyncio.sleep(0)  # both followers are registered before the page hears the feed is open
        yield OPENING
        while True:
            done, _ = await asyncio.wait({next_entry, next_reload}, timeout=heartbeat,
                                         return_when=asyncio.FIRST_COMPLETED)
            if not done:
                yield b": ping\n\n"
                continue
            chunk = b""
            if next_entry in done:
                chunk += sse("request", next_entry.result())
                next_entry = asyncio.ensure_future(journal.__anext__())
            if next_reload in done:
                chunk += sse("reload", next_reload.result())
                next_reload = asyncio.ensure_future(reloads.__anext__())
            yield chunk
    finally:
        for waiting in (next_entry, next_reload):
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await waiting
        await journal.aclose()
        await reloads.aclose()
