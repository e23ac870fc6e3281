"""Broken answers on purpose, at the ASGI level: what a client must survive.

    reset           the connection is aborted (TCP RST where the server exposes its socket) before
                    any byte of the answer: clients see a transport error
    hang            nothing is sent for up to `amount` ms (bounded by 30 s) or until the client
                    gives up; then the connection is aborted
    truncate        the status, headers and first `amount` bytes of the body are sent (default: half
                    of it), then the connection is aborted: an incomplete body
    cut_stream      an event stream ends cleanly after `amount` events: no terminating event
                    (`data: [DONE]`); no effect on answers that are not streams
    malformed_json  the body (or the first event of a stream) is cut in half: not parseable JSON

`wrap_send` handles the ones that need the connection, `shape_reply` the ones that change the
answer. Both are no-ops without a fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from ..behaviours.context import Fault
from ..behaviours.reply import Reply
from .render import encode_body
from .rules import MAX_HANG_MS

TRANSPORT_KEY = "mock_server.transport"
DEFAULT_TRUNCATE_BYTES = 64


def remember_transport(scope: dict[str, Any], send: Any) -> None:
    """Keep the server's transport (uvicorn's send is a bound method of its request cycle)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        scope[TRANSPORT_KEY] = transport


class ConnectionAborted(Exception):
    """Raised where the server's transport is not reachable: the server then drops the connection."""


async def abort(scope: dict[str, Any]) -> None:
    transport = scope.get(TRANSPORT_KEY)
    if transport is None:
        raise ConnectionAborted("fault: connection aborted on purpose")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError, AttributeError, TypeError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    transport.abort()
    for _ in range(3):  # let the server see the connection lost, so it does not answer 500 itself
        await asyncio.sleep(0)


async def _until_disconnect(receive: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


def wrap_send(send: Any, fault: Fault | None, scope: dict[str, Any], receive: Any) -> Any:
    """`send` that resets, hangs or truncates as `fault` says; `send` itself otherwise."""
    if fault is None or fault.kind not in ("reset", "hang", "truncate"):
        return send
    aborted = False
    sent = 0
    limit = fault.amount

    async def faulty_send(message: dict[str, Any]) -> None:
        nonlocal aborted, sent, limit
        if aborted:
            return
        if message["type"] == "http.response.start":
            if fault.kind == "hang":
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(_until_disconnect(receive), min(fault.amount or MAX_HANG_MS, MAX_HANG_MS) / 1000)
            if fault.kind in ("hang", "reset"):
                aborted = True
                await abort(scope)
                return
            if limit is None:
                length = dict(message.get("headers", [])).get(b"content-length")
                limit = int(length) // 2 if length and length.isdigit() else DEFAULT_TRUNCATE_BYTES
            await send(message)
            return
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            assert limit is not None
            if sent + len(body) > limit:
                keep = body[: max(limit - sent, 0)]
                if keep:
                    await send({"type": "http.response.body", "body": keep, "more_body": True})
                aborted = True
                await abort(scope)
                return
            sent += len(body)
        await send(message)

    return faulty_send


def shape_reply(reply: Reply, fault: Fault | None) -> Reply:
    """The reply with its stream cut or its JSON broken, as `fault` says."""
    if fault is None:
        return reply
    if fault.kind == "cut_stream" and reply.events is not None:
        return replace(reply, events=_first_events(reply.events, fault.amount or 0))
    if fault.kind == "malformed_json":
        if reply.events is not None:
            return replace(reply, events=_broken_first_event(reply.events))
        encoded = encode_body(reply.body, reply.media_type, reply.codec)
        return replace(reply, body=_break(encoded))
    return reply


def _break(data: bytes) -> bytes:
    """Half of a JSON text, never parseable (`{"a": 1}` → `{"a"`); a lone `{` for tiny bodies."""
    half = data[: len(data) // 2].rstrip()
    return half if len(half) > 1 else b"{"


async def _first_events(events: AsyncIterator[bytes], keep: int) -> AsyncIterator[bytes]:
    """The first `keep` events; a chunk may carry several events (unpaced streams batch them)."""
    try:
        count = 0
        async for chunk in events:
            kept = []
            for event in chunk.split(b"\n\n")[:-1]:
                if count >= keep:
                    break
                kept.append(event + b"\n\n")
                count += b"data:" in event
            if kept:
                yield b"".join(kept)
            if count >= keep:
                break
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()


async def _broken_first_event(events: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    try:
        broken = False
        async for chunk in events:
            if not broken and chunk.startswith(b"data: {"):
                broken = True
                first, _, rest = chunk.partition(b"\n\n")
                payload = first[len(b"data: "):].split(b"\n", 1)[0]
                chunk = b"data: " + _break(payload) + b"\n\n" + rest
            yield chunk
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()
