#!/usr/bin/env python3
"""CPU time per request of the mock's app, called directly as ASGI: no sockets, no load generator,
so two versions can be compared on a busy machine (what `make bench` reports as the cost of the
dashboard's journal feed while nobody watches).

    .venv/bin/python bench/inprocess.py                       # this tree
    PYTHONPATH=/tmp/main .venv/bin/python bench/inprocess.py  # another tree (git archive main | tar -x -C /tmp/main)
    .venv/bin/python bench/inprocess.py --watching            # with a follower of the live feed (the page open)

Prints, per scenario, the best of `--rounds` rounds of `--requests` requests, in CPU µs per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ORG = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
SCENARIOS: dict[str, tuple[str, dict[str, str], dict[str, Any]]] = {
    "emporix-texts": ("/ai-service/benchtenant/texts", {"authorization": "Bearer bench-token"},
                      {"prompt": "Write a description for a red bicycle"}),
    "emporix-completions": ("/ai-service/benchtenant/completions", {"authorization": "Bearer bench-token"},
                            {"messages": [{"role": "USER", "content": "Say hello"}]}),
    "kodexa-chat": (f"/api/organizations/{ORG}/ai/chat/completions", {"x-api-key": "bench-key"},
                    {"model": "bench-model", "messages": [{"role": "user", "content": "Say hello"}]}),
    "kodexa-stream": (f"/api/organizations/{ORG}/ai/chat/completions", {"x-api-key": "bench-key"},
                      {"model": "bench-model", "messages": [{"role": "user", "content": "Say hello"}], "stream": True}),
}


def scope_of(path: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    raw = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), (b"accept", b"application/json"),
           (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "headers": raw,
            "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}


async def call(app: Any, scope: dict[str, Any], body: bytes) -> int:
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # the client never goes away while the answer is written
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    return status


async def follow(app: Any, seen: list[int]) -> None:
    async for _ in app.state.follow():
        seen[0] += 1


async def measure(args: argparse.Namespace) -> dict[str, float]:
    from mock_server.app import create_app
    from mock_server.settings import ServeSettings

    app = create_app(ServeSettings(contracts=(ROOT / "openapi",), access_log=False))
    watcher, seen = None, [0]
    if args.watching:
        watcher = asyncio.ensure_future(follow(app, seen))
        await asyncio.sleep(0)
    results: dict[str, float] = {}
    for name in args.scenarios.split(","):
        path, headers, payload = SCENARIOS[name]
        body = json.dumps(payload).encode()
        scope = scope_of(path, headers, body)
        for _ in range(200):  # compile on first use, fill the memos: what a server has done after its first seconds
            assert await call(app, scope, body) == 200
        best = float("inf")
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests):
                await call(app, scope, body)
                if watcher is not None:
                    await asyncio.sleep(0)  # the follower reads each entry as a page would
            best = min(best, (time.process_time() - started) / args.requests * 1e6)
        results[name] = best
    if watcher is not None:
        watcher.cancel()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--watching", action="store_true", help="a follower of the live feed reads every entry")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results = asyncio.run(measure(args))
    if args.json:
        print(json.dumps(results))
    else:
        for name, micros in results.items():
            print(f"{name:22} {micros:7.1f} µs/request")


if __name__ == "__main__":
    main()
