"""`MockResolver`: connexion's `MockResolver(mock_all=...)`, with this mock answering.

connexion asks its resolver for a function per operation. This one hands back the app's own
function where the app implements the operation (connexion's usual resolution by operationId, or
the `implemented` resolver or mapping), and for every other operation a placeholder that marks it
as mocked. `install(app)` adds the two middlewares (middleware.py) that answer the mocked
operations, once connexion has routed, authenticated and validated the request, with the mock's
engine: the same compiled generation, behaviours by operationId, `Prefer`, rules, errors in the
contract's shape, server-sent events where the contract streams, the same bytes for the same
request and seed.

The engine is a `MockApp` (serve/pipeline.py) built from the documents connexion loaded (one
contract per `add_api`, its references and component names intact), or the one it is given
(`serve --engine connexion` shares its own, so the admin endpoints and the journal see every request).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolution, Resolver, ResolverError

from ...app import create_app
from ...behaviours.registry import Registry
from ...contracts.index import Contract, Operation, index_contract
from ...serve.pipeline import MockApp
from ...settings import ServeSettings
from .middleware import ContractErrors, MockAnswers


class NotInstalled(RuntimeError):
    """The app started without `resolver.install(app)`: nothing would answer the mocked operations."""


def answered_by_the_mock(*args: Any, **kwargs: Any) -> Any:
    """What connexion registers for a mocked operation. `MockAnswers` answers those requests before
    they reach the framework (so streams need no worker thread), hence this is never called."""
    raise NotInstalled("a mocked operation reached the framework: call resolver.install(app) before serving")


class _MappingResolver(Resolver):
    """Implemented operations given as {operationId: function}, for apps whose operationIds are not
    importable names (connexion's own resolution wants `package.module.function`)."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]]) -> None:
        super().__init__()
        self.functions = dict(functions)

    def resolve_operation_id(self, operation: Any) -> Any:
        return operation.operation_id

    def resolve_function_from_operation_id(self, operation_id: Any) -> Callable[..., Any]:
        try:
            return self.functions[operation_id]
        except KeyError:
            raise ResolverError(f"no function is given for operationId {operation_id!r}") from None


class MockResolver(Resolver):
    """A drop-in for connexion's `MockResolver(mock_all=...)`:

        resolver = MockResolver(mock_all=False)
        app.add_api("openapi.yaml", resolver=resolver)
        resolver.install(app)

    `mock_all`: the mock answers every operation; else only those the app does not implement.
    `implemented`: how to find the app's functions: a connexion `Resolver` (RelativeResolver,
    RestyResolver, ...) or a mapping operationId → function; default connexion's own resolution.
    `settings`: the mock's options (seed, rules, latency, ...; `ServeSettings`), `behaviours`: a
    `Registry` of behaviours by operationId (default: the bundled ones). `engine`: a `MockApp`
    to answer with instead of one built from the documents connexion loads.
    """

    def __init__(
        self,
        mock_all: bool = False,
        *,
        implemented: Resolver | Mapping[str, Callable[..., Any]] | None = None,
        settings: ServeSettings | None = None,
        behaviours: Registry | None = None,
        engine: MockApp | None = None,
    ) -> None:
        super().__init__()
        self.mock_all = mock_all
        if implemented is None or isinstance(implemented, Resolver):
            self.implemented = implemented or Resolver()
        else:
            self.implemented = _MappingResolver(implemented)
        self.settings = settings or ServeSettings(access_log=False)
        self.behaviours = behaviours
        self.installed = False
        self._engine = engine
        self._builds_engine = engine is None
        self._adopted: dict[int, Contract] = {}  # id(connexion's Specification) → the contract indexed from it
        self._routes: dict[tuple[str, str], Operation] = {}

    def install(self, app: Any) -> MockResolver:
        """Add the middlewares that answer the mocked operations and connexion's refusals (in the
        contract's error shape) to `app`, a connexion `FlaskApp`, `AsyncApp` or `ConnexionMiddleware`."""
        try:
            app.add_middleware(ContractErrors, position=MiddlewarePosition.BEFORE_SECURITY, resolver=self)
        except ValueError:  # no connexion security step: the connexion engine's own auth answers its refusals
            app.add_middleware(ContractErrors, position=MiddlewarePosition.BEFORE_VALIDATION, resolver=self)
        app.add_middleware(MockAnswers, position=MiddlewarePosition.BEFORE_CONTEXT, resolver=self)
        self.installed = True
        return self

    def resolve(self, operation: Any) -> Resolution:
        """The app's function for an operation it implements; else the mock's placeholder."""
        if not self.installed:
            raise NotInstalled("mock_server.connexion.MockResolver: call resolver.install(app) after add_api")
        if not self.mock_all:
            try:
                return self.implemented.resolve(operation)
            except ResolverError:
                pass
        # connexion's own MockResolver numbers operations without an id per call, so each middleware
        # saw another number; method and path are the same in every one.
        operation_id = self.resolve_operation_id(operation) or f"{operation.method.upper()} {operation.path}"
        return Resolution(answered_by_the_mock, operation_id)

    @staticmethod
    def mocks(operation: Any) -> bool:
        """Whether the mock answers this connexion operation."""
        return operation.function is answered_by_the_mock

    def adopt(self, specification: Any, name: str | None) -> None:
        """A document connexion loaded for this resolver (each middleware hands every API over):
        indexed once as a contract of the engine, which is rebuilt with it on its next use."""
        if not self._builds_engine or id(specification) in self._adopted:
            return
        title = str((specification.raw.get("info") or {}).get("title") or "api")
        taken = {contract.name for contract in self._adopted.values()}
        unique = name or title
        number = 1
        while unique in taken:
            number += 1
            unique = f"{name or title} {number}"
        # connexion resolves external references from the document's folder, as the mock does
        folder = Path(getattr(specification, "_base_uri", "") or ".")
        self._adopted[id(specification)] = index_contract(specification.raw, folder / "openapi", unique)
        self._engine, self._routes = None, {}

    @property
    def engine(self) -> MockApp:
        """The mock that answers: given, or built from every adopted document on first use."""
        if self._engine is None:
            contracts = tuple(self._adopted.values())
            self._engine = create_app(self.settings, contracts=contracts, behaviours=self.behaviours)
        if not self._routes:
            self._routes = {(op.method, op.route): op for contract in self._engine.contracts
                            for op in contract.operations}
        return self._engine

    def operation_at(self, method: str, route: str) -> Operation:
        """The mock's operation for connexion's (method, API base path + path)."""
        engine = self.engine
        try:
            return self._routes[(method.upper(), route)]
        except KeyError:
            served = len(engine.contracts)
            message = f"{method.upper()} {route} is in none of the {served} contracts the mock serves"
            raise LookupError(message) from None
