"""The request journal behind `/__mock/requests`: what each request was and what it got, redacted.

The pipeline fills an `Exchange` as the request goes (body, directive, error, the reply) and hands
it to `Journal.record` at the end. Credentials never reach the journal: headers, query parameters
and body fields that carry them are replaced by `***` (`security.Redactor`), in the request and in
the response (a minted `access_token`), and their values are scrubbed from any free text such as
validation messages. The response body is kept as the reply's own value (a reference: no copy, no
encoding on the hot path) and clipped to MAX_BODY_CHARS when read; a stream's events are kept as
they were sent, up to STREAM_BYTES.

An entry also says what decided the answer (a rule, `Prefer`, `--error-rate`), every validation
problem on its own, and a curl line that replays the request. Large bodies are cut with a marker
saying how much is left out.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

import orjson

from ..behaviours.context import NO_DIRECTIVE, Directive
from ..behaviours.reply import Reply
from ..contracts.index import Operation
from ..state.store import Store
from .curl import curl_line
from .security import Redactor, scrub

MAX_BODY_CHARS = 4096
STREAM_BYTES = 32 * 1024  # of a stream's events, kept for the journal; the rest is counted, not kept
_numbers = itertools.count(1)  # entry ids: unique in this process, across reloads (a new Journal)
_PROCESS = f"{os.getpid():x}"  # and across workers sharing a store
DEFAULT_LIMIT = 50  # entries a journal read returns unless `?limit=N` says otherwise


def requested_limit(query_string: bytes) -> int:
    """`?limit=N` of a journal read (`/__mock/requests`, the mock's and the proxy's); ValueError
    with a message for the client when N is not a non-negative integer."""
    values = parse_qs(query_string.decode("latin-1")).get("limit")
    if not values:
        return DEFAULT_LIMIT
    if not values[-1].isdigit():
        raise ValueError(f"limit={values[-1]} is not a non-negative integer")
    return int(values[-1])


@dataclass
class Exchange:
    """One request on its way through the pipeline: what the journal and faults need afterwards."""

    headers: dict[str, str] = field(default_factory=dict)
    directive: Directive = NO_DIRECTIVE
    raw_body: bytes = b""
    body: Any = None  # parsed and validated, when validation passed
    validated: bool = False
    error: str | None = None
    details: tuple[str, ...] = ()  # each problem of `error` on its own
    reply: Reply | None = None  # what was sent back, as the behaviour (or the error) made it
    stream: StreamTap | None = None  # a stream's events as sent, when the answer is one


class StreamTap:
    """What a stream sent, kept up to STREAM_BYTES: render.send_reply appends each chunk it writes."""

    __slots__ = ("chunks", "kept", "left_out")

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.kept = 0
        self.left_out = 0

    def add(self, chunk: bytes) -> None:
        if self.kept < STREAM_BYTES:
            self.chunks.append(chunk)
            self.kept += len(chunk)
        else:
            self.left_out += len(chunk)

    def view(self) -> dict[str, Any]:
        """The events, one item each: `{"event": …, "data": …, "id": …}` (what the stream had)."""
        text = b"".join(self.chunks).decode("utf-8", "replace").replace("\r\n", "\n")
        events = [_event(block) for block in text.split("\n\n") if block.strip()]
        marker = _cut_marker(self.left_out, "bytes of events") if self.left_out else None
        return {"events": events, "left_out_bytes": self.left_out, "marker": marker}


@dataclass(frozen=True, slots=True)
class _Recorded:
    """What `record` keeps: cheap to take on the hot path; redacted only when someone reads it."""

    journal: Journal
    time: float
    method: str
    path: str
    raw_query: str
    operation: Operation | None
    status: int
    seconds: float
    exchange: Exchange
    number: int
    covers: tuple[str, int] | None  # what contract coverage counts (state.Store.record)

    def entry(self) -> dict[str, Any]:
        return self.journal.entry(self)


class Journal:
    """Keeps the last requests; entries are built (and redacted) when `/__mock/requests` is read,
    so a request pays for a tuple, not for redaction it will most likely never need."""

    def __init__(self, state: Store, redactor: Redactor) -> None:
        self.state = state
        self.redactor = redactor

    async def record(
        self, scope: dict[str, Any], operation: Operation | None, status: int, seconds: float, exchange: Exchange | None
    ) -> None:
        await self.state.record(_Recorded(
            self, time.time(), scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
            operation, status, seconds, exchange or Exchange(), next(_numbers),
            (operation.key, status) if operation is not None else None,
        ))

    def entry(self, recorded: _Recorded) -> dict[str, Any]:
        """The journal entry as served: credentials replaced by `***`, secret values scrubbed."""
        exchange, operation, redact = recorded.exchange, recorded.operation, self.redactor
        query = dict(parse_qsl(recorded.raw_query, keep_blank_values=True))
        body = exchange.body if exchange.validated else _parse(exchange.raw_body, exchange.headers.get("content-type", ""))
        secrets = redact.secret_values(exchange.headers, query, body)
        headers = redact.redact_headers(exchange.headers)
        redacted_body = redact.redact_body(body, secrets)
        errors = exchange.details if exchange.details else ((exchange.error,) if exchange.error else ())
        return {
            "id": f"{_PROCESS}-{recorded.number}",
            "time": datetime.fromtimestamp(recorded.time, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": recorded.method,
            "path": recorded.path,
            "query": redact.redact_query(query),
            "operationId": operation.operation_id if operation else None,
            "contract": operation.contract if operation else None,
            "status": recorded.status,
            "latency_ms": round(recorded.seconds * 1000, 1),
            "headers": headers,
            "body": _clip(redacted_body),
            "validation_errors": [scrub(error, secrets) for error in errors],
            "rule": exchange.directive.rule,
            "decided_by": decided_by(exchange.directive, exchange.headers.get("prefer")),
            "fault": exchange.directive.fault.kind if exchange.directive.fault else None,
            "response": _response(exchange.reply, redact, secrets, exchange.stream),
            "curl": scrub(self.curl(recorded, headers, query, redacted_body), secrets),
        }

    def curl(self, recorded: _Recorded, headers: dict[str, str], query: dict[str, Any], body: Any) -> str:
        exchange = recorded.exchange
        host = exchange.headers.get("host") or "127.0.0.1"
        redacted_query = self.redactor.redact_query(query)
        url = f"http://{host}{recorded.path}" + (f"?{urlencode(redacted_query, doseq=True)}" if recorded.raw_query else "")
        return curl_line(recorded.method, url, headers, body, exchange.raw_body, exchange.headers.get("content-type", ""))

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        """The last `limit` entries, newest first."""
        return await self.state.recent(limit)


def decided_by(directive: Directive, prefer: str | None) -> list[str]:
    """What chose this answer over the contract's ordinary one: `Prefer` wins field by field over
    a rule, a rule over `--error-rate` and `--latency`; empty when nothing did."""
    reasons = []
    if prefer:
        reasons.append(f"Prefer: {prefer}")
    if directive.rule is not None:
        reasons.append(f"rule {directive.rule!r}")
    elif directive.status is not None and not (prefer and "code" in prefer):
        reasons.append("--error-rate")
    return reasons


def _event(block: str) -> dict[str, Any]:
    event: dict[str, Any] = {}
    for line in block.split("\n"):
        name, _, value = line.partition(":")
        if not name:  # a comment
            continue
        value = value.removeprefix(" ")
        event[name] = f"{event[name]}\n{value}" if name in event else value
    return event


def _cut_marker(amount: int, unit: str) -> str:
    return f"[… {amount} more {unit} not kept]"


def _response(
    reply: Reply | None, redact: Redactor, secrets: set[str], stream: StreamTap | None
) -> dict[str, Any] | None:
    """The response as the journal shows it: media type and body (credentials `***`, clipped), or
    a stream's events as they were sent."""
    if reply is None:
        return None
    if reply.events is not None:
        events = stream.view() if stream is not None else {"events": [], "left_out_bytes": 0, "marker": None}
        for event in events["events"]:
            if "data" in event:
                event["data"] = scrub(event["data"], secrets)
        return {"media_type": reply.media_type, "body": None, "stream": True, **events}
    body = reply.body
    if isinstance(body, (bytes, bytearray)):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            body = f"<{len(body)} bytes>"
    return {"media_type": reply.media_type, "body": _clip(redact.redact_body(body, secrets)), "stream": False}


def _parse(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return text
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text, keep_blank_values=True))
    return text


def _bytes_note(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    raise TypeError


def _clip(value: Any) -> Any:
    """Bodies bigger than MAX_BODY_CHARS once encoded are kept as a clipped string."""
    try:
        encoded = orjson.dumps(value, default=_bytes_note).decode()
    except TypeError:
        return None
    value = orjson.loads(encoded)  # files (bytes) shown by their size
    if len(encoded) <= MAX_BODY_CHARS:
        return value
    return encoded[:MAX_BODY_CHARS] + " " + _cut_marker(len(encoded) - MAX_BODY_CHARS, "characters")
