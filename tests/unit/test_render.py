"""render.send_reply: streams share the event loop so that a new stream's first event is not late."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from mock_server.behaviours.reply import LastChunk, Reply
from mock_server.media.sse import sse_event
from mock_server.serve.render import Turns, send_reply

CHUNKS_PER_STREAM = 200
OPEN_STREAMS = 20


async def ready_chunks(count: int) -> AsyncIterator[bytes]:
    """A stream whose whole body is ready, like an unpaced completion: it never waits by itself."""
    for number in range(count):
        yield b"data: %d\n\n" % number


async def never_disconnects() -> dict[str, str]:
    await asyncio.sleep(3600)
    return {"type": "http.disconnect"}


async def chunks_sent_before_first_event_of_a_new_stream() -> int:
    """How many chunks of already open streams go out between a new stream's start and its first event."""
    turns = Turns()
    log: list[str] = []

    def recorder(name: str):
        async def send(message: dict) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                log.append(name)
        return send

    def stream(name: str, count: int) -> asyncio.Task[None]:
        reply = Reply(200, media_type="text/event-stream", events=ready_chunks(count))
        return asyncio.ensure_future(send_reply(reply, recorder(name), never_disconnects, turns=turns))

    busy = [stream(f"open-{n}", CHUNKS_PER_STREAM) for n in range(OPEN_STREAMS)]
    for _ in range(5):
        await asyncio.sleep(0)  # the open streams are past their first events, sending the rest
    started_at = len(log)
    newcomer = stream("new", 1)
    await newcomer
    first_event_at = log.index("new")
    await asyncio.gather(*busy)
    assert log.count("new") == 1 and len(log) == OPEN_STREAMS * CHUNKS_PER_STREAM + 1
    return first_event_at - started_at


def test_a_new_stream_does_not_wait_for_every_open_stream_to_write() -> None:
    # Without turn-taking each pass of the loop writes a chunk of every open stream (20 here) before
    # the new stream gets to run; with it, one stream writes per pass.
    assert asyncio.run(chunks_sent_before_first_event_of_a_new_stream()) <= 3


def test_every_open_stream_still_gets_all_its_chunks_in_order() -> None:
    async def main() -> list[bytes]:
        received: list[bytes] = []

        async def send(message: dict) -> None:
            received.append(message.get("body", b""))

        turns = Turns()
        other = Reply(200, media_type="text/event-stream", events=ready_chunks(50))
        mine = Reply(200, media_type="text/event-stream", events=ready_chunks(50))

        async def discard(message: dict) -> None:
            return None

        await asyncio.gather(
            send_reply(other, discard, never_disconnects, turns=turns),
            send_reply(mine, send, never_disconnects, turns=turns),
        )
        return received

    received = asyncio.run(main())
    assert received[1:-1] == [b"data: %d\n\n" % n for n in range(50)]
    assert received[-1] == b""


async def body_messages(events: AsyncIterator[bytes]) -> list[tuple[bytes, bool]]:
    """(body, more_body) of every body message a stream sends."""
    sent: list[tuple[bytes, bool]] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body":
            sent.append((message.get("body", b""), message.get("more_body", False)))

    await send_reply(Reply(200, media_type="text/event-stream", events=events), send, never_disconnects)
    return sent


async def ending_with_a_marked_chunk() -> AsyncIterator[bytes]:
    yield b"data: 1\n\n"
    yield LastChunk(b"data: [DONE]\n\n")


def test_a_marked_last_chunk_carries_the_end_of_the_body() -> None:
    # One write for the last events and the end of the body (uvicorn appends the chunked terminator).
    assert asyncio.run(body_messages(ending_with_a_marked_chunk())) == [
        (b"data: 1\n\n", True),
        (b"data: [DONE]\n\n", False),
    ]


def test_a_stream_without_a_marked_last_chunk_still_ends() -> None:
    sent = asyncio.run(body_messages(ready_chunks(2)))
    assert sent == [(b"data: 0\n\n", True), (b"data: 1\n\n", True), (b"", False)]


def test_a_producer_runs_only_in_its_turn() -> None:
    """After its first chunk, a stream's producer (which may compose a whole reply) is not resumed
    while another stream holds the turn: its work would delay that pass's new first events."""

    async def main() -> list[str]:
        log: list[str] = []
        turns = Turns()

        async def producer() -> AsyncIterator[bytes]:
            yield b"data: first\n\n"
            log.append("produced the rest")
            yield LastChunk(b"data: [DONE]\n\n")

        async def send(message: dict) -> None:
            if message.get("body") == b"data: first\n\n":
                log.append("sent the first")

        async with turns._lock:  # another stream's turn
            task = asyncio.ensure_future(
                send_reply(Reply(200, media_type="text/event-stream", events=producer()), send, never_disconnects,
                           turns=turns))
            for _ in range(5):
                await asyncio.sleep(0)
            log.append("turn released")
        await task
        return log

    assert asyncio.run(main()) == ["sent the first", "turn released", "produced the rest"]


def test_an_event_is_one_data_line_per_line_of_its_payload() -> None:
    # A JSON value stays on one line (a newline inside a string is escaped); text keeps its lines.
    assert sse_event({"b": "x\ny", "a": 1}) == b'data: {"a":1,"b":"x\\ny"}\n\n'
    assert sse_event("one\ntwo") == b"data: one\ndata: two\n\n"
    assert sse_event("[DONE]") == b"data: [DONE]\n\n"
