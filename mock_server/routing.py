"""Method + path → operation, by connexion's router.

Connexion is given a routing-only OpenAPI 3.0 document per contract (paths, methods, path
parameters as strings, a unique operation key as operationId), so it routes any 3.0 or 3.1
contract the same way and its 404/405 decisions are the ones we render. Path parameters are
routed as strings: `/pets/abc` reaches the operation, and validation answers 400 in the contract's
shape instead of a bare 404.
"""

from __future__ import annotations

import re
from urllib.parse import unquote
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from connexion.middleware.routing import RoutingMiddleware
from connexion.resolver import Resolver
from connexion.spec import Specification

from .contracts import Contract, Operation

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
ROUTING_EXTENSION = "connexion_routing"


def routing_document(operations: Iterable[Operation]) -> dict[str, Any]:
    """The smallest valid OpenAPI 3.0 document that routes these operations."""
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        names = re.findall(r"\{([^}]+)\}", operation.path)
        paths.setdefault(operation.path, {})[operation.method.lower()] = {
            "operationId": operation.key,
            "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names],
            "responses": {"default": {"description": "routed"}},
        }
    return {"openapi": "3.0.3", "info": {"title": "routing", "version": "routing"}, "paths": paths}


def build_router(contracts: Iterable[Contract], pipeline: ASGIApp) -> RoutingMiddleware:
    """Connexion's RoutingMiddleware with one API per base path, most specific first.

    Contracts sharing a base path are routed by one merged document: connexion chains APIs mounted
    at the same base path, but a third one replaces the second in that chain.
    """
    by_base_path: dict[str, list[Operation]] = {}
    for contract in contracts:
        by_base_path.setdefault(contract.base_path, []).extend(contract.operations)
    router = RoutingMiddleware(pipeline)
    resolver = Resolver(function_resolver=lambda _operation_id: pipeline)
    for base_path in sorted(by_base_path, key=lambda b: (-len(b), b)):
        document = Specification.load(routing_document(by_base_path[base_path]))
        router.add_api(document, base_path=base_path, resolver=resolver)
    return router


def routed_operation_key(scope: dict[str, Any]) -> str | None:
    routing = scope.get("extensions", {}).get(ROUTING_EXTENSION, {})
    return routing.get("operation_id")


class PathIndex:
    """Operations by concrete path: the `Allow` header of a 405, and the paths starlette cannot route.

    Starlette's router does not match a path parameter holding a newline, nor one holding an encoded
    slash (it matches the decoded path); the contract allows both, so they are matched here on the
    raw path, one parameter per segment.
    """

    def __init__(self, operations: Iterable[Operation]) -> None:
        # Literal segments before templated ones: /items/latest wins over /items/{id}.
        ordered = sorted(operations, key=lambda op: (op.route.count("{"), -len(op.route)))
        self._patterns: list[tuple[re.Pattern[str], tuple[str, ...], Operation]] = [
            (_pattern(op.route), tuple(re.findall(r"\{([^}]+)\}", op.route)), op) for op in ordered
        ]

    def at(self, path: str) -> list[Operation]:
        return [operation for pattern, _, operation in self._patterns if pattern.match(path)]

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method` at `raw_path` (percent-encoded), with its decoded path parameters."""
        for pattern, names, operation in self._patterns:
            found = pattern.match(raw_path)
            if found and operation.method == method:
                return operation, {name: unquote(value) for name, value in zip(names, found.groups())}
        return None


def _pattern(route: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", route)
    return re.compile("^" + "([^/]+)".join(re.escape(part) for part in parts) + r"\Z", re.DOTALL)
