"""The ASGI app: CORS preflight → admin → the pipeline, assembled once from settings.

The pipeline runs the steps of one request in order, each a module of its own:
route (routing.py) → auth (security.py) → validate (validation.py) → control (control.py)
→ behaviour (behaviours/) → render (render.py). Any `RequestError` on the way is answered in
the contract's own shape (error_replies.py); anything else is logged and answered as a declared
500, so no request can crash the server.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import os
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

import orjson

from ..behaviours.context import Context, Directive
from ..behaviours.preload import Preloaded, read_data
from ..behaviours.registry import Registry
from ..behaviours.reply import Reply
from ..contracts.collections import infer_collections
from ..contracts.index import Contract, Operation
from ..errors import MethodNotAllowed, NotFound, RequestError, RequestInvalid
from ..generate.source import FIXED_NOW, Source, new_faker
from ..media.authorization import bearer_token
from ..settings import ServeSettings
from ..state.memory import MemoryStore
from ..state.store import Store
from . import faults
from .access_log import AccessLog
from .compiled import CompiledOperation, CompiledOperations, warm_up
from .control import Control, directive_from_prefer, prefer_header
from .cors import Cors
from .error_replies import render_error
from .journal import Exchange, Journal, StreamTap
from .reloads import Reloads
from .render import Turns, send_reply
from .resources import check_not_deleted, remember
from .routing import PathIndex, raw_path_of
from .security import AuthPolicy, Credentials, Redactor, authenticate, declared_scopes
from .validation import parse_cookies

logger = logging.getLogger("mock_server")

MAX_BODY_BYTES = 10 * 1024 * 1024
# What a reload (MockApp.adopt) keeps: what requests changed and what belongs to the running server.
KEPT_ACROSS_RELOADS = frozenset({
    "state", "turns", "access_log", "mounts", "reloads", "services", "_service_tasks", "in_flight", "faker",
    "warm_up_task", "_loaded",  # a --stateful run's --data is preloaded once, not again at each reload
})


class InternalError(RequestError):
    status = 500
    title = "Internal Server Error"


def request_seed(
    seed: int | None, key: str, path: str, query_pairs: list[tuple[str, str]], body: Any, raw_body: bytes
) -> int:
    """A function of (seed, operation, canonical request): same request, same answer, anywhere."""
    if seed is None:
        return int.from_bytes(os.urandom(8), "big")
    canonical_query = sorted(query_pairs)
    try:
        canonical_body = orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        canonical_body = raw_body
    material = orjson.dumps([seed, key, path, canonical_query]) + b"\0" + canonical_body
    return int.from_bytes(hashlib.blake2b(material, digest_size=8).digest(), "big")


async def read_body(receive: Any) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestInvalid(f"the request body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def decode_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


class MockApp:
    """The whole server as one ASGI callable; what requests change lives in `state` (a `Store`)."""

    def __init__(
        self, settings: ServeSettings, contracts: tuple[Contract, ...], registry: Registry, store: Store | None = None
    ) -> None:
        self.settings = settings
        self.contracts = contracts
        self.registry = registry
        self.state: Store = store if store is not None else MemoryStore(journal_size=settings.journal_size)
        self.scopes = declared_scopes(contracts)
        self.auth = AuthPolicy(strict=settings.auth == "strict", api_keys=frozenset(settings.api_keys))
        self.control = Control(settings, contracts, self.state)  # reads and checks --rules: SettingsError
        self.journal = Journal(self.state, Redactor.for_contracts(contracts))
        self.turns = Turns()  # open streams share the loop fairly (render.Turns)
        self.faker = new_faker()
        self.access_log = AccessLog() if settings.access_log else None
        operations = [op for contract in contracts for op in contract.operations]
        self.bindings = {key: found for contract in contracts for key, found in infer_collections(contract).items()}
        self.operations = CompiledOperations(  # each compiled on first use
            operations, registry, self.bindings, stateful=settings.stateful, optional=settings.optional)
        self.in_flight = 0  # requests being answered: the warm-up pauses longer while there are any
        self.preloaded: Preloaded = {}
        if settings.data is not None:  # checked now: a bad file stops `serve` (SettingsError)
            self.preloaded = read_data(settings.data, self.bindings.values(), Source.from_seed(0, self.faker),
                                       settings.seed or 0)
        self._loaded = not settings.stateful
        self.paths = PathIndex(operations)
        self.cors = Cors(settings.cors_origins, contracts, self.paths)
        self.mounts: list[tuple[str, Any]] = []  # (path prefix, ASGI app) answered before routing
        self.reloads = Reloads()  # what `serve --watch` did, for the dashboard
        self.services: list[Callable[[], Coroutine[Any, Any, None]]] = []  # run while serving (`--watch`)
        self._service_tasks: list[asyncio.Task[None]] = []

    async def reset(self) -> None:
        """Forget what requests changed (`POST /__mock/reset`); a stateful run gets its --data back."""
        await self.state.reset()
        if self.settings.stateful:
            await self.state.preload_resources(self.preloaded)
            self._loaded = True

    def start_warm_up(self) -> None:
        """Compile the operations ahead of their first request, in the background (compiled.warm_up);
        uvicorn opens the port right after this, and the warm-up's slices leave requests their turn."""
        previous = getattr(self, "warm_up_task", None)
        if previous is not None:  # a reload: the old operations need no more compiling
            previous.cancel()
        self.warm_up_task = asyncio.get_running_loop().create_task(warm_up(self.operations, lambda: self.in_flight > 0))

    def adopt(self, reloaded: MockApp) -> None:
        """Serve `reloaded`'s contracts, rules and recorded examples from the next request on
        (`serve --watch`). Everything they shape is replaced in one step, with no await in between,
        so each request sees one version or the other; a request or stream under way keeps the
        compiled operation it holds and ends as it began. What requests changed (the store), the
        streams' turns, the log, the mounts, the reload history and the services stay."""
        for name, value in vars(reloaded).items():
            if name not in KEPT_ACROSS_RELOADS:
                setattr(self, name, value)
        self.start_warm_up()

    async def start_services(self) -> None:
        loop = asyncio.get_running_loop()
        self._service_tasks = [loop.create_task(service()) for service in self.services]

    async def stop_services(self) -> None:
        for task in self._service_tasks:
            task.cancel()
        await asyncio.gather(*self._service_tasks, return_exceptions=True)

    def source(self, seed: int) -> Source:
        """The randomness of one answer; dates are drawn around the fixed clock unless `--clock real`."""
        now = int(time.time()) if self.settings.clock == "real" else FIXED_NOW
        return Source.from_seed(seed, self.faker, now)

    def mount(self, prefix: str, handler: Any) -> None:
        """Answer every path under `prefix` with `handler` (CORS still applies): how the admin
        endpoints, which sit above the pipeline, plug into it without the pipeline importing them."""
        self.mounts.append((prefix, handler))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            if self.access_log is not None:
                self.access_log.flush()
            return
        if scope["type"] != "http":
            return
        faults.remember_transport(scope, send)
        if await self.cors.preflight(scope, send):  # before routing: a preflight is never a 405
            return
        send = self.cors.wrap(scope, send)
        for prefix, handler in self.mounts:
            if scope["path"] == prefix or scope["path"].startswith(prefix + "/"):
                await handler(scope, receive, send)
                return
        await self.pipeline(scope, receive, send)

    async def pipeline(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """route → auth → validate → control → behaviour → render, for one request."""
        started = time.perf_counter()
        raw_path = raw_path_of(scope)
        found = self.paths.match(scope["method"], raw_path)
        if found is None:
            await self.not_routed(scope, receive, send, raw_path, started)
            return
        operation, path_params = found
        self.in_flight += 1
        try:
            await self.answer_operation(scope, receive, send, operation, path_params, started)
        finally:
            self.in_flight -= 1

    async def answer_operation(
        self, scope: dict[str, Any], receive: Any, send: Any, operation: Operation, path_params: dict[str, str],
        started: float, *, authenticated: bool = False, refusal: RequestError | None = None,
    ) -> None:
        """Answer a routed request: auth → validate → control → behaviour → render, errors in the
        contract's shape, the journal and the log. A framework hosting the mock (connexion:
        integrations/connexion/) routes and checks requests itself: `authenticated` when it has done
        the auth, `refusal` when it has refused the request, which is then answered here like the
        mock's own refusals. Its validation passed, the compiled validator still reads the request
        into the shapes behaviours expect."""
        try:
            compiled = self.operations[operation.key]  # compiled on first use
        except Exception:  # a schema the validator library cannot build: that operation's bug only
            logger.exception("compiling %s failed", operation.key)
            error = InternalError(f"the mock cannot compile {operation.operation_id}; see its log")
            reply = render_error(error, None, Source.from_seed(0, self.faker))
            await send_reply(reply, send, receive)
            await self.log(scope, operation, reply.status, time.perf_counter() - started)
            return
        if not self._loaded:  # the first request of a stateful run: its --data (a shared store takes it once)
            await self.state.preload_resources(self.preloaded)
            self._loaded = True
        headers = decode_headers(scope["headers"])
        exchange = Exchange(headers)
        seed = self.settings.seed or 0
        try:
            if refusal is not None:  # read as far as the host framework did, for the journal and `on_invalid`
                exchange.raw_body = await read_body(receive)
                raise compiled.explain(refusal, headers, exchange.raw_body)
            reply, _, seed = await self.answer(compiled, scope, path_params, receive, headers, exchange, authenticated)
        except RequestError as exc:
            exchange.error, exchange.details = exc.message, exc.details
            reply = render_error(exc, compiled.responses, self.source(seed), accept=headers.get("accept"))
        except Exception:  # a bug in a behaviour must not take the server down
            logger.exception("behaviour of %s failed", compiled.operation.key)
            error = InternalError("the mock failed to produce an answer; see its log")
            reply = render_error(error, compiled.responses, self.source(seed))
        directive = exchange.directive
        delay_ms = directive.delay_ms if directive.delay_ms is not None else self.control.latency_for(seed)
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        reply = faults.shape_reply(self.control.finish(reply, compiled.operation), directive.fault)
        send = faults.wrap_send(send, directive.fault, scope, receive)
        if not compiled.stateful:
            try:
                await remember(self.state, compiled.operation, scope["path"], reply.status, reply.body)
            except RequestError as exc:  # the shared state is gone: what this request did cannot be kept
                exchange.error, exchange.details = exc.message, exc.details
                reply = render_error(exc, compiled.responses, self.source(seed), accept=headers.get("accept"))
        exchange.reply = reply
        if reply.events is not None:
            exchange.stream = StreamTap()
        await send_reply(reply, send, receive, head=scope["method"] == "HEAD", turns=self.turns, tap=exchange.stream)
        await self.log(scope, compiled.operation, reply.status, time.perf_counter() - started, exchange)

    async def answer(
        self, compiled: CompiledOperation, scope: dict[str, Any], path_params: dict[str, str], receive: Any,
        headers: dict[str, str], exchange: Exchange, authenticated: bool = False,
    ) -> tuple[Reply, Directive, int]:
        operation = compiled.operation
        raw_query = scope.get("query_string", b"").decode("latin-1")
        body = exchange.raw_body = await read_body(receive)
        query_pairs = parse_qsl(raw_query, keep_blank_values=True)  # parsed once: auth, validation, seed
        cookies = parse_cookies(headers.get("cookie", ""))
        if not authenticated:
            await self.authenticate(operation, headers, query_pairs, cookies)
        try:
            request = compiled.validator.validate(
                method=operation.method,
                path=scope["path"],
                path_params=path_params,
                raw_query=raw_query,
                query_pairs=query_pairs,
                cookies=cookies,
                headers=headers,
                body=body,
            )
        except RequestInvalid as invalid:
            raise compiled.explain(invalid, headers, body) from None
        if not compiled.stateful:
            await check_not_deleted(self.state, operation, scope["path"])
        directive = directive_from_prefer(prefer_header(headers), operation)
        fixed_seed = None if directive.dynamic else self.settings.seed
        seed = request_seed(fixed_seed, operation.key, scope["path"], query_pairs, request.body, body)
        exchange.body, exchange.validated = request.body, True
        exchange.directive = directive = await self.control.decide(directive, operation, request, seed)
        self.control.enforce(directive, operation)
        if compiled.success_types and directive.status is None and "accept" in headers:
            compiled.refuse_unacceptable(headers["accept"])
        context = Context(
            operation=operation,
            request=request,
            directive=directive,
            responses=compiled.responses,
            source=self.source(seed),
            seed=seed,
            settings=self.settings,
            state=self.state,
            scopes=self.scopes,
            reflection=compiled.reflection,
        )
        reply = compiled.behaviour(context)
        if inspect.isawaitable(reply):
            reply = await reply
        return reply, directive, seed

    async def not_routed(self, scope: dict[str, Any], receive: Any, send: Any, raw_path: str, started: float) -> None:
        """No operation for this method and path: 405 with `Allow` in the shape of the path's
        contract when the path is declared for other methods, else 404."""
        siblings = self.paths.at(raw_path)
        if siblings:
            allow = ", ".join(sorted({op.method for op in siblings}))
            error = MethodNotAllowed(
                f"{scope['method']} is not declared for {scope['path']}; allowed: {allow}", headers={"Allow": allow}
            )
            responses = self.operations[siblings[0].key].responses
            reply = render_error(error, responses, self.source(0), keep_status=True)
        else:
            missing = NotFound(f"no operation of the loaded contracts matches {scope['method']} {scope['path']}")
            reply = Reply(404, {"status": 404, "title": missing.title, "detail": missing.message}, "application/json")
        await send_reply(reply, send, receive)
        await self.log(scope, None, reply.status, time.perf_counter() - started)

    async def authenticate(
        self, operation: Operation, headers: dict[str, str], query_pairs: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        """The auth step: the operation's declared security, by `--auth`; Unauthorized or Forbidden."""
        authenticate(operation, Credentials(headers, dict(query_pairs), cookies), await self.auth_policy(headers))

    async def auth_policy(self, headers: dict[str, str]) -> AuthPolicy:
        """Strict mode accepts only tokens the store knows: look up the request's bearer token, if any."""
        if not self.auth.strict:
            return self.auth
        token = bearer_token(headers)
        minted = await self.state.find_token(token) if token is not None else None
        return replace(self.auth, tokens={token: minted}) if minted is not None else self.auth

    async def log(
        self, scope: dict[str, Any], operation: Operation | None, status: int, seconds: float,
        exchange: Exchange | None = None,
    ) -> None:
        """One line per request; the path only (a query string may carry an API key). Journal: redacted."""
        await self.journal.record(scope, operation, status, seconds, exchange)
        if self.access_log is not None:
            name = operation.operation_id if operation else "-"
            self.access_log.line(scope["method"], scope["path"], name, status, seconds * 1000)

    async def lifespan(self, receive: Any, send: Any) -> None:
        """The store opens with the server (a shared one connects; an unreachable one is reported,
        not fatal: requests get 503 until it answers) and closes with it; the warm-up and the services
        (`serve --watch`) start."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.state.open()
                self.start_warm_up()
                await self.start_services()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop_services()
                await self.state.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
