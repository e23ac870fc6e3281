"""Method + raw path → operation and its path parameters, by a tree of path segments.

A request walks the tree one segment at a time, so the cost does not grow with the number of
operations. At each segment a literal wins over a template (`/items/latest` over `/items/{id}`), a
partial template (`{name}.json`) over a whole-segment parameter, and the walk backs up when a branch
declares no path there at all. The first declared path found is the one the request matched, as
OpenAPI says (concrete paths before templated ones): a method it does not declare is a 405 with that
path's `Allow`, never an operation of a templated sibling. Matching runs on the raw (still percent-encoded) path, one parameter per segment, so a parameter
may hold an encoded slash or a newline, as the contract allows; values come back decoded. Path
parameters are matched as strings: `/pets/abc` reaches the operation, and validation answers 400 in
the contract's shape instead of a bare 404. A path no operation declares is not found: no redirect
for a trailing slash, since a redirect is an answer no contract declares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..contracts.index import Operation

PARAMETER = re.compile(r"\{([^}]+)\}")


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

    def children(self, segment: str) -> Iterator[tuple[_Node, tuple[str, ...]]]:
        """The nodes `segment` leads to, most specific first, with the raw values it gives."""
        literal = self.literals.get(segment)
        if literal is not None:
            yield literal, ()
        for pattern, node in self.partials.values():
            found = pattern.fullmatch(segment)
            if found:
                yield node, found.groups()
        if self.parameter is not None and segment:
            yield self.parameter, (segment,)


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
            node.operations.setdefault(operation.method, (operation, names))

    def at(self, raw_path: str) -> list[Operation]:
        """The operations of the declared path this raw path matches, whatever their method (a 405's
        `Allow`, CORS): the most specific one, so `/agents/export` is not also `/agents/{id}`."""
        for node, _ in self._walk(self._root, raw_path.split("/"), ()):
            if node.operations:
                return [operation for operation, _ in node.operations.values()]
        return []

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method` at `raw_path`, with its decoded path parameters; None when the
        path is not declared or its most specific declared path lacks the method (a 405). HEAD
        falls back to GET, whose answer is sent without its body."""
        for node, values in self._walk(self._root, raw_path.split("/"), ()):
            if not node.operations:
                continue
            for wanted in (method, "GET") if method == "HEAD" else (method,):
                found = node.operations.get(wanted)
                if found is not None:
                    operation, names = found
                    return operation, {name: unquote(value) for name, value in zip(names, values)}
            return None
        return None

    def _walk(self, node: _Node, segments: list[str], values: tuple[str, ...]) -> Iterator[tuple[_Node, tuple[str, ...]]]:
        """Every node at the end of `segments`, most specific first, with the values collected."""
        if not segments:
            yield node, values
            return
        for child, found in node.children(segments[0]):
            yield from self._walk(child, segments[1:], values + found)
