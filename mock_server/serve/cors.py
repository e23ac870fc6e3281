"""CORS for browsers on the developer's machine: preflights answered, every answer labelled.

Allowed origins are regular expressions matched against the whole `Origin` (default: any port of
localhost, 127.0.0.1 and [::1]; `--cors-origin '*'` allows any). A preflight (`OPTIONS` with
`Origin` and `Access-Control-Request-Method`) is answered 204 here, before routing, so it is never
a 405: the allowed methods are those the path declares, the allowed headers the contracts'
credential headers plus Prefer and Content-Type plus whatever the browser asks for. Every other
answer to an allowed origin (errors and event streams included) carries
Access-Control-Allow-Origin and exposes the declared response headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

from ..contracts.index import ADMIN_PREFIX, Contract
from .routing import PathIndex, raw_path_of

MAX_AGE_SECONDS = 600
BASE_ALLOW_HEADERS = ("Authorization", "Content-Type", "Accept", "Prefer")
ALWAYS_EXPOSED = ("WWW-Authenticate", "Allow", "Retry-After")


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class Cors:
    def __init__(self, origins: Iterable[str], contracts: Iterable[Contract], paths: PathIndex) -> None:
        contracts = tuple(contracts)
        self.patterns = tuple(re.compile(origin) for origin in origins)
        self.paths = paths
        allow = dict.fromkeys(BASE_ALLOW_HEADERS)
        expose = dict.fromkeys(ALWAYS_EXPOSED)
        for contract in contracts:
            for operation in contract.operations:
                for scheme in operation.security_schemes.values():
                    if scheme.type == "apiKey" and scheme.location == "header" and scheme.parameter:
                        allow[scheme.parameter] = None
                for parameter in operation.parameters:
                    if parameter.location == "header":
                        allow[parameter.name] = None
                for response in operation.responses.values():
                    for header in response.headers:
                        expose[header.name] = None
        self.allow_headers = tuple(allow)
        self.expose_headers = ", ".join(expose)

    def allowed(self, origin: str | None) -> bool:
        return bool(origin) and any(pattern.fullmatch(origin or "") for pattern in self.patterns)

    def methods_for(self, path: str, requested: str) -> str:
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return "GET, HEAD, POST, OPTIONS"
        declared = sorted({operation.method for operation in self.paths.at(path)})
        return ", ".join([*declared, "OPTIONS"]) if declared else requested.upper()

    async def preflight(self, scope: dict[str, Any], send: Any) -> bool:
        """Answer a CORS preflight; False if this request is not one."""
        headers = scope["headers"]
        if scope["method"] != "OPTIONS":
            return False
        origin = _header(headers, b"origin")
        requested = _header(headers, b"access-control-request-method")
        if origin is None or requested is None:
            return False
        if not self.allowed(origin):
            body = orjson.dumps({
                "status": 403, "title": "Forbidden",
                "detail": f"origin {origin} is not allowed; start the mock with --cors-origin '<regex>' (or '*')",
            })
            await send({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                (b"vary", b"Origin")]})
            await send({"type": "http.response.body", "body": body})
            return True
        asked = [h.strip() for h in (_header(headers, b"access-control-request-headers") or "").split(",") if h.strip()]
        allow_headers = list(self.allow_headers)
        known = {h.lower() for h in allow_headers}
        allow_headers += [h for h in asked if h.lower() not in known]
        answer = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-credentials", b"true"),
            (b"access-control-allow-methods", self.methods_for(raw_path_of(scope), requested).encode("latin-1")),
            (b"access-control-allow-headers", ", ".join(allow_headers).encode("latin-1")),
            (b"access-control-max-age", str(MAX_AGE_SECONDS).encode()),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": answer})
        await send({"type": "http.response.body", "body": b""})
        return True

    def wrap(self, scope: dict[str, Any], send: Any) -> Any:
        """`send` that adds the CORS headers to the answer of an allowed origin."""
        origin = _header(scope["headers"], b"origin")
        if not self.allowed(origin):
            return send
        assert origin is not None
        extra = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-credentials", b"true"),
            (b"access-control-expose-headers", self.expose_headers.encode("latin-1")),
            (b"vary", b"Origin"),
        ]

        async def cors_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return cors_send
