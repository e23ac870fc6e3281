"""Following `#/$defs/...` refs, and finding which defs are recursive (only those spend depth)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..contracts.schema import DEFS_PREFIX, Schema, ref_tokens, resolve_ref

__all__ = ["recursive_refs", "ref_name", "refs_in", "resolve_ref"]


def ref_name(ref: str) -> str:
    """The def's name as a discriminator uses it: `#/$defs/Cat` → `Cat`."""
    return ref_tokens(ref)[0] if ref.startswith(DEFS_PREFIX) else ref.rsplit("/", 1)[-1]


def refs_in(schema: Any) -> Iterator[str]:
    """Every `$ref` string inside a schema, in document order, without following any."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(reversed([v for k, v in node.items() if k not in ("enum", "const", "example", "examples", "default")]))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def recursive_refs(root: Schema, defs: Mapping[str, Schema]) -> frozenset[str]:
    """Refs reachable from `root` that can reach themselves again (Tarjan's SCC, iterative)."""
    graph: dict[str, list[str]] = {}
    pending = list(dict.fromkeys(refs_in(root)))
    while pending:
        ref = pending.pop()
        if ref in graph:
            continue
        graph[ref] = list(dict.fromkeys(refs_in(resolve_ref(ref, defs))))
        pending.extend(r for r in graph[ref] if r not in graph)
    return frozenset(_cyclic(graph))


def _cyclic(graph: dict[str, list[str]]) -> set[str]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: set[str] = set()
    for start in graph:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            succ = graph.get(node, [])
            if child < len(succ):
                work.append((node, child + 1))
                nxt = succ[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    cyclic.update(component)
    return cyclic
