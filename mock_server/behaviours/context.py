"""What a behaviour is given: the validated `Request`, control's `Directive`, and the `Context`
that carries both with the operation's compiled responses, a seeded `Source` and the state.

These are the values the pipeline (serve/) hands down; they live here, below it, so a behaviour
never imports the pipeline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..contracts.index import Operation
from ..generate.responses import OperationResponses
from ..generate.source import Source
from ..settings import ServeSettings
from ..state.store import Store

if TYPE_CHECKING:
    from .reply import Reply


@dataclass(frozen=True, slots=True)
class Request:
    """What a behaviour sees: the request, parsed and known to be valid."""

    method: str
    path: str
    path_params: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, str]  # lower-case names
    cookies: Mapping[str, str]
    media_type: str | None
    body: Any
    raw_body: bytes = b""
    raw_query: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fault:
    """A broken answer: `amount` is the hang in ms, the bytes before a truncation, or the events kept."""

    kind: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class Directive:
    status: int | None = None  # a declared status to answer with instead of the normal one
    example: str | None = None  # a declared example to serve by name
    dynamic: bool = False  # a fresh seed: variety instead of determinism
    delay_ms: int | None = None  # wait before answering (None: not asked for; --latency may apply)
    reply_text: str | None = None  # a canned reply for behaviours that produce text
    ttft_ms: float | None = None  # stream pacing override: time to first token
    tokens_per_second: float | None = None  # stream pacing override
    fault: Fault | None = None  # break the answer on the wire (faults.py)
    rule: str | None = None  # the name of the rule that matched, for the journal

    @property
    def cache_key(self) -> tuple[object, ...]:
        return (self.status, self.example, self.reply_text)


NO_DIRECTIVE = Directive()


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
    state: Store
    scopes: tuple[str, ...] = ()  # every scope the loaded contracts declare: a minted token's default grant
    reflection: Any = None  # reflect.Reflection: how the generic answer reflects this request


Behaviour = Callable[[Context], "Reply | Awaitable[Reply]"]


