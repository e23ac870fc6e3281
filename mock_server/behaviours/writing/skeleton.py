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

from .grammar import stand_in
from .pieces import Draw, Gap, Writer, split
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
        """The reply for a subject, given its forms (grammar.subject_forms)."""
        out: list[str] = []
        for run, gap in self.runs:
            out += run
            if gap is not None:
                value = forms[gap.form]
                if gap.capital and value[:1].islower() and value[:1].isascii():
                    value = value[0].upper() + value[1:]
                out += split(gap.gap + value)
        return tuple(out)


Write = Callable[[Prompt, Draw], Writer]


@lru_cache(maxsize=SKELETON_MEMO)
def skeleton_for(write: Write, prompt: Prompt, variant: int) -> Skeleton:
    """The skeleton of `write`'s reply to the stand-in `prompt` (see `shape_of`) for a seed variant."""
    return Skeleton.of(write(prompt, Draw(variant)).done())


def shape_of(prompt: Prompt, forms: Mapping[str, str]) -> Prompt:
    """The stand-in for a prompt: what its kind's writer may read of it, with a stand-in subject
    (plural or not, as the prompt's subject `forms` say)."""
    return Prompt(prompt.kind, stand_in(forms["is"] == "are"), count=prompt.count, length=prompt.length,
                  detail=prompt.detail)
