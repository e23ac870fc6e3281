"""Declared examples, served as they are: the first one, or the one a client names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..contracts.index import MediaContent

_MISSING = object()


def usable_examples(media: MediaContent, is_valid: Callable[[Any], bool] | None) -> dict[str, Any]:
    """Named examples that conform to the schema: an example that breaks its own schema is never served."""
    return {name: value for name, value in media.examples if is_valid is None or is_valid(value)}


def pick_example(examples: dict[str, Any], name: str | None) -> Any:
    """The named example, else the first; `_MISSING` when there is none to serve."""
    if name is not None:
        return examples.get(name, _MISSING)
    return next(iter(examples.values()), _MISSING)


def is_missing(value: Any) -> bool:
    return value is _MISSING
