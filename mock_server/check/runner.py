"""`run_check(settings, base_url)`: schemathesis over every chosen operation, then the stream check.

Yields events (`report.py`); never prints. Live-safety: requests go only to the base URL (redirects
are not followed) and every limit is checked before a request is sent (`limits.py`). Coverage: each
answer is counted by status per operation, so the report can tell an operation that was exercised
from one whose every valid request was refused (401/403) or never succeeded.
"""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from ..contracts.index import Contract, Operation
from ..contracts.loading import load_contracts
from ..errors import SettingsError, StartupError
from ..settings import random_seed
from .credentials import CredentialError, Credentials, Redactor, TokenSource, oauth_scheme, resolve_token_url
from .limits import PHASES, LimitReached, Limits
from .report import OperationFinished, OperationResult, Report, RunError, RunFinished, RunStarted, Violation
from .settings import STREAM_CHECKS, CheckSettings
from .stream import EVENT_STREAM, StreamCheck, StreamRequest, has_stream_flag, stream_media


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
    if settings.seed is None:  # --seed random: drawn here and reported, so the run can be replayed
        settings = settings.replace(seed=random_seed())
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
    yield RunStarted(base_url, list(results.values()), settings.dry_run, settings.seed)
    if settings.dry_run:
        yield RunFinished(Report(base_url, list(results.values()), dry_run=True, duration_s=time.monotonic() - started,
                                 seed=settings.seed))
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
    limits = Limits(settings)
    for contract, ops in plan:
        for op in ops:
            limits.phases[op.key] = PHASES if stream_media(op) is not None else PHASES[:-1]
    errors: list[str] = []
    with limits.guarding(base_url):
        for contract, ops in plan:
            if limits.stopped:
                break
            yield from _schemathesis(settings, contract, ops, contract_url(base_url, contract), credentials, limits,
                                     results, redactor, errors)
        if any(settings.wants(c) for c in STREAM_CHECKS):
            for contract, ops in plan:
                for op in ops:
                    if limits.stopped or stream_media(op) is None:
                        continue
                    yield from _stream(settings, contract, op, contract_url(base_url, contract), credentials, limits,
                                       results[op.key], redactor)
    for key, result in results.items():
        result.requests = limits.by_operation[key]
        result.limited = limits.capped.get(key, "")
    report = Report(base_url, list(results.values()), errors=errors, stopped=limits.stopped,
                    duration_s=time.monotonic() - started, sent=limits.sent, seed=settings.seed,
                    allow_unexercised=settings.allow_unexercised)
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
    if settings.max_time:
        raw["max-time"] = max(1, int(settings.max_time))
    return SchemathesisConfig.from_dict(raw)


def _phase_stop() -> type[BaseException]:
    """What ends one operation's phase quietly once its limit is reached: schemathesis's own
    "this operation's share is spent" signal (its run goes on with the next operation). Where a
    schemathesis version lacks it, `LimitReached` still keeps the request from being sent."""
    try:
        from schemathesis.engine.run.unit._case import BudgetExpired
    except ImportError:  # pragma: no cover - depends on the schemathesis version
        return LimitReached
    return BudgetExpired


def _schemathesis(settings: CheckSettings, contract: Contract, ops: list[Operation], url: str, credentials: Credentials,
                  limits: Limits, results: dict[str, OperationResult], redactor: Redactor, errors: list[str]) -> Iterator[Any]:
    import schemathesis
    from schemathesis.engine import from_schema

    if settings.checks and not [c for c in settings.checks if c not in STREAM_CHECKS]:
        return
    by_label = {f"{op.method} {op.path}": op for op in ops}
    by_id = {op.operation_id: op for op in ops}
    schema = schemathesis.openapi.from_dict(schemathesis_document(contract.document), config=_schemathesis_config(settings, url))
    schema = schema.include(operation_id=list(by_id))  # type: ignore[assignment]  # include() returns the base type
    stream_box: list[Any] = []

    def operation_of(case: Any) -> Operation | None:
        return by_id.get(case.operation.definition.raw.get("operationId", "")) or by_label.get(case.operation.label)

    def stop_run() -> None:
        if stream_box:
            stream_box[0].stop()

    @schema.auth()
    class _Provider:
        """Credentials for every generated case that carries them."""

        def get(self, case: Any, context: Any) -> Any:
            return True

        def set(self, case: Any, data: Any, context: Any) -> None:
            op = operation_of(case)
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
    with _announcing_cases(limits, operation_of, stop_run):
        yield from _events(stream, by_label, limits, results, redactor, errors)


