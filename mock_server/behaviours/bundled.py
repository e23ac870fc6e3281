"""The API-specific behaviour modules `serve` registers by default. Add a module here to enable it."""

from __future__ import annotations

from typing import Any

from . import emporix_ai, oauth, openai_chat
from .registry import Registry

MODULES: list[Any] = [emporix_ai, openai_chat, oauth]


def default_behaviours() -> Registry:
    """The registry `serve` uses: every bundled API-specific behaviour module, registered explicitly."""
    registry = Registry()
    for module in MODULES:
        module.register(registry)
    return registry
