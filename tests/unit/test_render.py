"""render.send_reply: streams share the event loop so that a new stream's first event is not late."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from mock_server.render import Reply, Turns, send_reply

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