@contextmanager
def _announcing_cases(limits: Limits, operation_of: Any, stop_run: Any) -> Iterator[None]:
    """For the run: each case schemathesis is about to send (every phase, with or without
    credentials) tells `limits` its operation and phase, so the requests it and its checks send are
    counted there; a case over its operation's limit ends that phase, one over the run's ends the run."""
    from schemathesis import hook, hooks

    phase_stop = _phase_stop()

    def before_call(context: Any, case: Any, kwargs: Any) -> None:
        op = operation_of(case)
        if op is None:  # not a case of this run (the hook is process-wide while the run lasts)
            return
        key, phase = op.key, _phase_of(case)
        limits.enter(key, phase)
        refused = limits.refusal(key, phase)
        if refused is None:
            return
        if refused.run_wide:
            limits.stopped = limits.stopped or refused.reason
            stop_run()
        else:
            limits.capped.setdefault(key, refused.reason)
        raise phase_stop(refused.reason)

    hook("before_call")(before_call)
    try:
        yield
    finally:
        hooks.unregister(before_call)


def _events(stream: Any, by_label: dict[str, Operation], limits: Limits, results: dict[str, OperationResult],
            redactor: Redactor, errors: list[str]) -> Iterator[Any]:
    from schemathesis.engine import events

    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            op = by_label.get(event.recorder.label)
            if op is None:
                continue
            result = results[op.key]
            _collect(event.recorder, op, result, redactor)
            yield OperationFinished(result, str(event.phase.value if hasattr(event.phase, "value") else event.phase))
        elif isinstance(event, events.NonFatalError):
            if _is_limit(event.value):
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
        if limits.deadline is not None and time.monotonic() >= limits.deadline:
            limits.stopped = limits.stopped or "--max-time reached"
            stream.stop()


def _phase_of(case: Any) -> str:
    meta = getattr(case, "meta", None)
    phase = getattr(getattr(meta, "phase", None), "name", None)
    return str(getattr(phase, "value", phase) or "unknown")


def _is_limit(error: BaseException) -> bool:
    """An error that only says a limit kept a request from being sent (not a finding)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, LimitReached) or "LimitReached" in repr(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return False


def _collect(recorder: Any, op: Operation, result: OperationResult, redactor: Redactor) -> None:
    """Answers by status (valid requests of the operation's own method apart: they decide whether
    credentials were refused), the slowest answer, and each failed check with its curl line."""
    for case_id, interaction in recorder.interactions.items():
        if interaction.response is None:
            continue
        result.observe(float(interaction.response.elapsed) * 1000)
        node = recorder.cases.get(case_id)
        own = node is not None and node.parent_id is None and str(node.value.method).upper() == op.method.upper()
        result.answered(interaction.response.status_code, own_method=own, valid=own and _is_valid_data(node.value))
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


def _is_valid_data(case: Any) -> bool:
    """Generated to be accepted (schemathesis' positive mode). Only requests of the operation's own
    method that no check derived from another (ignored_auth's, sent without credentials) are asked."""
    mode = getattr(getattr(getattr(case, "meta", None), "generation", None), "mode", None)
    return mode is None or str(getattr(mode, "value", mode)) == "positive"


def _stream(settings: CheckSettings, contract: Contract, op: Operation, url: str, credentials: Credentials,
            limits: Limits, result: OperationResult, redactor: Redactor) -> Iterator[Any]:
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
        limits.take(op.key, "stream")
        built = client.build_request(req.method, req.url, headers=req.headers, params=req.query or None,
                                     cookies=req.cookies or None, json=req.body)
        response = client.send(built, stream=True)
        try:
            yield response
        finally:
            response.close()

    try:
        outcome = check.run(request, send, redactor)
    except LimitReached:
        return
    finally:
        client.close()
    result.checks_run.update(c for c in STREAM_CHECKS if settings.wants(c))
    for ms in outcome.elapsed_ms:
        result.observe(ms)
    for status in outcome.statuses:
        result.answered(status)
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
