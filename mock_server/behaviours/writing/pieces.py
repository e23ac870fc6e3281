"""Replies built out of tokens, so counting, cutting and streaming them runs no regular expression.

`text.TOKEN`'s split has a useful property: where two texts meet at a place that neither splits nor
merges a token, the tokens of the whole are the tokens of the parts, in order. Such a place is one
where the left text does not end in whitespace and the two sides do not meet letter to letter.
Templates are compiled once into literal tokens and slots so that every seam is such a place:
whitespace before a slot goes with the slot's value (the regex gives it to the value's first token
anyway), and no literal may touch a slot letter to letter. A reply is then the concatenation of
precomputed token tuples and the (memoised) split of each value: its text is their join, its token
count their number, `max_tokens` a slice, and a stream's deltas the pieces as they are.

Profiled on new prompts: running `TOKEN` over a ~600-character reply took as long as composing it,
twice per request (once to cut, once to count).

`Draw` makes the choices: deterministic on any machine, and cheap to start (one blake2b) where
seeding `random.Random` or Faker costs ~10 us per reply.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ..text import TOKEN

T = TypeVar("T")
SPLIT_MEMO_SIZE = 8192  # word-list values recur in every reply; a prompt's own words recur in its replies
_WORD_START = re.compile(r"\w")
_WORD_END = re.compile(r"\w$")


@lru_cache(maxsize=SPLIT_MEMO_SIZE)
def split(fragment: str) -> tuple[str, ...]:
    """The tokens of a slot's value (with the whitespace before it)."""
    if not fragment.strip() or fragment[-1].isspace():
        raise ValueError(f"a value must hold text and not end in whitespace: {fragment!r}")
    return tuple(TOKEN.findall(fragment))


class Template:
    """A sentence with `{slots}`, compiled into (literal tokens, slot, whitespace before the slot)."""

    __slots__ = ("parts", "source")

    def __init__(self, source: str) -> None:
        if not source or source[0].isspace() or source[-1].isspace():
            raise ValueError(f"a template must not start or end with whitespace: {source!r}")
        self.source = source
        parts: list[tuple[tuple[str, ...], str | None, str]] = []
        after_slot = False
        for literal, field, _, _ in string.Formatter().parse(source):
            if after_slot and _WORD_START.match(literal):
                raise ValueError(f"a slot is followed by a letter in {source!r}")
            core = literal.rstrip()
            gap = literal[len(core):]
            if field is not None and not gap and (_WORD_END.search(core) or (not core and after_slot)):
                raise ValueError(f"a letter or slot touches slot {{{field}}} in {source!r}")
            parts.append((tuple(TOKEN.findall(core)), field, gap))
            after_slot = field is not None
        self.parts = tuple(parts)

    def render(self, values: Mapping[str, str], out: list[str]) -> None:
        for literal, field, gap in self.parts:
            if literal:
                out += literal
            if field is not None:
                value = values[field]
                if value.__class__ is Hole:
                    out.append(Gap(gap, value, False))  # type: ignore[arg-type]
                else:
                    out += split(gap + value)

    def __repr__(self) -> str:
        return f"Template({self.source!r})"


def templates(*sources: str) -> tuple[Template, ...]:
    return tuple(Template(source) for source in sources)


class Hole(str):
    """A subject form left open in a skeleton reply (skeleton.py); its text is the form's name."""

    __slots__ = ()


class Gap(NamedTuple):
    """Where a skeleton's subject form goes: the whitespace before it, the form, whether it starts a
    sentence (and so takes a capital)."""

    gap: str
    form: str
    capital: bool


class Writer:
    """A reply under construction, as its tokens. Each `add` starts a sentence, line or paragraph."""

    __slots__ = ("pieces",)

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def add(self, template: Template, values: Mapping[str, str], sep: str = " ") -> None:
        """The template filled in, its first letter capitalised, after `sep` (if anything precedes)."""
        start = len(self.pieces)
        template.render(values, self.pieces)
        self._open(start, sep)

    def text(self, fragment: str, sep: str = " ", capital: bool = False) -> None:
        """Verbatim text (a sentence quoted from the prompt, a translation), stripped of outer space.
        Split without the memo: such a text is new with each prompt, it would only churn the memo."""
        fragment = fragment.strip()
        if not fragment:
            return
        start = len(self.pieces)
        self.pieces += TOKEN.findall(fragment)
        if capital:
            self._open(start, sep)
        elif start:
            self.pieces[start] = sep + self.pieces[start]

    def _open(self, start: int, sep: str) -> None:
        first = self.pieces[start]
        if first.__class__ is Gap:
            self.pieces[start] = Gap(sep if start else "", first.form, True)  # type: ignore[attr-defined]
            return
        if first[0].islower() and first[0].isascii():
            first = first[0].upper() + first[1:]
        self.pieces[start] = sep + first if start else first

    def __len__(self) -> int:
        return len(self.pieces)

    def done(self) -> tuple[str, ...]:
        return tuple(self.pieces)


Drawer = Callable[["Draw"], Mapping[str, str]]


class Values(dict):  # type: ignore[type-arg]
    """A template's values, each drawn when a chosen template first names it: a reply uses a few of
    the dozens of values its templates could name, and drawing them all was a third of its cost.
    A drawer may set several values at once (three different qualities, say); a value no drawer
    draws is the subject's (`forms`, itself worked out on demand)."""

    __slots__ = ("draw", "drawers", "forms")

    def __init__(self, draw: Draw, drawers: Mapping[str, Drawer], forms: Mapping[str, str]) -> None:
        super().__init__()
        self.draw = draw
        self.drawers = drawers
        self.forms = forms

    def __missing__(self, key: str) -> str:
        drawer = self.drawers.get(key)
        if drawer is None:
            value = self[key] = self.forms[key]
            return value
        self.update(drawer(self.draw))
        return self[key]


class Draw:
    """Choices decided by a seed alone: blake2b's 512 bits, spent as a mixed-radix number."""

    __slots__ = ("_digest", "_pool")

    def __init__(self, seed: int) -> None:
        self._digest = hashlib.blake2b((seed % (1 << 128)).to_bytes(16, "big"), digest_size=64).digest()
        self._pool = int.from_bytes(self._digest, "big")

    def below(self, n: int) -> int:
        """0 <= value < n (the bias of a 2**16 margin is below what any test or reader can see)."""
        if self._pool < n << 16:
            self._digest = hashlib.blake2b(self._digest, digest_size=64).digest()
            self._pool = int.from_bytes(self._digest, "big")
        self._pool, value = divmod(self._pool, n)
        return value

    def between(self, low: int, high: int) -> int:
        return low + self.below(high - low + 1)

    def chance(self, percent: int) -> bool:
        return self.below(100) < percent

    def choice(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        """`count` different options (all of them, shuffled, if there are fewer)."""
        if count * 3 <= len(options):  # a few of many: draw until they differ, without copying the options
            chosen: list[int] = []
            while len(chosen) < count:
                index = self.below(len(options))
                if index not in chosen:
                    chosen.append(index)
            return [options[index] for index in chosen]
        pool = list(options)
        count = min(count, len(pool))
        for index in range(count):
            other = index + self.below(len(pool) - index)
            pool[index], pool[other] = pool[other], pool[index]
        return pool[:count]
