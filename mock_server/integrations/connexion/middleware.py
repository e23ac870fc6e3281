"""The two connexion middlewares `MockResolver.install` adds, around connexion's own checks:

    ServerError → Exception → SwaggerUI → Routing → ContractErrors → Security → RequestValidation
        → ResponseValidation → Lifespan → MockAnswers → Context → the framework (Flask, starlette)

`MockAnswers` answers each mocked operation with the mock's engine (`MockApp.answer_operation`,
told that connexion did the auth), in ASGI: a stream goes out event by event, and Flask's worker
threads never see a mocked request. `ContractErrors` turns what connexion refuses (its security and
validation problems, and any HTTP error raised below it, the app's handlers' too) into the engine's
refusal of that operation: the contract's error shape and a status it declares, the journal,
`--latency`; connexion would answer problem+json.

Both are connexion `RoutedMiddleware`s: one step object per operation, built at start-up, looked
up by the operationId connexion's routing put in the scope.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol

from connexion.middleware.abstract import RoutedAPI, RoutedMiddleware
from starlette.exceptions import HTTPException

from ...errors import (
    Forbidden,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    RequestError,
    RequestInvalid,
    Unauthorized,
    UnsupportedMediaType,
)
from ...serve.routing import raw_path_of

if TYPE_CHECKING:
    from ...contracts.index import Operation
    from ...serve.pipeline import MockApp

STARTED = "mock_server.started"  # scope key: when connexion handed the routed request over (the journal's latency)
REFUSALS: dict[int, type[RequestError]] = {
    400: RequestInvalid, 401: Unauthorized, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed,
    406: NotAcceptable, 415: UnsupportedMediaType,
}
FIELD = re.compile(r" - '([^']+)'$")  # connexion's validation messages end with the field: "... - 'messages.0.role'"
Step = Callable[[Any, str, Any], Any]  # (connexion operation, API base path, next app) → ASGI app


class MockResolver(Protocol):
    """What the middlewares ask of the resolver they serve (resolver.py)."""

    @property
    def engine(self) -> MockApp: ...

    def adopt(self, specification: Any, name: str | None) -> None: ...

    def mocks(self, operation: Any) -> bool: ...

    def operation_at(self, method: str, route: str) -> Operation: ...


def as_refusal(exc: Exception) -> RequestError:
    """connexion's problem (or any starlette HTTPException) as the mock's error of that status, so
    its fallbacks apply (a 415 the contract does not declare is answered with its 400, ...), with
    the field it names where the mock's error bodies name one (`messages[0].role`)."""
    if isinstance(exc, RequestError):
        return exc
    assert isinstance(exc, HTTPException)
    status, message = exc.status_code, str(exc.detail or "")
    field = FIELD.search(message)
    param = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", field.group(1)) if field else None
    refusal = REFUSALS.get(status, RequestError)(message, status=status, headers=exc.headers, param=param)
    if status not in REFUSALS:
        refusal.title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return refusal


class OperationSteps(RoutedAPI):
    """One API of the app: a step per operation (`step`), or straight on where `step` is None
    (an API another resolver serves)."""

    def __init__(self, *args: Any, step: Step | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.add_paths()

    def make_operation(self, operation: Any) -> Any:
        return self.step(operation, self.base_path, self.next_app) if self.step else self.next_app


class ResolverMiddleware(RoutedMiddleware):
    """A routed middleware with a step for the operations of the APIs `resolver` resolves."""

    def __init__(self, app: Any, *, resolver: MockResolver) -> None:
        super().__init__(app)
        self.resolver = resolver

    def add_api(self, specification: Any, **kwargs: Any) -> Any:
        ours = kwargs.get("resolver") is self.resolver
        if ours:
            self.resolver.adopt(specification, kwargs.get("name"))
        api = OperationSteps(specification, next_app=self.app, step=self.step if ours else None, **kwargs)
        self.apis[api.base_path].append(api)
        return api

    def step(self, operation: Any, base_path: str, next_app: Any) -> Any:
        raise NotImplementedError


class MockAnswers(ResolverMiddleware):
    """Mocked operations are answered here, by the engine; the others go on to the app."""

    def step(self, operation: Any, base_path: str, next_app: Any) -> Any:
        if not self.resolver.mocks(operation):
            return next_app
        return MockedOperation(self.resolver, operation.method, base_path + operation.path)


class ContractErrors(ResolverMiddleware):
    """What connexion (or the app below) refuses, answered in the contract's shape."""

    def step(self, operation: Any, base_path: str, next_app: Any) -> Any:
        return Refusals(next_app, self.resolver, operation.method, base_path + operation.path)


class MockedOperation:
    def __init__(self, resolver: MockResolver, method: str, route: str) -> None:
        self.resolver, self.method, self.route = resolver, method, route

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        engine = self.resolver.engine
        operation = self.resolver.operation_at(self.method, self.route)
        started = scope.get(STARTED) or time.perf_counter()
        await engine.answer_operation(scope, receive, send, operation, path_parameters(engine, operation, scope),
                                      started, authenticated=True)


class Refusals:
    def __init__(self, next_app: Any, resolver: MockResolver, method: str, route: str) -> None:
        self.next_app, self.resolver, self.method, self.route = next_app, resolver, method, route

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        scope[STARTED] = time.perf_counter()
        answering = False
        read: list[dict[str, Any]] = []  # the body as connexion read it, for the engine to read again

        async def recorded() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                read.append(message)
            return message

        async def watched(message: dict[str, Any]) -> None:
            nonlocal answering
            answering = True
            await send(message)

        try:
            await self.next_app(scope, recorded, watched)
        except (HTTPException, RequestError) as exc:
            if answering:  # too late for another answer: connexion's handlers have the last word
                raise
            operation = self.resolver.operation_at(self.method, self.route)
            await self.resolver.engine.answer_operation(scope, replayed(read, receive), send, operation, {},
                                                        scope[STARTED], refusal=as_refusal(exc))


def replayed(messages: list[dict[str, Any]], receive: Any) -> Any:
    """`receive` with `messages` (already read from it) first."""
    pending = iter(messages)

    async def receive_again() -> dict[str, Any]:
        return next(pending, None) or await receive()

    return receive_again


def path_parameters(engine: MockApp, operation: Operation, scope: dict[str, Any]) -> dict[str, str]:
    """The path parameters as the mock's routing reads them (raw segments, decoded once), so the
    answer is the one `serve` gives; where that routing finds another operation, connexion's values
    (its router renames `my-id` to `my_id` and converts integers), as text."""
    found = engine.paths.match(scope["method"], raw_path_of(scope))
    if found is not None and found[0] is operation:
        return found[1]
    routed = scope.get("path_params") or {}
    values = {}
    for parameter in operation.parameters:
        key = parameter.name.replace("-", "_")
        if parameter.location == "path" and key in routed:
            values[parameter.name] = str(routed[key])
    return values
