"""Slow and idle clients cannot hold the server: read deadlines and a connection cap for uvicorn.

uvicorn (0.3x–0.5x, httptools) closes a kept-alive connection after `timeout_keep_alive`, but arms
no timer on a new connection or on a half-sent request: a client that connects and sends nothing, or
half a head, or headers and then no body, holds its connection (and a file descriptor) forever.
`limit_concurrency` answers 503 beyond a number of connections, as plain text. This protocol adds:

- a head deadline (`header_timeout`): from a connection's start, or the first byte of its next
  request, until the end of the request's headers. An idle connection is closed; a half-sent head
  gets `408` and is closed;
- a body deadline (`body_timeout`): the longest pause between two pieces of a request body; then
  `408`, and the application sees the client as gone;
- a cap (`max_connections`): a connection opened while that many are open gets `503` with
  `Retry-After: 1` and a JSON body naming the limit for its request, and is closed; connections
  opened before keep being served (uvicorn's `limit_concurrency` would refuse them too).

Deadlines are armed only while a head or a body is incomplete after a read, so a request that
arrives whole (nearly all of them) costs no timer at all. Configured once per process
(`configure`) before uvicorn accepts connections.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

RETRY_AFTER_S = 1


def _problem(status: int, title: str, detail: str) -> bytes:
    return orjson.dumps({"status": status, "title": title, "detail": detail})


def _timeout_answer(detail: str) -> bytes:
    """A 408 written straight to the transport: no request reached the application."""
    body = _problem(408, "Request Timeout", detail)
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_concurrency = None  # the cap is ours (on_headers_complete), with a clearer answer
        self._deadline: asyncio.TimerHandle | None = None
        self._in_head = False  # part of a request's head has arrived, not all of it
        self._over_capacity_on_arrival = False

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._over_capacity_on_arrival = self.max_connections is not None and len(self.connections) > self.max_connections
        self._arm(self.header_timeout)  # its first byte, and its whole head, within header_timeout

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """After each read: a head begun and not finished keeps (or starts) its deadline, a body
        still awaited gets a fresh one, anything else needs none. A whole request in one read, the
        usual case, arms no timer at all."""
        super().data_received(data)
        cycle = self.cycle
        if self._in_head:
            if self._deadline is None:
                self._arm(self.header_timeout)
        elif cycle is not None and cycle.more_body and not cycle.response_complete:
            self._arm(self.body_timeout)
        elif self._deadline is not None:
            self._disarm()

    def on_message_begin(self) -> None:
        self._in_head = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._over_capacity_on_arrival:
            self.app, app = self._over_capacity, self.app
            try:
                super().on_headers_complete()
            finally:
                self.app = app
            return
        super().on_headers_complete()

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and cycle.more_body:
            if cycle.response_started:
                return  # the application already answers; the body is no longer awaited
            cycle.disconnected = True  # whatever the application sends now goes nowhere
            cycle.message_event.set()
            self.transport.write(_timeout_answer(
                f"no part of the request body arrived for {self.body_timeout:g} s (--body-timeout)"))
        elif self._in_head:
            self.transport.write(_timeout_answer(
                f"the request's headers did not arrive within {self.header_timeout:g} s (--header-timeout)"))
        self.transport.close()

    async def _over_capacity(self, scope: Any, receive: Any, send: Any) -> None:
        body = _problem(503, "Service Unavailable", f"the server holds its maximum of {self.max_connections} "
                        "connections (--max-connections); retry shortly")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"retry-after", str(RETRY_AFTER_S).encode()), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def configure(header_timeout: float, body_timeout: float, max_connections: int | None) -> type[GuardedHttpToolsProtocol]:
    """Set the limits of this process's connections; returns the protocol class for uvicorn's `http`."""
    GuardedHttpToolsProtocol.header_timeout = header_timeout
    GuardedHttpToolsProtocol.body_timeout = body_timeout
    GuardedHttpToolsProtocol.max_connections = max_connections
    return GuardedHttpToolsProtocol
