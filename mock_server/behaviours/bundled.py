"""The API-specific behaviour modules `serve` registers by default. Add a module here to enable it."""

from __future__ import annotations

from typing import Any

from . import emporix_ai, oauth, openai_chat

MODULES: list[Any] = [emporix_ai, openai_chat, oauth]
