"""An ASGI app that breaks its contract (`contract.yaml`) on purpose, one defect per operation.

| operation   | defect                                   | expected check               |
|-------------|------------------------------------------|------------------------------|
| getItem     | `id` is a string, the schema says integer | response_schema_conformance  |
| listWidgets | answers 203, which is not declared        | status_code_conformance      |
| getReport   | required `X-Request-Id` header missing    | response_headers_conformance |
| divide      | `divisor=0` crashes with a 500            | not_a_server_error           |
| getPublic   | declared API key is never checked         | ignored_auth                 |
| chat        | the stream never sends `data: [DONE]`     | stream_termination           |
| getArchive  | never answers 2xx (a declared 404)        | not exercised (coverage)     |

Everything else is correct (auth, 400 on invalid input, 405 on other methods), so the only
failures a checker should report are the ones above.

Two more ways to misbehave, for the tests of `check`'s coverage and limits:
- every request is counted, by operation, before it is answered: `GET /counts` returns the counts
  (requests to no operation under "-"), `POST /counts/reset` forgets them;
- `refusing_app` answers every request 403, as an API does to credentials it refuses
  (`python -m tests.broken_server PORT --refuse`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

API_KEY_HEADER = "x-api-key"
API_KEY = "test-key"  # the only key the server accepts: ignored_auth probes with a wrong one


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


def authorised(request: Request) -> bool:
    return request.headers.get(API_KEY_HEADER) == API_KEY


def integer(text: str | None, low: int, high: int) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if low <= value <= high and str(value) == text else None


async def get_item(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    item_id = integer(request.path_params["itemId"], 1, 1000)
    if item_id is None:
        return error(400, "itemId must be an integer in 1..1000")
    return JSONResponse({"id": str(item_id), "name": "bolt"})  # defect: id is a string


async def list_widgets(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    return JSONResponse([{"id": 1, "name": "widget"}], status_code=203)  # defect: 203 not declared


async def get_report(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    return JSONResponse({"id": 7, "name": "report"})  # defect: no X-Request-Id


async def divide(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    divisor = integer(request.query_params.get("divisor"), 0, 100)
    if divisor is None:
        return error(400, "divisor must be an integer in 0..100")
    if divisor == 0:  # defect: the edge case crashes
        return Response("Internal Server Error", status_code=500, media_type="text/plain")
    return JSONResponse({"quotient": 100 / divisor})


async def get_public(request: Request) -> Response:
    return JSONResponse({"id": 1, "name": "public"})  # defect: the declared API key is ignored


def chat_body(raw: bytes, content_type: str) -> dict[str, Any] | None:
    if not content_type.startswith("application/json"):
        return None
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or set(body) - {"prompt", "stream"}:
        return None
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or len(prompt) > 50:
        return None
    if "stream" in body and not isinstance(body["stream"], bool):
        return None
    return body


async def chat(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    body = chat_body(await request.body(), request.headers.get("content-type", ""))
    if body is None:
        return error(400, "the body must be {prompt: string (max 50), stream?: boolean}")
    if not body.get("stream"):
        return JSONResponse({"id": "answer-1", "text": "Hello there"})

    async def events() -> AsyncIterator[bytes]:
        for word in ("Hello", " there"):
            yield f"data: {json.dumps({'id': 'answer-1', 'delta': word})}\n\n".encode()
        # defect: no "data: [DONE]"

    return StreamingResponse(events(), media_type="text/event-stream")


async def get_archive(request: Request) -> Response:
    if not authorised(request):
        return error(401, "missing API key")
    return error(404, "the archive is empty")  # defect: no request ever succeeds


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


# The operation each path belongs to (any method: the coverage phase also sends undeclared ones).
OPERATIONS = {"items": "getItem", "widgets": "listWidgets", "reports": "getReport", "divide": "divide",
              "public": "getPublic", "chat": "chat", "archive": "getArchive"}
COUNTS: Counter[str] = Counter()


def operation_of(path: str) -> str:
    parts = path.split("/")
    return OPERATIONS.get(parts[2], "-") if len(parts) > 2 and parts[1] == "v1" else "-"


class Counting:
    """Counts each request by operation before the app sees it; serves /counts."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/counts":
            if scope["method"] == "POST":
                COUNTS.clear()
            await JSONResponse(dict(COUNTS))(scope, receive, send)
            return
        if scope["type"] == "http" and scope["path"] != "/health":
            COUNTS[operation_of(scope["path"])] += 1
        await self.app(scope, receive, send)


async def refuse(request: Request) -> Response:
    return error(403, "these credentials are not accepted")


app = Counting(Starlette(
    routes=[
        Route("/v1/items/{itemId}", get_item, methods=["GET"]),
        Route("/v1/widgets", list_widgets, methods=["GET"]),
        Route("/v1/reports", get_report, methods=["GET"]),
        Route("/v1/divide", divide, methods=["GET"]),
        Route("/v1/public", get_public, methods=["GET"]),
        Route("/v1/chat", chat, methods=["POST"]),
        Route("/v1/archive", get_archive, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
))

refusing_app = Counting(Starlette(
    routes=[
        Route("/health", health, methods=["GET"]),
        Route("/{path:path}", refuse, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]),
    ]
))
