"""Method + raw path → operation and its path parameters, by one compiled expression per method.

Matching runs on the raw (still percent-encoded) path, one parameter per segment, so a parameter
may hold an encoded slash or a newline, as the contract allows; values come back decoded. Path
parameters are matched as strings: `/pets/abc` reaches the operation, and validation answers 400 in
the contract's shape instead of a bare 404. A path no operation declares is not found: no redirect
for a trailing slash, since a redirect is an answer no contract declares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from .contracts import Operation

PARAMETER = re.compile(r"\{([^}]+)\}")


def raw_path_of(scope: dict[str, Any]) -> str:
    """The path as sent, still percent-encoded: routing splits it into segments before decoding."""
    raw_path = scope.get("raw_path")
    return raw_path.decode("latin-1") if raw_path else scope["path"]


def _specificity(operation: Operation) -> tuple[int, int]:
    """Literal segments before templated ones: /items/latest wins over /items/{id}."""
    return operation.route.count("{"), -len(operation.route)


def _pattern(route: str) -> str:
    parts = PARAMETER.split(route)[::2]
    return "([^/]+)".join(re.escape(part) for part in parts)


class PathIndex:
    """Every operation of the loaded contracts, found by method and raw path in one regex match."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        ordered = sorted(operations, key=_specificity)
        self._by_route = [(re.compile(_pattern(op.route) + r"\Z", re.DOTALL), op) for op in ordered]
        self._by_method: dict[str, tuple[re.Pattern[str], dict[str, tuple[Operation, tuple[str, ...]]]]] = {}
        for method in {op.method for op in ordered}:
            routes = [op for op in ordered if op.method == method]
            # One alternative per route, in order of specificity: the first alternative that
            # matches wins, and the group that closes last names the route.
            alternatives = "|".join(f"(?P<r{n}>{_pattern(op.route)})" for n, op in enumerate(routes))
            found = {f"r{n}": (op, tuple(PARAMETER.findall(op.route))) for n, op in enumerate(routes)}
            self._by_method[method] = (re.compile(f"(?:{alternatives})\\Z", re.DOTALL), found)

    def at(self, raw_path: str) -> list[Operation]:
        """Every operation declared at this path, whatever its method (a 405's `Allow`, CORS)."""
        return [operation for pattern, operation in self._by_route if pattern.match(raw_path)]

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method` at `raw_path`, with its decoded path parameters. HEAD falls
        back to GET, whose answer is sent without its body."""
        found = self._match(method, raw_path)
        if found is None and method == "HEAD":
            return self._match("GET", raw_path)
        return found

    def _match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        routes = self._by_method.get(method)
        if routes is None:
            return None
        pattern, by_group = routes
        found = pattern.match(raw_path)
        if found is None or found.lastgroup is None:
            return None
        operation, names = by_group[found.lastgroup]
        first = pattern.groupindex[found.lastgroup] + 1
        values = found.groups()[first - 1:first - 1 + len(names)]
        return operation, {name: unquote(value) for name, value in zip(names, values)}
