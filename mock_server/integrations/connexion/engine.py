"""`serve --engine connexion`: the contracts served through connexion's FlaskApp, as the design card
draws it, with `MockResolver(mock_all=True)` answering every operation.

The mock's front door stays in front (`ConnexionFront`, a `MockApp`: CORS preflights, `/__mock`,
the lifespan and warm-up, the journal and the log); behind it connexion routes and validates each
request, and the mock's engine answers (middleware.py). One step is the mock's own: auth.
connexion's security step wants a function per scheme (`x-bearerInfoFunc`, ...), where `--auth
lenient|strict` is one policy over an operation's alternatives and the scopes of the tokens it
minted, so `MockSecurity` runs the mock's auth step in that slot of connexion's stack. And
`ChainedRouting` is connexion's routing with one fix the bundled contracts need (three APIs share
the base path "").
"""

from __future__ import annotations

import functools
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl, unquote

import connexion
from connexion.exceptions import InvalidSpecification
from connexion.middleware import ConnexionMiddleware
from connexion.middleware.routing import RoutingAPI, RoutingMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.options import SwaggerUIOptions

from ...app import create_app
from ...contracts.index import Contract
from ...errors import ContractLoadError, RequestError
from ...serve.pipeline import MockApp, decode_headers
from ...serve.routing import raw_path_of
from ...serve.validation import parse_cookies
from ...settings import ServeSettings
from .middleware import ResolverMiddleware
from .resolver import MockResolver

ENCODED_SLASH = re.compile("%2f", re.IGNORECASE)
LOGGED = "mock_server.logged"  # scope key: a list the engine appends to when it logs the request


class ConnexionFront(MockApp):
    """The mock's front door with connexion's app where the mock's own routing would be."""

    connexion_app: Any = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await build_stack(self.connexion_app)
        await super().__call__(scope, receive, send)

    async def pipeline(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """connexion's stack, for the requests the contracts route. What no operation takes (an
        unknown path or method, a trailing slash) is answered by the mock as `serve` answers it, in
        the contract's error shape with `Allow`: connexion's router would answer problem+json or a
        307 redirect, statuses and bodies no contract declares. What connexion's router still
        answers itself is logged and journaled here, everything else by the engine. connexion's
        middlewares pass copies of the scope along, so the engine reports through a list they all share."""
        started, logged, statuses = time.perf_counter(), [], []
        raw_path = raw_path_of(scope)
        if self.paths.match(scope["method"], raw_path) is None:
            await self.not_routed(scope, receive, send, raw_path, started)
            return
        if ENCODED_SLASH.search(raw_path):
            scope = {**scope, "path": slashes_kept_encoded(raw_path)}
        scope[LOGGED] = logged

        async def watched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        self.in_flight += 1  # the warm-up pauses longer while requests are answered
        try:
            await self.connexion_app(scope, receive, watched)
        finally:
            self.in_flight -= 1
        if not logged and statuses:
            await super().log(scope, None, statuses[0], time.perf_counter() - started)

    async def log(
        self, scope: dict[str, Any], operation: Any, status: int, seconds: float, exchange: Any = None
    ) -> None:
        scope.get(LOGGED, []).append(True)
        await super().log(scope, operation, status, seconds, exchange)


def slashes_kept_encoded(raw_path: str) -> str:
    """The decoded path connexion's router reads, except that an encoded slash stays `%2F`: starlette
    routes the decoded path, where a parameter holding `a%2Fb` would be two segments and not found.
    The mock's engine reads the parameters from the raw path itself (middleware.path_parameters)."""
    return "%2F".join(unquote(piece) for piece in ENCODED_SLASH.split(raw_path))


async def build_stack(app: Any) -> None:
    """connexion builds its middleware stack, resolving every operation, on its first call: make
    that call at start-up, with a lifespan that starts and ends at once, so no request waits for it."""
    messages = iter(({"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}))

    async def receive() -> dict[str, str]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        return None

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)


class ChainedRouting(RoutingMiddleware):
    """connexion's routing, with every API of a shared base path reachable. connexion 3.3 mounts each
    API and points the fallback of every earlier one with that base path at the newest, so with
    three or more the middle ones are never reached (a request goes first → last → not found).
    Here the first is mounted and each falls back to the next, in the order they were added."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.last_router: dict[str, Any] = {}  # base path → the router of its newest API

    def add_api(self, specification: Any, base_path: str | None = None, arguments: dict[str, Any] | None = None,
                **kwargs: Any) -> None:
        api = RoutingAPI(specification, base_path=base_path, arguments=arguments, next_app=self.app, **kwargs)
        previous = self.last_router.get(api.base_path)
        if previous is None:
            self.router.mount(api.base_path, app=api.router)
        else:
            previous.default = api.router
        self.last_router[api.base_path] = api.router


class MockSecurity(ResolverMiddleware):
    """The mock's auth step (`--auth`, `--api-key`, minted tokens) in the slot of connexion's."""

    def step(self, operation: Any, base_path: str, next_app: Any) -> Any:
        return Authenticating(next_app, self.resolver, operation.method, base_path + operation.path)


class Authenticating:
    def __init__(self, next_app: Any, resolver: MockResolver, method: str, route: str) -> None:
        self.next_app, self.resolver, self.method, self.route = next_app, resolver, method, route

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        engine = self.resolver.engine
        operation = self.resolver.operation_at(self.method, self.route)
        headers = decode_headers(scope["headers"])
        query_pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        try:
            await engine.authenticate(operation, headers, query_pairs, parse_cookies(headers.get("cookie", "")))
        except RequestError as refusal:
            await engine.answer_operation(scope, receive, send, operation, {}, started, refusal=refusal)
            return
        await self.next_app(scope, receive, send)


def connexion_engine(settings: ServeSettings, contracts: tuple[Contract, ...]) -> ConnexionFront:
    """The mock's front door with a connexion FlaskApp serving `contracts` behind it."""
    logging.getLogger("connexion").setLevel(logging.ERROR)  # a warning per 404: the mock's log line has each request
    front = create_app(settings, contracts=contracts, app_class=ConnexionFront)
    assert isinstance(front, ConnexionFront)
    resolver = MockResolver(mock_all=True, engine=front)
    replaced = {RoutingMiddleware: ChainedRouting,
                SecurityMiddleware: functools.partial(MockSecurity, resolver=resolver)}
    stack = [replaced.get(step, step) for step in ConnexionMiddleware.default_middlewares]
    app = connexion.FlaskApp(__name__, middlewares=stack,
                             swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False))
    for contract in front.contracts:
        try:  # from its file, as a connexion user's app loads it
            app.add_api(contract.path.resolve(), base_path=contract.base_path, name=re.sub(r"\W", "_", contract.name),
                        resolver=resolver)
        except InvalidSpecification as exc:
            reason = str(exc).splitlines()[0]
            raise ContractLoadError(
                f"{contract.path}: connexion cannot load it ({reason}); serve it with the default engine"
            ) from None
    resolver.install(app)
    front.connexion_app = app
    return front
