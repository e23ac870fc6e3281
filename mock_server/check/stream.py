"""The stream check: what schemathesis cannot judge about a `text/event-stream` answer.

For an operation that can answer `text/event-stream`, one positive request is sent with
`stream: true` (when the body schema has a boolean `stream`) and `Accept: text/event-stream`:
- `stream_content_type`: the answer is 2xx `text/event-stream`;
- `stream_event_schema`: every `data` payload is JSON valid against `x-sse-event-schema`;
- `stream_termination`: the last event is `x-sse-terminator` (when declared), nothing after it;
- `stream_consistency`: keys the chunk schema shares with the non-streamed answer's schema keep
  one value across chunks (one `id`, one `model`...), of the type the non-streamed answer uses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..contracts.index import MediaContent, Operation
from ..contracts.schema import Schema, deref, merged_properties
from ..contracts.validators import compile_validator
from ..media.sse import SSEEvent, SSEParser, event_problems
from .limits import LimitReached
from .report import Violation

EVENT_STREAM = "text/event-stream"
MAX_EVENTS = 10_000


@dataclass(slots=True)
class StreamRequest:
    method: str
    url: str
    headers: dict[str, str]
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    body: Any = None


def stream_media(operation: Operation) -> tuple[str, MediaContent] | None:
    """The first 2xx response that can be a stream, with its media entry."""
    for status, response in operation.responses.items():
        if status.startswith("2") and EVENT_STREAM in response.content:
            return status, response.content[EVENT_STREAM]
    return None


def has_stream_flag(operation: Operation) -> bool:
    schema = _body_schema(operation)
    prop = merged_properties(schema, operation.request_defs).get("stream")
    return isinstance(prop, dict) and _type_of(prop, operation.request_defs) == "boolean"


def _body_schema(operation: Operation) -> Schema | None:
    if operation.request_body is None:
        return None
    media = operation.request_body.content.get("application/json") or next(iter(operation.request_body.content.values()), None)
    return media.schema if media is not None else None


def _type_of(schema: Any, defs: Mapping[str, Schema]) -> str | None:
    resolved = deref(schema, defs)
    kind = resolved.get("type") if isinstance(resolved, dict) else None
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind


def curl_line(request: StreamRequest, redact: Callable[[str], str]) -> str:
    url = str(httpx.URL(request.url, params=request.query or None))
    parts = ["curl -N -X", request.method]
    for name, value in request.headers.items():
        parts.append("-H " + _quote(f"{name}: {value}"))
    if request.cookies:
        parts.append("-b " + _quote("; ".join(f"{k}={v}" for k, v in request.cookies.items())))
    if request.body is not None:
        parts.append("-H " + _quote("Content-Type: application/json"))
        parts.append("-d " + _quote(json.dumps(request.body)))
    parts.append(_quote(url))
    return redact(" ".join(parts))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@dataclass(slots=True)
class StreamOutcome:
    violations: list[Violation]
    elapsed_ms: list[float]
    statuses: list[int] = field(default_factory=list)  # of every answer, for the coverage report


class StreamCheck:
    """Built once per operation (validators compiled here), run with a `send` that owns the budget."""

    def __init__(self, operation: Operation, *, wanted: Callable[[str], bool]) -> None:
        found = stream_media(operation)
        if found is None:
            raise ValueError(f"{operation.operation_id} has no text/event-stream response")
        self.operation = operation
        self.status, media = found
        self.event_schema: Schema | None = media.event_schema
        self.validator = compile_validator(self.event_schema, operation.response_defs) if self.event_schema is not None else None
        self.terminator = media.terminator
        self.wanted = wanted
        json_media = operation.responses[self.status].content.get("application/json")
        self.answer_schema = json_media.schema if json_media is not None else None

    def run(self, request: StreamRequest, send: Callable[..., Any], redact: Callable[[str], str]) -> StreamOutcome:
        violations: list[Violation] = []
        timings: list[float] = []
        statuses: list[int] = []
        curl = curl_line(request, redact)

        def fail(check: str, title: str, message: str, status: int | None = None) -> None:
            if self.wanted(check):
                violations.append(Violation(check, title, redact(message), curl, status))

        started = time.monotonic()
        events: list[SSEEvent] = []
        try:
            with send(request, stream=True) as response:
                status = response.status_code
                statuses.append(status)
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not 200 <= status < 300 or media != EVENT_STREAM:
                    response.read()
                    timings.append((time.monotonic() - started) * 1000)
                    fail("stream_content_type", "Stream not served",
                         f"expected 2xx {EVENT_STREAM}, got {status} {media or '(no content type)'}: "
                         f"{response.text[:200]}", status)
                    return StreamOutcome(violations, timings, statuses)
                parser = SSEParser()
                for text in response.iter_text():
                    events.extend(parser.feed(text))
                    if len(events) > MAX_EVENTS:
                        break
                events.extend(parser.close())
        except httpx.HTTPError as exc:
            timings.append((time.monotonic() - started) * 1000)
            fail("stream_termination", "Stream broken", f"the stream failed after {len(events)} events: {exc!r}")
            return StreamOutcome(violations, timings, statuses)
        timings.append((time.monotonic() - started) * 1000)

        chunks: list[dict[str, Any]] = []
        for problem in event_problems([event.data for event in events], self.validator, self.terminator, objects=chunks):
            fail(problem.check, problem.title, problem.message)
        answer = self._answer(request, send, timings, statuses)
        self._check_consistency(chunks, answer, fail)
        return StreamOutcome(violations, timings, statuses)

    def _answer(self, request: StreamRequest, send: Callable[..., Any], timings: list[float],
                statuses: list[int]) -> dict[str, Any] | None:
        """The same request without streaming, to learn the non-streamed answer's shape."""
        if self.answer_schema is None or not isinstance(request.body, dict) or "stream" not in request.body:
            return None
        plain = StreamRequest(
            request.method, request.url, {**request.headers, "Accept": "application/json"},
            request.query, request.cookies, {**request.body, "stream": False},
        )
        started = time.monotonic()
        try:
            with send(plain, stream=False) as response:
                response.read()
        except (httpx.HTTPError, LimitReached):  # a limit may forbid this second request: judge without it
            return None
        timings.append((time.monotonic() - started) * 1000)
        statuses.append(response.status_code)
        try:
            answer = response.json()
        except ValueError:
            return None
        return answer if isinstance(answer, dict) and 200 <= response.status_code < 300 else None

    def _check_consistency(self, chunks: list[dict[str, Any]], answer: dict[str, Any] | None, fail: Callable[..., None]) -> None:
        if self.event_schema is None or self.answer_schema is None or not chunks:
            return
        defs = self.operation.response_defs
        shared = set(merged_properties(self.event_schema, defs)) & set(merged_properties(self.answer_schema, defs))
        for key in sorted(shared):
            values = [c[key] for c in chunks if key in c]
            scalars = [v for v in values if isinstance(v, (str, int, float, bool))]
            if not scalars or len(scalars) != len(values):
                continue  # objects and arrays (choices, usage) legitimately differ chunk by chunk
            if len({json.dumps(v) for v in scalars}) > 1:
                fail("stream_consistency", f"Chunks disagree on {key!r}",
                     f"{key!r} takes {len(set(map(json.dumps, scalars)))} values across chunks: {scalars[:3]}")
            if answer is not None and key in answer and answer[key] is not None and type(answer[key]) is not type(scalars[0]):
                fail("stream_consistency", f"Chunk {key!r} differs in type from the non-streamed answer",
                     f"chunks have {type(scalars[0]).__name__}, the non-streamed answer {type(answer[key]).__name__}")
