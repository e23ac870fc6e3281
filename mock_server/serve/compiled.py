"""Every operation, compiled on first use, and warmed up in the background once the port is open.

Compiling an operation (its request validator; each declared response's generators, validators
and examples) is what start-up used to spend its time on, all of it before the first request:
12 s for a 570-operation contract. Now start-up only indexes; an operation is compiled the first
time a request reaches it (milliseconds, bounded by its own schemas: see `CompiledOnUse` for the
responses), and a background task compiles ahead in slices short enough that requests keep their
turn on the loop. Compiling is deterministic, so an answer is the same bytes whether its operation
was compiled early, late, or by the warm-up.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import resource
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..behaviours.context import Behaviour
from ..behaviours.generic import answer as generic_answer
from ..behaviours.reflect import Reflection
from ..behaviours.registry import InvalidHandler, Registry
from ..behaviours.stateful import stateful_answer
from ..contracts.collections import Binding
from ..contracts.index import Operation
from ..errors import NotAcceptable
from ..generate.lazy import CompiledOnUse
from ..generate.responses import OperationResponses
from ..media.negotiation import choose_media_type
from .validation import RequestValidator

logger = logging.getLogger("mock_server")

SLICE_SECONDS = 0.002  # the longest the warm-up holds the loop before letting requests in
BUSY_PAUSE_SECONDS = 0.01  # its pause between slices while requests are being answered
WARM_UP_BUDGET_BYTES = 16 * 1024 * 1024  # memory the warm-up may add; the rest compiles on first use


@dataclass(frozen=True, slots=True)
class CompiledOperation:
    """One operation with everything a request needs (responses compile per status, on first use)."""

    operation: Operation
    validator: RequestValidator
    responses: OperationResponses
    behaviour: Behaviour
    reflection: Reflection | None = None  # the generic answer's; a behaviour of its own has the last word
    stateful: bool = False  # answered from the store's collections (`serve --stateful`)
    on_invalid: InvalidHandler | None = None  # how the operation answers a request its schema refuses
    success_types: tuple[str, ...] = ()  # what a behaviour of its own may answer; () when generic
    acceptable: dict[str, bool] = field(default_factory=dict)  # Accept header → whether one fits

    def refuse_unacceptable(self, accept: str) -> None:
        """A 406 (or its declared fallback) when `Accept` allows none of the success answer's types:
        for behaviours of their own, which pick their media type themselves (the generic answer
        negotiates as it picks one). Memoised per Accept header: clients send a handful."""
        fits = self.acceptable.get(accept)
        if fits is None:
            fits = choose_media_type(accept, self.success_types) is not None
            if len(self.acceptable) < 64:
                self.acceptable[accept] = fits
        if not fits:
            declared = ", ".join(self.success_types)
            raise NotAcceptable(f"none of the declared media types ({declared}) is acceptable to Accept: {accept}")


def compile_operation(
    operation: Operation, registry: Registry, binding: Binding | None = None, *, stateful: bool = False,
    optional: str = "all",
) -> CompiledOperation:
    responses = OperationResponses(operation, optional=optional)
    behaviour = registry.get(operation.operation_id)
    success = responses.for_status(responses.success_status()) if behaviour is not None else None
    stateful = stateful and behaviour is None and binding is not None
    return CompiledOperation(
        operation=operation,
        validator=RequestValidator(operation),
        responses=responses,
        behaviour=behaviour or (stateful_answer if stateful else generic_answer),
        reflection=Reflection(operation, binding, optional) if behaviour is None else None,
        stateful=stateful,
        on_invalid=registry.on_invalid(operation.operation_id),
        success_types=success.media_types if success is not None else (),
    )


class CompiledOperations(CompiledOnUse[str, Operation, CompiledOperation]):
    """The served operations by key; an operation is compiled when first looked up."""

    def __init__(self, operations: list[Operation], registry: Registry, bindings: Mapping[str, Binding] | None = None,
                 *, stateful: bool = False, optional: str = "all") -> None:
        bound = bindings or {}
        super().__init__({op.key: op for op in operations},
                         lambda op: compile_operation(op, registry, bound.get(op.key), stateful=stateful, optional=optional))

    def warm_up_steps(self) -> Iterator[Callable[[], object]]:
        """The compiling to do, in small pieces: first what an operation's first ordinary request
        needs (its request validator, then its success response), operation by operation, then
        each of its other responses (the errors)."""
        for key in self:
            yield functools.partial(self.__getitem__, key)
            yield functools.partial(self._success_response, key)
        for key, operation in self.declared.items():
            for status in operation.responses:
                yield functools.partial(self._response, key, status)

    def _success_response(self, key: str) -> object:
        responses = self[key].responses
        return responses.for_status(responses.success_status())

    def _response(self, key: str, status: str) -> object:
        return self[key].responses.responses[status]


async def warm_up(operations: CompiledOperations, busy: Callable[[], bool]) -> None:
    """Compile ahead in slices of at most ~SLICE_SECONDS, pausing longer while `busy()` (requests in
    flight), until everything is compiled or WARM_UP_BUDGET_BYTES of memory is spent: past that,
    memory is kept for what is used and the rest compiles on first use. Objects built here live as
    long as the process, so they are moved out of the garbage collector's sight (`gc.freeze`)."""
    started_rss = resident_bytes()
    steps = operations.warm_up_steps()
    done = False
    while not done:
        await asyncio.sleep(BUSY_PAUSE_SECONDS if busy() else 0)
        deadline = time.perf_counter() + SLICE_SECONDS
        while time.perf_counter() < deadline:
            step = next(steps, None)
            if step is None or resident_bytes() - started_rss > WARM_UP_BUDGET_BYTES:
                done = True
                break
            try:
                step()
            except Exception:  # its requests will say what is wrong (a 500, logged); warm the rest
                logger.warning("warm-up: compiling failed; that operation's requests will answer 500", exc_info=True)
    gc.freeze()


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak (ru_maxrss: KB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


PAGE_BYTES = resource.getpagesize()
