"""Throughput ceiling for the benchmark: a bare ASGI callable.

Answers every request on every path with the same small JSON body, after
draining the request body (so POSTs cost what they cost on a real server).
Served by uvicorn with the same loop/http settings as the mock server, it
shows what the machine + uvicorn can do with zero application work.
"""

BODY = b'{"id":"ceiling","object":"chat.completion","result":"ok"}'
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]
START = {"type": "http.response.start", "status": 200, "headers": HEADERS}
DONE = {"type": "http.response.body", "body": BODY, "more_body": False}


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
    await send(START)
    await send(DONE)
