"""`run_check(settings, base_url)`: schemathesis over every chosen operation, then the stream check.

Yields events (`report.py`); never prints. Live-safety lives here: requests go only to the base URL
(redirects are not followed), at most `max_examples` per operation and phase, `rate_limit`,
a request budget and a deadline, both enforced before each request is sent.
"""

from __future__ import annotations

import copy
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from ..contracts.index import Contract, Operation
from ..contracts.loading import load_contracts
from ..errors import SettingsError, StartupError
from .credentials import CredentialError, Credentials, Redactor, TokenSource, oauth_scheme, resolve_token_url
from .report import OperationFinished, OperationResult, Report, RunError, RunFinished, RunStarted, Violation
from .settings import STREAM_CHECKS, CheckSettings
from .stream import EVENT_STREAM, StreamCheck, StreamRequest, has_stream_flag, stream_media


class StopRun(Exception):
    """The request budget or the deadline is spent: nothing more is sent."""


class Budget:
    """Counts requests against --max-requests and --max-time; paces stream requests by --rate-limit."""

    def __init__(self, settings: CheckSettings) -> None:
        self.max_requests = settings.max_requests
        self.deadline = time.monotonic() + settings.max_time if settings.max_time else None
        self.sent = 0
        self.reason = ""
        self._interval = _interval(settings.rate_limit)
        self._last = 0.0
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.reason = self.reason or "--max-time reached"
            elif self.max_requests is not None and self.sent >= self.max_requests:
                self.reason = self.reason or f"--max-requests {self.max_requests} reached"
            if self.reason:
                raise StopRun(self.reason)
            self.sent += 1
            wait = self._last + self._interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()


def _interval(rate: str | None) -> float:
    if not rate:
        return 0.0
    count, _, unit = rate.partition("/")
    return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / float(count)


def select(contracts: tuple[Contract, ...], operation_ids: tuple[str, ...]) -> list[tuple[Contract, list[Operation]]]:
    known = {op.operation_id for c in contracts for op in c.operations}
    unknown = [o for o in operation_ids if o not in known]
    if unknown:
        raise SettingsError(f"--operation: no operation {', '.join(unknown)} in the contracts (known: {', '.join(sorted(known))})")
    chosen = []
    for contract in contracts:
        ops = [op for op in contract.operations if not operation_ids or op.operation_id in operation_ids]
        if ops:
            chosen.append((contract, ops))
    return chosen


def contract_url(base_url: str, contract: Contract) -> str:
    return base_url.rstrip("/") + contract.base_path


def run_check(settings: CheckSettings, base_url: str) -> Iterator[Any]:
    started = time.monotonic()
    redactor = Redactor(settings.secrets)
    try:
        contracts = load_contracts(settings.contracts)
        plan = select(contracts, settings.operations)
    except StartupError as exc:
        yield from _abort(base_url, [], str(exc), started)
        return
    results = {
        op.key: OperationResult(contract.name, op.operation_id, op.method, op.route, contract_url(base_url, contract) + op.path)
        for contract, ops in plan for op in ops
    }
    yield RunStarted(base_url, list(results.values()), settings.dry_run)
    if settings.dry_run:
        yield RunFinished(Report(base_url, list(results.values()), dry_run=True, duration_s=time.monotonic() - started))
        return
    problem = _unreachable(base_url, settings.request_timeout)
    if problem:
        yield from _abort(base_url, list(results.values()), redactor(problem), started)
        return
    try:
        credentials = _credentials(settings, plan, base_url, redactor)
    except CredentialError as exc:
        yield from _abort(base_url, list(results.values()), redactor(str(exc)), started)
        return
    budget = Budget(settings)
    errors: list[str] = []
    for contract, ops in plan:
        if budget.reason:
            break
        yield from _schemathesis(settings, contract, ops, contract_url(base_url, contract), credentials, budget, results, redactor, errors)
    if any(settings.wants(c) for c in STREAM_CHECKS):
        for contract, ops in plan:
            for op in ops:
                if budget.reason or stream_media(op) is None:
                    continue
                yield from _stream(settings, contract, op, contract_url(base_url, contract), credentials, budget, results[op.key], redactor)
    report = Report(base_url, list(results.values()), errors=errors, stopped=budget.reason,
                    duration_s=time.monotonic() - started, sent=budget.sent)
    yield RunFinished(report)


