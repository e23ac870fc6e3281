"""Server-sent events, parsed incrementally, and checked against a contract (the stream check, the proxy
and the replay of recorded streams share this)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import jsonschema_rs

from .schema import describe_error


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


def event_problems(datas: Sequence[str], validator: jsonschema_rs.Validator | None, terminator: str | None) -> list[str]:
    """What is wrong with a stream's event `data`s for its contract: each one JSON valid against
    `x-sse-event-schema` (where declared), the last one `x-sse-terminator` (where declared).
    The proxy checks the upstream's streams with it, and the mock the recordings it replays."""
    problems = []
    for index, data in enumerate(datas):
        if (terminator is not None and data == terminator) or validator is None:
            continue
        try:
            payload = json.loads(data)
        except ValueError:
            problems.append(f"event #{index} is not JSON")
            continue
        problems.extend(f"event #{index}: " + describe_error(e, "data") for e in validator.iter_errors(payload))
    if terminator is not None and (not datas or datas[-1] != terminator):
        problems.append(f"the stream did not end with {terminator!r}")
    return problems
