"""Server-sent events for any contract that declares `text/event-stream`: the generic stream.

Each event is generated from what the contract says about one event: the JSON payload schema
named by `x-sse-event-schema` (sent as `data:`), else the media type's own schema read as one
parsed event (`data`, `event`, `id`, `retry`: OpenAPI 3.2's itemSchema semantics, which
schemathesis also applies to 3.0 and 3.1). The declared terminator (`x-sse-terminator`) ends it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson

from ..generate.responses import CompiledMedia
from ..generate.source import Source
from ..media.sse import sse_event
from .reply import LastChunk

MIN_EVENTS, MAX_EVENTS = 3, 8
SSE_FIELDS = ("event", "id", "retry")


def frame(event: Any) -> bytes:
    """One parsed event (an object with `data` and maybe `event`, `id`, `retry`) as SSE bytes."""
    if not isinstance(event, dict) or "data" not in event:
        return sse_event(event)
    lines = b"".join(
        f"{name}: {event[name]}\n".encode() for name in SSE_FIELDS if isinstance(event.get(name), (str, int))
    )
    data = event["data"]
    payload = data if isinstance(data, str) else orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    return lines + sse_event(payload)


def plan_events(media: CompiledMedia, source: Source) -> list[bytes]:
    """The whole stream, decided up front from the request's seed: same request, same events."""
    count = source.rng.randint(MIN_EVENTS, MAX_EVENTS)
    if media.event_generator is not None:
        events = [sse_event(media.event_generator(source)) for _ in range(count)]
    elif media.generator is not None:
        events = [frame(media.generator(source)) for _ in range(count)]
    else:
        events = [sse_event("") for _ in range(count)]
    if media.terminator is not None:
        events.append(sse_event(media.terminator))
    return events


async def paced(events: list[bytes], first_delay_s: float, interval_s: float) -> AsyncIterator[bytes]:
    """Send planned events, `first_delay_s` before the first and `interval_s` between the others."""
    for number, event in enumerate(events):
        delay = first_delay_s if number == 0 else interval_s
        await asyncio.sleep(delay)  # 0 still yields, so concurrent streams interleave
        yield LastChunk(event) if number == len(events) - 1 else event
