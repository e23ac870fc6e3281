"""The small callables a compiled schema is made of; each takes (source, depth budget) → value.

The budget counts how many more recursive `$ref` hops may be expanded fully; at 0 every node
takes its shortest valid form (required keys only, fewest items, null, a non-recursive branch).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
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


# Values tried last, when a schema's generator keeps missing (`not: {type: [string, ...]}`).
LAST_RESORTS: tuple[Any, ...] = (None, {}, [], 0, "", False)


def verified(
    node: Node, check: Check, source: Source, budget: int, attempts: int, *, last_resorts: bool = True
) -> tuple[Any, bool]:
    """`node`'s value, tried up to `attempts` times until `check` accepts it, then its minimal form
    (budget 0: required keys only, fewest items), then the last resorts. (value, accepted)."""
    value: Any = None
    for _ in range(attempts):
        value = node(source, budget)
        if check.is_valid(value):
            return value, True
    if budget > 0:
        minimal = node(source, 0)
        if check.is_valid(minimal):
            return minimal, True
    return last_resort(check) if last_resorts else (value, False)


def last_resort(check: Check) -> tuple[Any, bool]:
    for candidate in LAST_RESORTS:
        if check.is_valid(candidate):
            return _fresh(candidate), True
    return None, False


@dataclass(frozen=True, slots=True)
class VerifiedNode:
    """A node whose keywords the compiler folds only approximately (dependentSchemas, unevaluated*):
    its values are checked against the whole schema and retried."""

    node: Node
    check: Check

    def __call__(self, source: Source, budget: int) -> Any:
        return verified(self.node, self.check, source, budget, CHECK_ATTEMPTS)[0]


@dataclass(frozen=True, slots=True)
class ChoiceNode:
    """oneOf/anyOf: try branches from a random start. `check` (the whole schema, where a value of one
    branch may still fail it: oneOf's "exactly one", constraints beside the branches) keeps a
    value only when the whole schema accepts it. For a discriminated oneOf, a value that plain JSON
    Schema (`strict`, blind to the discriminator) also finds in exactly one branch is preferred:
    schemathesis and most client validators judge by plain JSON Schema."""

    nodes: tuple[Node, ...]
    labels: tuple[str | None, ...]
    weights: tuple[tuple[int, int], ...]
    prop: str | None
    check: Check | None = None
    strict: Check | None = None  # a discriminated oneOf as plain JSON Schema sees it: preferred

    def __call__(self, source: Source, budget: int) -> Any:
        count = len(self.nodes)
        if budget <= 0:
            order = sorted(range(count), key=lambda i: self.weights[i])
        else:
            start = source.rng.randrange(count)
            order = [(start + i) % count for i in range(count)]
        if self.check is None:
            return self._branch(order[0], source, budget)
        fallback: list[Any] = []  # a value the whole schema refused: the answer when nothing fits
        lenient: list[Any] = []  # one only the discriminator tells apart from other branches
        for index in order:
            for attempt in range(ATTEMPTS + 1):  # the last attempt is the branch's minimal form
                if attempt == ATTEMPTS and budget <= 0:
                    break
                value = self._branch(index, source, budget if attempt < ATTEMPTS else 0)
                if not self.check.is_valid(value):
                    fallback = fallback or [value]
                elif self.strict is None or self.strict.is_valid(value):
                    return value
                else:
                    lenient = lenient or [value]
        if lenient:
            return lenient[0]
        value, accepted = last_resort(self.check)
        return value if accepted else fallback[0]

    def _branch(self, index: int, source: Source, budget: int) -> Any:
        value = self.nodes[index](source, budget)
        label = self.labels[index]
        if self.prop is not None and label is not None and isinstance(value, dict):
            value[self.prop] = label
        return value


@dataclass(frozen=True, slots=True)
class CheckedNode:
    """`not` and `if/then/else`, best effort: generate from the merged branch, verify, retry; `whole`
    (the schema itself) judges the last resorts."""

    then_node: Node
    else_node: Node
    condition: Check | None
    forbidden: Check | None
    whole: Check | None = None

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
        if self.whole is not None:
            candidate, accepted = last_resort(self.whole)
            if accepted:
                return candidate
        return value

    def _ok(self, value: Any, then: bool) -> bool:
        if self.forbidden is not None and self.forbidden.is_valid(value):
            return False
        return self.condition is None or self.condition.is_valid(value) == then
