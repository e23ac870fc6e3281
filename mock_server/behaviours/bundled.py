"""The API-specific behaviour modules `serve` registers by default. Add a module here to enable it."""

from __future__ import annotations

from typing import Any

MODULES: list[Any] = []
