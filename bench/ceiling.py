"""Throughput ceiling for the benchmark: a bare ASGI callable.

Answers every request on every path with the same small JSON body, after
draining the request body (so POSTs cost what they cost on a real server).
A request that accepts `text/event-stream` gets a fixed, pre-rendered stream
instead: as many OpenAI-style chunk events as a typical mock stream, then
`data: [DONE]`, in one write. Served by uvicorn with the same loop/http
settings as the mock server, it shows what the machine + uvicorn (+ the
bench's own clients) can do with zero application work.
"""

import json

BODY = b'{"id":"ceiling","object":"chat.completion","result":"ok"}'
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]
START = {"type": "http.response.start", "status": 200, "headers": HEADERS}
DONE = {"type": "http.response.body", "body": BODY, "more_body": False}

STREAM_EVENTS = 90  # about what one bench stream of the mock carries


def _event(content: str) -> bytes:
    chunk = {"choices": [{"delta": {"content": content}, "finish_reason": None, "index": 0, "logprobs": None}],
             "created": 1735689600, "id": "chatcmpl-ceiling", "model": "gpt-4o", "object": "chat.completion.chunk"}
    return b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n"


STREAM_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache")],
}
STREAM_DONE = {
    "type": "http.response.body",
    "body": b"".join(_event(" word") for _ in range(STREAM_EVENTS)) + b"data: [DONE]\n\n",
    "more_body": False,
}


def _wants_stream(scope) -> bool:
    return any(name == b"accept" and b"text/event-stream" in value for name, value in scope["headers"])


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        more = message.get("more_body", False)
    if _wants_stream(scope):
        await send(STREAM_START)
        await send(STREAM_DONE)
        return
    await send(START)
    await send(DONE)
