"""Strings that match a regular expression, built by walking Python's own regex parse tree.

Hypothesis' `from_regex` would do this, but it is a test-only dependency; the subset here
(literals, classes, categories, repeats, groups, alternation, anchors) covers what API
contracts put in `pattern`. Callers verify the result with `re.search` and retry.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined,unused-ignore]
    from re import _parser as P  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef,unused-ignore]
    import sre_parse as P  # type: ignore[no-redef,unused-ignore]

ALPHABET = string.ascii_letters + string.digits + "_-. @"
PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "
CATEGORY_CHARS: dict[object, str] = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_NOT_DIGIT: string.ascii_letters + "_-. ",
    C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    C.CATEGORY_NOT_WORD: " -.,:;!@#",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
UNBOUNDED_EXTRA = 4
_ECMA_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")

Emit = Callable[[random.Random, list[str], dict[int, str]], None]


@dataclass(frozen=True, slots=True)
class RegexGenerator:
    """A compiled pattern: `generate` makes candidates, `matches` is the JSON Schema test."""

    pattern: str
    compiled: re.Pattern[str]
    emit: Emit

    def generate(self, rng: random.Random) -> str:
        out: list[str] = []
        self.emit(rng, out, {})
        return "".join(out)

    def matches(self, value: str) -> bool:
        return self.compiled.search(value) is not None


def compile_regex(pattern: str) -> RegexGenerator | None:
    """None when Python cannot parse the pattern (ECMA-only syntax): callers fall back to text."""
    pattern = _ECMA_NAMED_GROUP.sub("(?P<", pattern)
    try:
        compiled = re.compile(pattern)
        tree = P.parse(pattern)
    except (re.error, ValueError, TypeError, OverflowError):
        return None
    return RegexGenerator(pattern, compiled, _sequence(list(tree)))


def _sequence(items: list[tuple[Any, Any]]) -> Emit:
    parts = [_item(op, av) for op, av in items]

    def emit(rng: random.Random, out: list[str], groups: dict[int, str]) -> None:
        for part in parts:
            part(rng, out, groups)

    return emit


def _item(op: Any, av: Any) -> Emit:
    if op is C.LITERAL:
        return _const(chr(av))
    if op is C.NOT_LITERAL:
        return _choice("".join(c for c in ALPHABET if ord(c) != av))
    if op is C.ANY:
        return _choice(string.ascii_letters + string.digits)
    if op is C.IN:
        return _choice(_class_chars(av))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        return _repeat(low, high, _sequence(list(sub)))
    if op is C.SUBPATTERN:
        group, sub = av[0], av[-1]
        return _group(group, _sequence(list(sub)))
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op is C.BRANCH:
        options = [_sequence(list(sub)) for sub in av[1]]
        return lambda rng, out, groups: rng.choice(options)(rng, out, groups)
    if op is C.GROUPREF:
        return lambda rng, out, groups: out.append(groups.get(av, ""))
    if op is C.GROUPREF_EXISTS:
        _, yes, no = av
        return _sequence(list(yes))
    return _const("")  # AT (anchors), ASSERT, ASSERT_NOT: zero-width


def _const(text: str) -> Emit:
    return lambda rng, out, groups: out.append(text)


def _choice(chars: str) -> Emit:
    pool = chars or "a"
    return lambda rng, out, groups: out.append(rng.choice(pool))


def _repeat(low: int, high: int, body: Emit) -> Emit:
    top = low + UNBOUNDED_EXTRA if high is C.MAXREPEAT or high > low + UNBOUNDED_EXTRA else high

    def emit(rng: random.Random, out: list[str], groups: dict[int, str]) -> None:
        for _ in range(rng.randint(low, top)):
            body(rng, out, groups)

    return emit


def _group(group: int | None, body: Emit) -> Emit:
    def emit(rng: random.Random, out: list[str], groups: dict[int, str]) -> None:
        start = len(out)
        body(rng, out, groups)
        if group is not None:
            groups[group] = "".join(out[start:])

    return emit


def _class_chars(items: list[tuple[Any, Any]]) -> str:
    """The characters a `[...]` class allows, drawn from printable ASCII in a fixed order."""
    negate = any(op is C.NEGATE for op, _ in items)
    allowed: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            allowed.append(chr(av))
        elif op is C.RANGE:
            low, high = av
            allowed.extend(chr(c) for c in range(low, min(high, low + 256) + 1))
        elif op is C.CATEGORY:
            allowed.extend(CATEGORY_CHARS.get(av, ""))
    if negate:
        banned = set(allowed)
        return "".join(c for c in PRINTABLE if c not in banned)
    return "".join(dict.fromkeys(allowed))
