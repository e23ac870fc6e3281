"""Behaviours keyed by operationId: what an operation does beyond answering from its schema.

Registration is explicit (`default_behaviours()` lists the bundled modules), never an import side
effect, and a name can be taken only once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..contracts.index import Operation
from ..generate.responses import OperationResponses
from ..generate.source import Source
from ..serve.control import Directive
from ..serve.render import Reply
from ..serve.validation import Request
from ..settings import ServeSettings
from ..state.memory import ServerState


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a behaviour may use to answer one request."""

    operation: Operation
    request: Request
    directive: Directive
    responses: OperationResponses
    source: Source
    seed: int
    settings: ServeSettings
    state: ServerState


Behaviour = Callable[[Context], "Reply | Awaitable[Reply]"]


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


def default_behaviours() -> Registry:
    """The registry `serve` uses: every bundled API-specific behaviour module, registered explicitly."""
    registry = Registry()
    for module in _bundled_modules():
        module.register(registry)
    return registry


def _bundled_modules() -> list[Any]:
    from . import bundled

    return bundled.MODULES