def _abort(base_url: str, results: list[OperationResult], message: str, started: float) -> Iterator[Any]:
    yield RunError(message)
    yield RunFinished(Report(base_url, results, errors=[message], duration_s=time.monotonic() - started))


def _unreachable(base_url: str, timeout: float) -> str:
    try:
        httpx.get(base_url, timeout=min(timeout, 10.0), follow_redirects=False)
    except httpx.HTTPError as exc:
        return f"{base_url} is unreachable: {type(exc).__name__}: {exc}"
    return ""


def _credentials(settings: CheckSettings, plan: list[tuple[Contract, list[Operation]]], base_url: str,
                 redactor: Redactor) -> Credentials:
    tokens: dict[str, TokenSource] = {}
    if settings.client_id and settings.client_secret:
        for contract, ops in plan:
            scheme = oauth_scheme(ops)
            if scheme is None:
                continue
            url = resolve_token_url(scheme.token_url, base_url, settings.token_url)
            source = TokenSource(url, settings.client_id, settings.client_secret, settings.scopes or scheme.scopes, redactor,
                                 timeout=settings.request_timeout)
            source.get()  # exchanged once up front: bad credentials stop the run before anything else is sent
            tokens[contract.name] = source
    return Credentials(headers=settings.headers, api_key=settings.api_key, tokens=tokens, redactor=redactor)


