"""`mock-server proxy`: a validating reverse proxy in front of a real API.

Each request is matched to an operation, forwarded to the upstream (httpx AsyncClient; streams
pass through event by event), and both request and answer are validated with openapi-core (built
once per contract, OpenAPI 3.0 and 3.1). Violations go into `X-Mock-Server-Violations`
(count + short text) and the journal at `GET /__mock/requests`. The upstream's answer is never
altered, unless `--strict`: then a violation gets a 502 (for streams: violations known before the
first event; event violations reach only the journal). `--record DIR` saves each answer as an example.

`/__mock/*` belongs to the proxy and is never forwarded: `health`, `requests?limit=N` (its own
journal, newest first) and `POST reset` (forgets that journal); anything else there is a 404. The
log has one line per request with the path only, as `serve` writes it (a query may carry a key).
"""

from __future__ import annotations

import collections
import json
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from ..contracts.index import ADMIN_PREFIX, Contract, Operation
from ..contracts.loading import load_contracts
from ..contracts.validators import compile_validator
from ..errors import SettingsError
from ..media.sse import SSEParser, event_problems
from ..serve.access_log import AccessLog
from ..serve.journal import requested_limit
from ..serve.routing import PathIndex
from ..serve.validation import parse_cookies
from .recordings import SECRET_HEADER, save_recording

VIOLATIONS_HEADER = "X-Mock-Server-Violations"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}
JOURNAL_SIZE = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class ProxySettings:
    contracts: tuple[Path, ...] = (Path("openapi"),)
    upstream: str
    host: str = "127.0.0.1"
    port: int = 8001
    strict: bool = False
    record: Path | None = None
    quiet: bool = False

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"--upstream: {self.upstream!r} is not an http(s) URL")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"--port: {self.port} is not a port number")


class Route:
    """One operation of one contract, with its openapi-core validator and compiled SSE validator."""

    def __init__(self, contract: Contract, operation: Operation, openapi: Any) -> None:
        self.contract = contract
        self.operation = operation
        self.openapi = openapi
        self.host_url = _server_origin(contract)
        self.event_validator = None
        self.terminator: str | None = None
        for status, response in operation.responses.items():
            media = response.content.get("text/event-stream")
            if status.startswith("2") and media is not None and media.event_schema is not None:
                self.event_validator = compile_validator(media.event_schema, operation.response_defs)
                self.terminator = media.terminator


def _server_origin(contract: Contract) -> str:
    servers = contract.document.get("servers") or [{"url": "http://localhost"}]
    url = str(servers[0].get("url", ""))
    for var, spec in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + var + "}", str(spec.get("default", "")))
    parts = urlsplit(url)
    return f"{parts.scheme or 'http'}://{parts.netloc or 'localhost'}"


def build_routes(contracts: tuple[Contract, ...]) -> list[Route]:
    from openapi_core import OpenAPI

    routes: list[Route] = []
    for contract in contracts:
        openapi = OpenAPI.from_dict(dict(contract.document), base_uri=contract.path.resolve().as_uri())
        routes.extend(Route(contract, op, openapi) for op in contract.operations)
    return routes


def _errors_of(exc: Exception) -> list[str]:
    """openapi-core nests the useful messages (schema errors) under __cause__."""
    messages: list[str] = []
    cause = exc.__cause__
    inner = getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None)
    if inner:
        messages.extend(f"{'.'.join(str(p) for p in e.path) or 'body'}: {e.message}" for e in inner)
    if not messages:
        messages.append(str(cause or exc))
    return messages


