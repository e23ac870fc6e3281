"""Method + raw path → operation and its path parameters, by a tree of path segments.

A request walks the tree one segment at a time, so the cost does not grow with the number of
operations. At each segment a literal wins over a template (`/items/latest` over `/items/{id}`), a
partial template (`{name}.json`) over a whole-segment parameter, and the walk backs up when a branch
declares no path there at all. The first declared path found is the one the request matched, as
OpenAPI says (concrete paths before templated ones): a method it does not declare is a 405 with that
path's `Allow`, never an operation of a templated sibling. Two templated paths can both fit one
request (`/leads/{id}` and `/{entity}/links` for `/leads/links`), which OpenAPI leaves to the tool:
the first whose path parameters can hold the values wins (an integer `id` cannot be `links`).
Matching runs on the raw (still percent-encoded) path, one parameter per segment, so a parameter
may hold an encoded slash or a newline, as the contract allows; values come back decoded. Where no
declared path can hold the values, the most specific is still the match: `/pets/abc` reaches the
operation, and validation answers 400 in the contract's shape instead of a bare 404. A path no
operation declares is not found: no redirect for a trailing slash, since a redirect is an answer no
contract declares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..contracts.index import Operation
from ..media.shapes import coerce, kinds, resolve, scalar_text

PARAMETER = re.compile(r"\{([^}]+)\}")
Holds = Callable[[str], bool]  # can this decoded path segment be a value of the parameter's schema?


def raw_path_of(scope: dict[str, Any]) -> str:
    """The path as sent, still percent-encoded: routing splits it into segments before decoding."""
    raw_path = scope.get("raw_path")
    return raw_path.decode("latin-1") if raw_path else scope["path"]


@dataclass
class _Node:
    """One segment position: where each kind of next segment leads, and the operations ending here."""

    literals: dict[str, _Node] = field(default_factory=dict)
    partials: dict[str, tuple[re.Pattern[str], _Node]] = field(default_factory=dict)  # `{name}.json`
    parameter: _Node | None = None  # a whole segment, `{id}`
    operations: dict[str, tuple[Operation, tuple[str, ...]]] = field(default_factory=dict)  # method → op, names
    checks: list[tuple[Holds | None, ...]] = field(default_factory=list)  # per operation, per path value
    open: bool = False  # an operation here takes any values: no need to check them

    def holds(self, values: tuple[str, ...]) -> bool:
        """Whether some operation declared here can take these (still encoded) path values."""
        if self.open:
            return True
        for checks in self.checks:
            for check, value in zip(checks, values):
                if check is not None and not check(unquote(value) if "%" in value else value):
                    break
            else:
                return True
        return False


def _holds(operation: Operation, name: str) -> Holds | None:
    """What a value of path parameter `name` must look like, or None where any text will do: one of
    its `enum`, or readable as its non-string type (`42`, `42.0` for an integer; `true`)."""
    spec = next((p for p in operation.parameters if p.location == "path" and p.name == name), None)
    if spec is None:
        return None
    defs = operation.request_defs
    schema = resolve(spec.schema, defs)
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        allowed = frozenset(value if isinstance(value, str) else scalar_text(value) for value in schema["enum"])
        return allowed.__contains__
    types = kinds(schema, defs)
    if not types or "string" in types:
        return None
    if types == ("integer",):
        return _is_integer
    return lambda text: not isinstance(coerce(text, schema, defs, types), str)


def _is_integer(text: str) -> bool:
    """An integer, or a number with a zero fraction (`42.0`), as JSON Schema counts."""
    try:
        int(text)
        return True
    except ValueError:
        return isinstance(coerce(text, {}, {}, ("integer",)), float)


def _segment_pattern(segment: str) -> re.Pattern[str]:
    parts = PARAMETER.split(segment)[::2]
    return re.compile("(.+?)".join(re.escape(part) for part in parts), re.DOTALL)


class PathIndex:
    """Every operation of the loaded contracts, by method and raw path."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        self._root = _Node()
        for operation in operations:
            node = self._root
            for segment in operation.route.split("/"):
                if not PARAMETER.search(segment):
                    node = node.literals.setdefault(segment, _Node())
                elif PARAMETER.fullmatch(segment):
                    node.parameter = node.parameter or _Node()
                    node = node.parameter
                else:
                    node = node.partials.setdefault(segment, (_segment_pattern(segment), _Node()))[1]
            names = tuple(PARAMETER.findall(operation.route))
            if operation.method not in node.operations:
                node.operations[operation.method] = (operation, names)
                checks = tuple(_holds(operation, name) for name in names)
                node.open = node.open or all(check is None for check in checks)
                node.checks.append(checks)

    def at(self, raw_path: str) -> list[Operation]:
        """The operations of the declared path this raw path matches, whatever their method (a 405's
        `Allow`, CORS): the most specific one, so `/agents/export` is not also `/agents/{id}`."""
        found = self._most_specific(raw_path.split("/"))
        return [operation for operation, _ in found[0].operations.values()] if found is not None else []

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method` at `raw_path`, with its decoded path parameters; None when the
        path is not declared or its most specific declared path lacks the method (a 405). HEAD
        falls back to GET, whose answer is sent without its body."""
        found = self._most_specific(raw_path.split("/"))
        if found is None:
            return None
        node, values = found
        for wanted in (method, "GET") if method == "HEAD" else (method,):
            declared = node.operations.get(wanted)
            if declared is not None:
                operation, names = declared
                return operation, {name: unquote(value) for name, value in zip(names, values)}
        return None

    def _most_specific(self, segments: list[str]) -> tuple[_Node, tuple[str, ...]] | None:
        """The first node, most specific first (literal over partial over parameter, segment by
        segment), that declares operations which can take the parameter values collected on the way;
        else the first that declares any. A stack, not nested generators (a request's routing: 15 ->
        5 us on a six-segment path): children are pushed least specific first, so the most specific
        is taken next."""
        last = len(segments)
        stack: list[tuple[_Node, int, tuple[str, ...]]] = [(self._root, 0, ())]
        first: tuple[_Node, tuple[str, ...]] | None = None
        while stack:
            node, depth, values = stack.pop()
            if depth == last:
                if node.operations:
                    if node.holds(values):
                        return node, values
                    first = first or (node, values)
                continue
            segment = segments[depth]
            if node.parameter is not None and segment:
                stack.append((node.parameter, depth + 1, (*values, segment)))
            for pattern, child in reversed(node.partials.values()):
                matched = pattern.fullmatch(segment)
                if matched:
                    stack.append((child, depth + 1, values + matched.groups()))
            literal = node.literals.get(segment)
            if literal is not None:
                stack.append((literal, depth + 1, values))
        return first
