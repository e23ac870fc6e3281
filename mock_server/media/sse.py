"""Server-sent events, parsed incrementally, and checked against a contract (the stream check, the proxy
and the replay of recorded streams share this)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import orjson

from ..contracts.validators import describe_error


@dataclass(frozen=True, slots=True)
class SSEEvent:
    data: str
    event: str = "message"
    id: str | None = None


class SSEParser:
    """Feed text as it arrives; complete events come out (WHATWG framing, any line ending)."""

    def __init__(self) -> None:
        self._buffer = ""
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None

    def feed(self, text: str) -> Iterator[SSEEvent]:
        self._buffer += text.replace("\r\n", "\n").replace("\r", "\n")
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            event = self._line(line)
            if event is not None:
                yield event

    def close(self) -> Iterator[SSEEvent]:
        """The stream ended: an event not followed by a blank line is still dispatched."""
        if self._buffer:
            event = self._line(self._buffer)
            self._buffer = ""
            if event is not None:
                yield event
        event = self._line("")
        if event is not None:
            yield event

    def _line(self, line: str) -> SSEEvent | None:
        if line == "":
            if not self._data:
                self._event = ""
                return None
            event = SSEEvent("\n".join(self._data), self._event or "message", self._id)
            self._data, self._event = [], ""
            return event
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\x00" not in value:
            self._id = value
        return None


def parse_sse(text: str) -> list[SSEEvent]:
    parser = SSEParser()
    return [*parser.feed(text), *parser.close()]


@dataclass(frozen=True, slots=True)
class EventProblem:
    check: str  # the stream check's name for it: stream_event_schema or stream_termination
    title: str
    message: str


def event_problems(
    datas: Sequence[str], validator: jsonschema_rs.Validator | None, terminator: str | None,
    *, objects: list[dict[str, Any]] | None = None,
) -> list[EventProblem]:
    """What breaks the contract in a stream's event `data`s: an event that is not JSON valid against
    `x-sse-event-schema` (where declared), no event at all, no `x-sse-terminator` (where declared)
    or events after it. One set of rules for the stream check, the proxy and the recordings the mock
    replays; `objects`, where given, receives each event's JSON object (the check compares them with
    the non-streamed answer)."""
    problems = []
    for index, data in enumerate(datas):
        if terminator is not None and data == terminator:
            continue
        try:
            payload = json.loads(data)
        except ValueError:
            if validator is not None:
                problems.append(EventProblem("stream_event_schema", "SSE event is not JSON", f"event #{index}: {data[:200]!r}"))
            continue
        if objects is not None and isinstance(payload, dict):
            objects.append(payload)
        errors = list(validator.iter_errors(payload)) if validator is not None else []
        if errors:
            problems.append(EventProblem("stream_event_schema", "SSE event violates x-sse-event-schema",
                                         f"event #{index}: " + "; ".join(describe_error(e, "data") for e in errors[:3])))
    return problems + _termination_problems(datas, terminator)


def _termination_problems(datas: Sequence[str], terminator: str | None) -> list[EventProblem]:
    if not datas:
        return [EventProblem("stream_termination", "Empty stream", "the stream ended without any event")]
    if terminator is None:
        return []
    positions = [index for index, data in enumerate(datas) if data == terminator]
    if not positions:
        return [EventProblem("stream_termination", "Stream not terminated",
                             f"{len(datas)} events, none is the declared terminator {terminator!r}")]
    if positions[0] != len(datas) - 1:
        return [EventProblem("stream_termination", "Events after the terminator",
                             f"{len(datas) - 1 - positions[0]} events follow {terminator!r}")]
    return []


def sse_event(data: Any) -> bytes:
    """One `data:` event; JSON values are encoded compactly, strings sent as they are (a line each).
    orjson escapes newlines inside strings, so a JSON value is always a single `data:` line."""
    if not isinstance(data, str):
        return b"data: " + orjson.dumps(data, option=orjson.OPT_SORT_KEYS) + b"\n\n"
    return b"".join(b"data: " + line.encode("utf-8") + b"\n" for line in data.split("\n")) + b"\n"