def schemathesis_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The contract as schemathesis should see it: SSE media described by `x-sse-event-schema` lose
    their `schema` (a string placeholder schemathesis would apply to each event): the stream check owns them."""
    doc = copy.deepcopy(dict(document))
    for item in (doc.get("paths") or {}).values():
        for operation in (item or {}).values():
            if not isinstance(operation, dict):
                continue
            for response in (operation.get("responses") or {}).values():
                media = (response or {}).get("content", {}).get(EVENT_STREAM) if isinstance(response, dict) else None
                if isinstance(media, dict) and "x-sse-event-schema" in media:
                    media.pop("schema", None)
    return doc


def _schemathesis_config(settings: CheckSettings, url: str) -> Any:
    from schemathesis.config import SchemathesisConfig

    checks: dict[str, Any] = {}
    wanted = [c for c in settings.checks if c not in STREAM_CHECKS]
    if settings.checks:
        checks = {"enabled": False, **{name: {"enabled": True} for name in wanted}}
    raw: dict[str, Any] = {
        "base-url": url,
        "max-redirects": 0,  # requests go only to the base URL
        "request-timeout": settings.request_timeout,
        "generation": {"max-examples": settings.max_examples},
        "phases": {"stateful": {"enabled": False}},
        "checks": checks,
        "workers": 1,
    }
    if settings.seed is not None:
        raw["seed"] = settings.seed
    if settings.rate_limit:
        raw["rate-limit"] = settings.rate_limit
    if settings.max_time:
        raw["max-time"] = max(1, int(settings.max_time))
    return SchemathesisConfig.from_dict(raw)


def _schemathesis(settings: CheckSettings, contract: Contract, ops: list[Operation], url: str, credentials: Credentials,
                  budget: Budget, results: dict[str, OperationResult], redactor: Redactor, errors: list[str]) -> Iterator[Any]:
    import schemathesis
    from schemathesis.engine import events, from_schema

    if settings.checks and not [c for c in settings.checks if c not in STREAM_CHECKS]:
        return
    by_label = {f"{op.method} {op.path}": op for op in ops}
    by_id = {op.operation_id: op for op in ops}
    schema = schemathesis.openapi.from_dict(schemathesis_document(contract.document), config=_schemathesis_config(settings, url))
    schema = schema.include(operation_id=list(by_id))  # type: ignore[assignment]  # include() returns the base type
    stream_box: list[Any] = []

    @schema.auth()
    class _Provider:
        """Credentials for every generated case, and the budget taken before it is sent."""

        def get(self, case: Any, context: Any) -> Any:
            return True

        def set(self, case: Any, data: Any, context: Any) -> None:
            try:
                budget.take()
            except StopRun:
                if stream_box:
                    stream_box[0].stop()
                raise
            op = by_id.get(case.operation.definition.raw.get("operationId", "")) or by_label.get(case.operation.label)
            if op is None:
                return
            placed = credentials.placement(op)
            case.headers = {**(case.headers or {}), **placed.headers}
            if placed.query:
                case.query = {**(case.query or {}), **placed.query}
            if placed.cookies:
                case.cookies = {**(case.cookies or {}), **placed.cookies}

    stream = from_schema(schema).execute()
    stream_box.append(stream)
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            op = by_label.get(event.recorder.label)
            if op is None:
                continue
            result = results[op.key]
            _collect(event.recorder, result, redactor)
            yield OperationFinished(result, str(event.phase.value if hasattr(event.phase, "value") else event.phase))
        elif isinstance(event, events.NonFatalError):
            if "StopRun" in repr(event.value) or isinstance(event.value, StopRun):
                continue
            op = by_label.get(event.label)
            message = redactor(f"{event.info.title}: {event.info.message}")
            if op is not None:
                results[op.key].errors.append(message)
                results[op.key].add(Violation("request_error", event.info.title, message))
            else:
                errors.append(message)
        elif isinstance(event, events.FatalError):
            errors.append(redactor(f"schemathesis: {event.exception!r}"))
        if budget.deadline is not None and time.monotonic() >= budget.deadline:
            budget.reason = budget.reason or "--max-time reached"
            stream.stop()


def _collect(recorder: Any, result: OperationResult, redactor: Redactor) -> None:
    for interaction in recorder.interactions.values():
        if interaction.response is not None:
            result.observe(float(interaction.response.elapsed) * 1000)
        else:
            result.requests += 1
    for nodes in recorder.checks.values():
        for node in nodes:
            result.checks_run.add(node.name)
            info = node.failure_info
            if info is None:
                continue
            failure = info.failure
            result.add(Violation(
                check=node.name,
                title=redactor(str(failure.title)),
                message=redactor(str(failure.message)).strip(),
                curl=redactor(info.code_sample),
                status=getattr(getattr(failure, "response", None), "status_code", None),
            ))


def _stream(settings: CheckSettings, contract: Contract, op: Operation, url: str, credentials: Credentials,
            budget: Budget, result: OperationResult, redactor: Redactor) -> Iterator[Any]:
    check = StreamCheck(op, wanted=settings.wants)
    try:
        request = _positive_request(contract, op, url, credentials, settings)
    except Exception as exc:  # generation can fail on exotic schemas: say so, do not crash the run
        result.add(Violation("stream_content_type", "No positive example for the stream check", redactor(repr(exc))))
        yield OperationFinished(result, "stream")
        return

    client = httpx.Client(timeout=settings.request_timeout, follow_redirects=False)

    @contextmanager
    def send(req: StreamRequest, stream: bool) -> Iterator[httpx.Response]:
        budget.take()
        built = client.build_request(req.method, req.url, headers=req.headers, params=req.query or None,
                                     cookies=req.cookies or None, json=req.body)
        response = client.send(built, stream=True)
        try:
            yield response
        finally:
            response.close()

    try:
        outcome = check.run(request, send, redactor)
    except StopRun:
        return
    finally:
        client.close()
    result.checks_run.update(c for c in STREAM_CHECKS if settings.wants(c))
    for ms in outcome.elapsed_ms:
        result.observe(ms)
    for violation in outcome.violations:
        result.add(violation)
    yield OperationFinished(result, "stream")


def _positive_request(contract: Contract, op: Operation, url: str, credentials: Credentials,
                      settings: CheckSettings) -> StreamRequest:
    """A valid request: parameters from schemathesis's positive generation, the body from the
    contract's first example when it has one (realistic), `stream: true`, `Accept: text/event-stream`."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hsettings

    schema = schemathesis.openapi.from_dict(schemathesis_document(contract.document),
                                            config=_schemathesis_config(settings, url))
    operation = schema[op.path][op.method]
    found: list[Any] = []

    @hsettings(max_examples=1, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck),
               derandomize=True, deadline=None)
    @given(operation.as_strategy())
    def pick(case: Any) -> None:
        if not found:
            found.append(case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pick()
    case = found[0]
    body = case.body if isinstance(case.body, (dict, list, str, int, float, bool)) else None
    if op.request_body is not None:
        media = op.request_body.content.get("application/json")
        if media is not None and media.examples:
            body = copy.deepcopy(media.examples[0][1])
    if isinstance(body, dict) and has_stream_flag(op):
        body["stream"] = True
    placed = credentials.placement(op)
    path = op.path
    for name, value in (case.path_parameters or {}).items():
        path = path.replace("{" + name + "}", str(value))
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    headers.update(placed.headers)
    headers["Accept"] = EVENT_STREAM
    return StreamRequest(op.method, url + path, headers,
                         {**{k: str(v) for k, v in (case.query or {}).items()}, **placed.query},
                         placed.cookies, body)
