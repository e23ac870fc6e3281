"""Reply → bytes on the wire. The only module that speaks ASGI responses.

A `Reply` is what behaviours and error rendering produce: a status, headers and either a body
(JSON value, text or bytes) or an async iterator of server-sent events, sent as they come.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from ..behaviours.reply import LastChunk, Reply
from ..media.codecs import SCHEMALESS_ENCODERS, BodyCodec, encode_any, schemaless_encoder

Send = Any
Receive = Any

SSE_HEADERS = (("cache-control", "no-cache"), ("x-accel-buffering", "no"))


def encode_body(body: Any, media_type: str | None, codec: BodyCodec | None = None) -> bytes:
    """The body in its media type, by the reply's codec (compiled for the declared schema), else by
    the media type's codec: JSON canonical (sorted keys: same value, same bytes), XML, text, files."""
    if isinstance(body, bytes):
        return body
    if codec is not None:
        return codec.encode(body)
    if media_type is None:
        return b"" if body is None else encode_any(body, None)
    return (SCHEMALESS_ENCODERS.get(media_type) or schemaless_encoder(media_type))(body)


def _header_list(reply: Reply, length: int | None) -> list[tuple[bytes, bytes]]:
    headers = [(k.lower().encode("latin-1"), str(v).encode("latin-1", "replace")) for k, v in reply.headers]
    if reply.media_type is not None:
        content_type = reply.media_type
        if content_type.startswith("text/") and "charset" not in content_type:
            content_type += "; charset=utf-8"
        headers.append((b"content-type", content_type.encode("latin-1")))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return headers


class Turns:
    """Open streams take turns: after its first chunk, a stream writes one chunk per turn, one turn
    per pass of the event loop. Its second chunk is also produced in its turn, since that is where a
    producer does its set-up (a chat stream composes its reply); later chunks are pulled first and
    then wait their turn, so a paced producer sleeps before it queues (taking every turn before the
    pull slowed 500 paced streams from a 50 ms to a 63 ms gap between tokens).

    Why: an unpaced stream has its whole body ready. When 100 of them each wrote a chunk on every
    pass of the loop, a newly arrived request waited behind all 100 writes at each of the few passes
    it needs (accept, parse, answer): its first event came ~50 ms late. A first chunk never queues,
    since it is what a waiting client measures; later chunks queue in arrival order (asyncio.Lock
    is fair). Nothing is held while a chunk is written, so a slow reader never blocks the others.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        async with self._lock:
            await asyncio.sleep(0)  # the turn lasts one pass of the loop; other streams queue meanwhile


class Tap(Protocol):
    """Sees each chunk of a stream as it is written (the journal keeps the first ones)."""

    def add(self, chunk: bytes) -> None: ...


async def send_reply(
    reply: Reply, send: Send, receive: Receive, *, head: bool = False, turns: Turns | None = None,
    tap: Tap | None = None,
) -> None:
    if reply.events is not None:
        await _send_stream(reply, send, receive, turns or Turns(), tap)
        return
    if reply.status in (204, 304) or (100 <= reply.status < 200):
        body = b""
        reply = Reply(reply.status, None, None, reply.headers)
    else:
        body = encode_body(reply.body, reply.media_type, reply.codec)
    await send({"type": "http.response.start", "status": reply.status, "headers": _header_list(reply, len(body))})
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _send_stream(reply: Reply, send: Send, receive: Receive, turns: Turns, tap: Tap | None) -> None:
    """Send events as they are produced, taking turns with the other open streams; stop producing
    as soon as the client goes away."""
    assert reply.events is not None
    headers = _header_list(reply, None) + [(k.encode(), v.encode()) for k, v in SSE_HEADERS]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    disconnected = asyncio.Event()

    async def watch() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected.set()
                return

    watcher = asyncio.ensure_future(watch())
    events = reply.events
    try:
        sent, ended = 0, False
        while not ended:
            if sent == 1:
                await turns.take()  # what a producer does after its first chunk (composing a reply) waits its turn
            try:
                chunk = await events.__anext__()
            except StopAsyncIteration:
                break
            if sent > 1:
                await turns.take()  # after the pull: a paced producer sleeps outside the queue
            if disconnected.is_set():
                break
            ended = isinstance(chunk, LastChunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
            sent += 1
            if tap is not None:
                tap.add(chunk)
        if not ended and not disconnected.is_set():
            await send({"type": "http.response.body", "body": b""})
    except OSError:
        pass  # the client went away while we were writing: nothing to do
    finally:
        watcher.cancel()
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()
