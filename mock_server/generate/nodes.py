"""The small callables a compiled schema is made of; each takes (source, depth budget) → value.

The budget counts how many more recursive `$ref` hops may be expanded fully; at 0 every node
takes its shortest valid form (required keys only, fewest items, null, a non-recursive branch).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .source import Source

Node = Callable[[Source, int], Any]
NULL_RATE = 0.1
DEFAULT_RATE = 0.25
ATTEMPTS = 4
CHECK_ATTEMPTS = 16
HARD_LIMIT = 12
SCALAR_FIRST = ("null", "boolean", "integer", "number", "string", "array", "object")


class Check(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


def _fresh(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


def null_node(source: Source, budget: int) -> None:
    return None


def boolean_node(source: Source, budget: int) -> bool:
    return source.rng.random() < 0.5


@dataclass(frozen=True, slots=True)
class ConstNode:
    value: Any

    def __call__(self, source: Source, budget: int) -> Any:
        return _fresh(self.value)


@dataclass(frozen=True, slots=True)
class EnumNode:
    values: tuple[Any, ...]

    def __call__(self, source: Source, budget: int) -> Any:
        if budget <= 0 and None in self.values:
            return None
        return _fresh(source.rng.choice(self.values))


@dataclass(frozen=True, slots=True)
class DefaultNode:
    """Sometimes answer with the field's declared (validated) `default`, as real answers often carry it."""

    node: Node
    defaults: tuple[Any, ...]

    def __call__(self, source: Source, budget: int) -> Any:
        if source.rng.random() < DEFAULT_RATE:
            return _fresh(source.rng.choice(self.defaults))
        return self.node(source, budget)


@dataclass(frozen=True, slots=True)
class TypeNode:
    """A type array: a non-null type most of the time, null at the depth limit when allowed."""

    types: tuple[str, ...]
    nodes: tuple[Node, ...]

    def __call__(self, source: Source, budget: int) -> Any:
        if len(self.nodes) == 1:
            return self.nodes[0](source, budget)
        choices = [i for i, kind in enumerate(self.types) if kind != "null"]
        nullable = len(choices) < len(self.types)
        if nullable and (not choices or budget <= 0 or source.rng.random() < NULL_RATE):
            return None
        if budget <= 0:
            pick = min(choices, key=lambda i: SCALAR_FIRST.index(self.types[i]))
        else:
            pick = source.rng.choice(choices)
        return self.nodes[pick](source, budget)


@dataclass(slots=True)
class RefNode:
    """A lazy `$ref`: filled once its target is compiled, so cycles compile finitely."""

    recursive: bool
    target: Node | None = None

    def __call__(self, source: Source, budget: int) -> Any:
        if self.recursive:
            if budget <= -HARD_LIMIT or self.target is None:
                return None
            budget -= 1
        return self.target(source, budget) if self.target is not None else None


@dataclass(frozen=True, slots=True)
class LabelNode:
    """Writes a discriminator value, so a `Cat` says `petType: Cat` as its parent requires."""

    node: Node
    prop: str
    label: str

    def __call__(self, source: Source, budget: int) -> Any:
        value = self.node(source, budget)
        if isinstance(value, dict):
            value[self.prop] = self.label
        return value


@dataclass(frozen=True, slots=True)
class ChoiceNode:
    """oneOf/anyOf: try branches from a random start; for oneOf keep a value only one branch accepts."""

    nodes: tuple[Node, ...]
    labels: tuple[str | None, ...]
    weights: tuple[tuple[int, int], ...]
    prop: str | None
    checks: Sequence[Check]

    def __call__(self, source: Source, budget: int) -> Any:
        count = len(self.nodes)
        if budget <= 0:
            order = sorted(range(count), key=lambda i: self.weights[i])
        else:
            start = source.rng.randrange(count)
            order = [(start + i) % count for i in range(count)]
        fallback: list[Any] = []
        for index in order:
            for _ in range(ATTEMPTS if self.checks else 1):
                value = self._branch(index, source, budget)
                if not self.checks or self._exactly_one(value):
                    return value
                fallback = fallback or [value]
        return fallback[0] if fallback else None

    def _branch(self, index: int, source: Source, budget: int) -> Any:
        value = self.nodes[index](source, budget)
        label = self.labels[index]
        if self.prop is not None and label is not None and isinstance(value, dict):
            value[self.prop] = label
        return value

    def _exactly_one(self, value: Any) -> bool:
        return sum(1 for check in self.checks if check.is_valid(value)) == 1


@dataclass(frozen=True, slots=True)
class CheckedNode:
    """`not` and `if/then/else`, best effort: generate from the merged branch, verify, retry."""

    then_node: Node
    else_node: Node
    condition: Check | None
    forbidden: Check | None

    def __call__(self, source: Source, budget: int) -> Any:
        value: Any = None
        for _ in range(CHECK_ATTEMPTS):
            value = self.then_node(source, budget)
            if self._ok(value, True):
                return value
            if self.condition is not None:
                value = self.else_node(source, budget)
                if self._ok(value, False):
                    return value
        return value

    def _ok(self, value: Any, then: bool) -> bool:
        if self.forbidden is not None and self.forbidden.is_valid(value):
            return False
        return self.condition is None or self.condition.is_valid(value) == then
