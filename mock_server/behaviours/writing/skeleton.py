"""Skeleton replies: written once with the subject left open, then filled in for each prompt.

Most prompts ask for a reply whose only link to the prompt is its subject ("Write a product
description for a red bicycle", "What is machine learning?"): the sentences, their order and every
other word come from the seed. So the writer runs once per (kind, count, length, detail, whether the
subject is plural, seed variant) with a stand-in subject whose forms are `Hole`s, and each prompt
only fills the holes with its own subject's tokens. A new prompt then costs a lookup and a dozen
slot fills instead of a composition: composing was most of a new prompt's cost (profiled: ~40 us of
a ~55 us product text), filling takes a few.

Replies of a kind stay as varied as `VARIANTS` per subject shape, and the same (messages, seed)
still gives the same text. `test_skeleton_fills_like_a_direct_write` holds the promise that a filled
skeleton is exactly what the writer would have written for the subject itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..text import TOKEN
from .grammar import stand_in
from .pieces import Draw, Gap, Writer
from .reading import Prompt

VARIANTS = 64  # skeletons per (kind, count, length, detail, plural): the variety of replies of one shape
SKELETON_MEMO = 2048  # ~2 KB each


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A reply's tokens in runs, each followed by an open subject form (or none, at the end)."""

    runs: tuple[tuple[tuple[str, ...], Gap | None], ...]

    @classmethod
    def of(cls, pieces: tuple[str, ...]) -> Skeleton:
        runs: list[tuple[tuple[str, ...], Gap | None]] = []
        run: list[str] = []
        for piece in pieces:
            if piece.__class__ is Gap:
                runs.append((tuple(run), piece))  # type: ignore[arg-type]
                run = []
            else:
                run.append(piece)
        runs.append((tuple(run), None))
        return cls(tuple(runs))

    def fill(self, forms: Mapping[str, str]) -> tuple[str, ...]:
        """The reply for a subject, given its forms (grammar.subject_forms).

        Each form is split once (the whitespace before a value joins its first token, and a capital
        changes no split), and not memoised: a new subject would only churn a memo."""
        out: list[str] = []
        splits: dict[str, list[str]] = {}
        for run, gap in self.runs:
            out += run
            if gap is not None:
                tokens = splits.get(gap.form)
                if tokens is None:
                    tokens = splits[gap.form] = TOKEN.findall(forms[gap.form])
                first = tokens[0]
                if gap.capital and first[0].islower() and first[0].isascii():
                    first = first[0].upper() + first[1:]
                out.append(gap.gap + first)
                out += tokens[1:]
        return tuple(out)


Write = Callable[[Prompt, Draw], Writer]


def skeleton_for(write: Write, prompt: Prompt, forms: Mapping[str, str], variant: int) -> Skeleton:
    """The skeleton of `write`'s reply to prompts shaped like `prompt` (its kind, count, length and
    detail, and a subject as plural as its `forms` say), for one seed variant."""
    return _skeleton(write, prompt.kind, prompt.count, prompt.length, prompt.detail, forms["is"] == "are", variant)


@lru_cache(maxsize=SKELETON_MEMO)
def _skeleton(write: Write, kind: str, count: int | None, length: tuple[int, str] | None, detail: str,
              plural: bool, variant: int) -> Skeleton:
    return Skeleton.of(write(shape_of(kind, count, length, detail, plural), Draw(variant)).done())


def shape_of(kind: str, count: int | None, length: tuple[int, str] | None, detail: str, plural: bool) -> Prompt:
    """The stand-in prompt a skeleton is written for: all a skeletal writer may read of a prompt,
    with a stand-in subject."""
    return Prompt(kind, stand_in(plural), count=count, length=length, detail=detail)