class ProxyApp:
    def __init__(self, settings: ProxySettings, contracts: tuple[Contract, ...] | None = None) -> None:
        self.settings = settings
        self.routes = {route.operation.key: route for route in
                       build_routes(contracts if contracts is not None else load_contracts(settings.contracts))}
        self.paths = PathIndex(route.operation for route in self.routes.values())
        self.journal: collections.deque[dict[str, Any]] = collections.deque(maxlen=JOURNAL_SIZE)
        self.client: httpx.AsyncClient | None = None
        self.access_log = None if settings.quiet else AccessLog()

    def match(self, method: str, raw_path: str) -> Route | None:
        found = self.paths.match(method, raw_path)
        return self.routes[found[0].key] if found else None

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"] == ADMIN_PREFIX or scope["path"].startswith(ADMIN_PREFIX + "/"):
            await self._admin(scope, send)
            return
        await self._forward(scope, receive, send)

    async def _admin(self, scope: dict[str, Any], send: Callable[..., Any]) -> None:
        """The proxy's own endpoints; nothing under /__mock reaches the upstream."""
        name, method = scope["path"][len(ADMIN_PREFIX):].strip("/"), scope["method"]
        missing = f"no proxy endpoint {method} {scope['path']}"
        status, body = 404, {"status": 404, "title": "Not Found", "detail": missing}
        if name == "health" and method in ("GET", "HEAD"):
            status, body = 200, {"status": "ok"}
        elif name == "requests" and method == "GET":
            try:
                limit = requested_limit(scope.get("query_string", b""))
            except ValueError as exc:
                status, body = 400, {"status": 400, "title": "Bad Request", "detail": str(exc)}
            else:
                entries = list(reversed(self.journal))[:limit]
                status, body = 200, {"requests": entries, "count": len(entries), "capacity": JOURNAL_SIZE}
        elif name == "reset" and method == "POST":
            self.journal.clear()
            status, body = 200, {"reset": ["journal"]}
        await _send_json(send, status, body)

    async def _lifespan(self, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.client = httpx.AsyncClient(base_url=self.settings.upstream, timeout=60.0, follow_redirects=False)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.client is not None:
                    await self.client.aclose()
                if self.access_log is not None:
                    self.access_log.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _forward(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        started = time.monotonic()
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        body = await _read_body(receive)
        route = self.match(method, (scope.get("raw_path") or path.encode()).decode("latin-1"))
        violations: list[str] = []
        if route is None:
            violations.append(f"request: {method} {path} is not an operation of the contracts")
        else:
            violations.extend("request: " + m for m in self._validate_request(route, method, path, query, headers, body))
        if self.client is None:  # run without lifespan (e.g. an in-process test client)
            self.client = httpx.AsyncClient(base_url=self.settings.upstream, timeout=60.0, follow_redirects=False)
        upstream_request = self.client.build_request(
            method, path + (f"?{query}" if query else ""), content=body,
            headers=[(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP],
        )
        try:
            response = await self.client.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            self._done(route, method, path, 502, [f"upstream unreachable: {type(exc).__name__}"], started)
            await _send_json(send, 502, {"error": "upstream unreachable", "detail": f"{type(exc).__name__}: {exc}"})
            return
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        out_headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in HOP_BY_HOP | {"content-encoding"}]
        try:
            if media == "text/event-stream":
                await self._stream(route, method, path, response, out_headers, violations, send, started)
                return
            content = await response.aread()
        finally:
            await response.aclose()
        if route is not None:
            violations.extend("response: " + m for m in self._validate_response(
                route, method, path, query, headers, body, response.status_code, dict(response.headers), content))
            self._record(route, response.status_code, media, content, dict(response.headers))
        self._done(route, method, path, response.status_code, violations, started)
        if violations and self.settings.strict:
            await _send_json(send, 502, {"error": "the upstream's answer breaks the contract", "violations": violations},
                             extra=[(VIOLATIONS_HEADER, _header_text(violations))])
            return
        if violations:
            out_headers.append((VIOLATIONS_HEADER, _header_text(violations)))
        out_headers.append(("content-length", str(len(content))))
        await send({"type": "http.response.start", "status": response.status_code, "headers": _encode(out_headers)})
        await send({"type": "http.response.body", "body": content})

    async def _stream(self, route: Route | None, method: str, path: str, response: httpx.Response,
                      out_headers: list[tuple[str, str]], violations: list[str], send: Callable[..., Any],
                      started: float) -> None:
        if route is not None and not route.operation.declares(response.status_code):
            violations.append(f"response: status {response.status_code} is not declared")
        if violations and self.settings.strict:
            self._done(route, method, path, response.status_code, violations, started)
            await _send_json(send, 502, {"error": "the upstream's answer breaks the contract", "violations": violations},
                             extra=[(VIOLATIONS_HEADER, _header_text(violations))])
            return
        if violations:
            out_headers = [*out_headers, (VIOLATIONS_HEADER, _header_text(violations))]
        await send({"type": "http.response.start", "status": response.status_code, "headers": _encode(out_headers)})
        parser = SSEParser()
        events: list[Any] = []
        async for chunk in response.aiter_raw():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            events.extend(parser.feed(chunk.decode("utf-8", errors="replace")))
        events.extend(parser.close())
        if route is not None:  # before the stream's end reaches the client: then its recording exists
            datas = [e.data for e in events]
            problems = event_problems(datas, route.event_validator, route.terminator)
            violations.extend(f"stream: {problem.title}: {problem.message}" for problem in problems)
            self._record(route, response.status_code, "text/event-stream", datas, dict(response.headers))
        await send({"type": "http.response.body", "body": b""})
        self._done(route, method, path, response.status_code, violations, started)

    def _validate_request(self, route: Route, method: str, path: str, query: str,
                          headers: list[tuple[str, str]], body: bytes) -> list[str]:
        from openapi_core.testing import MockRequest

        header_map = {k: v for k, v in headers}
        request = MockRequest(
            route.host_url, method.lower(), path, args=_query_args(query), headers=header_map,
            cookies=parse_cookies(header_map.get("cookie", "")), data=body or None,
            content_type=header_map.get("content-type", "application/json"),
        )
        try:
            with warnings.catch_warnings():
                # openapi-core cannot check OAuth2 / OpenID Connect credentials and warns on each such
                # request; the upstream checks them, so that is no finding and no console noise.
                warnings.filterwarnings("ignore", "Unsupported scheme type", UserWarning)
                route.openapi.validate_request(request)
        except Exception as exc:  # openapi-core raises a family of errors; each means "invalid"
            return _errors_of(exc)
        return []

    def _validate_response(self, route: Route, method: str, path: str, query: str, headers: list[tuple[str, str]],
                           body: bytes, status: int, response_headers: dict[str, str], content: bytes) -> list[str]:
        from openapi_core.testing import MockRequest, MockResponse

        header_map = {k: v for k, v in headers}
        request = MockRequest(route.host_url, method.lower(), path, args=_query_args(query), headers=header_map,
                              data=body or None, content_type=header_map.get("content-type", "application/json"))
        response = MockResponse(content, status_code=status, headers=response_headers,
                                content_type=response_headers.get("content-type", ""))
        try:
            route.openapi.validate_response(request, response)
        except Exception as exc:
            return _errors_of(exc)
        return []

    def _record(self, route: Route, status: int, media: str, content: Any, headers: dict[str, str]) -> None:
        if self.settings.record is None:
            return
        body: Any = content
        if isinstance(content, bytes):
            text = content.decode("utf-8", errors="replace")
            try:
                body = json.loads(text) if "json" in media else text
            except ValueError:
                body = text
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        save_recording(self.settings.record, route.operation.operation_id, status, media, body, headers, stamp)

    def _done(self, route: Route | None, method: str, path: str, status: int, violations: list[str],
              started: float) -> None:
        """One exchange is over: its journal entry, and its log line (the path only, as `serve` writes it)."""
        milliseconds = (time.monotonic() - started) * 1000
        operation_id = route.operation.operation_id if route else None
        if self.access_log is not None:
            self.access_log.line(method, path, operation_id or "-", status, milliseconds)
        self.journal.append({
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "method": method, "path": path,
            "operationId": operation_id,
            "contract": route.contract.name if route else None,
            "status": status, "duration_ms": round(milliseconds, 1),
            "violations": violations, "valid": not violations,
        })


def _header_text(violations: list[str]) -> str:
    first = re.sub(r"[\r\n]+", " ", violations[0])[:160]
    more = f" (+{len(violations) - 1} more)" if len(violations) > 1 else ""
    return f"{len(violations)}; {first}{more}".encode("ascii", "replace").decode("ascii")


def _query_args(query: str) -> dict[str, Any]:
    return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(query, keep_blank_values=True).items()}


def _encode(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1", "replace")) for k, v in headers]


async def _read_body(receive: Callable[..., Any]) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send_json(send: Callable[..., Any], status: int, payload: Any, extra: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
    body = json.dumps(payload).encode()
    headers = [("content-type", "application/json"), ("content-length", str(len(body))), *extra]
    await send({"type": "http.response.start", "status": status, "headers": _encode(headers)})
    await send({"type": "http.response.body", "body": body})


def run_proxy(settings: ProxySettings, announce: Callable[[str], None] = print) -> None:
    import uvicorn

    app = ProxyApp(settings)
    announce(f"mock-server proxy: http://{settings.host}:{settings.port} -> {settings.upstream}"
             + (" (strict)" if settings.strict else "") + (f", recording to {settings.record}" if settings.record else ""))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                lifespan="on", server_header=False, date_header=False)


__all__ = ["SECRET_HEADER", "VIOLATIONS_HEADER", "ProxyApp", "ProxySettings", "run_proxy"]
