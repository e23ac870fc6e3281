"""Behaviours keyed by operationId: what an operation does beyond answering from its schema.

Registration is explicit (`default_behaviours()` lists the bundled modules), never an import side
effect, and a name can be taken only once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .context import Behaviour


class Registry:
    """operationId → behaviour. Refuses a second registration under one name."""

    def __init__(self) -> None:
        self._behaviours: dict[str, Behaviour] = {}

    def register(self, operation_id: str, behaviour: Behaviour | None = None) -> Any:
        """`registry.register("id", fn)` or `@registry.register("id")`."""
        if behaviour is None:
            return lambda fn: self.register(operation_id, fn)
        if operation_id in self._behaviours:
            raise ValueError(f"a behaviour is already registered for operationId {operation_id!r}")
        self._behaviours[operation_id] = behaviour
        return behaviour

    def get(self, operation_id: str) -> Behaviour | None:
        return self._behaviours.get(operation_id)

    def __contains__(self, operation_id: object) -> bool:
        return operation_id in self._behaviours

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._behaviours))
