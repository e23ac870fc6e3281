"""Behaviours keyed by operationId: what an operation does beyond answering from its schema.

Registration is explicit (`default_behaviours()` lists the bundled modules), never an import side
effect, and a name can be taken only once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import RequestError, RequestInvalid
from .context import Behaviour

# What an operation answers to a request that breaks its schema, when the API says more than
# "invalid request": (the validation error, request headers, raw body) → the error to answer with.
# OAuth's token endpoint, for one, answers an unknown grant type `unsupported_grant_type`.
InvalidHandler = Callable[[RequestInvalid, Mapping[str, str], bytes], RequestError]


class Registry:
    """operationId → behaviour (and, optionally, its `InvalidHandler`). Refuses a second
    registration under one name."""

    def __init__(self) -> None:
        self._behaviours: dict[str, Behaviour] = {}
        self._invalid: dict[str, InvalidHandler] = {}

    def register(self, operation_id: str, behaviour: Behaviour | None = None, *,
                 on_invalid: InvalidHandler | None = None) -> Any:
        """`registry.register("id", fn)` or `@registry.register("id")`."""
        if behaviour is None:
            return lambda fn: self.register(operation_id, fn, on_invalid=on_invalid)
        if operation_id in self._behaviours:
            raise ValueError(f"a behaviour is already registered for operationId {operation_id!r}")
        self._behaviours[operation_id] = behaviour
        if on_invalid is not None:
            self._invalid[operation_id] = on_invalid
        return behaviour

    def get(self, operation_id: str) -> Behaviour | None:
        return self._behaviours.get(operation_id)

    def on_invalid(self, operation_id: str) -> InvalidHandler | None:
        return self._invalid.get(operation_id)

    def __contains__(self, operation_id: object) -> bool:
        return operation_id in self._behaviours

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._behaviours))
