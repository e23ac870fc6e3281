"""Compiling on first use changes no byte: every operation answers the same whether it was compiled
before the first request (the background warm-up), on demand, or after its neighbours."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from mock_server.app import create_app
from mock_server.contracts.index import Operation
from mock_server.contracts.loading import load_contracts
from mock_server.generate import Source, compile_schema, new_faker
from mock_server.serve import compiled
from mock_server.serve.pipeline import MockApp
from mock_server.settings import ServeSettings
from tests.fixtures.corpus import header_credentials

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "openapi", *sorted(p for p in (ROOT / "tests" / "contracts").iterdir() if p.is_dir() and p.name != "corpus")]
FAKER = new_faker()


def value_for(schema: Any, defs: Any, seed: int) -> Any:
    return compile_schema(schema, defs)(Source.from_seed(seed, FAKER))


def requests_for(operation: Operation, seed: int) -> list[tuple[str, str, dict[str, str], bytes]]:
    """A request built from the operation's own schemas, then the same asking for each declared
    status (`Prefer: code=`), then one with a body that breaks its schema: every response compiled."""
    path = operation.route
    headers, query = header_credentials(operation)
    for parameter in operation.parameters:
        if not parameter.required and parameter.location != "path":
            continue
        raw = value_for(parameter.schema, operation.request_defs, seed)
        text = ",".join(map(str, raw)) if isinstance(raw, list) else str(raw).lower() if isinstance(raw, bool) else str(raw)
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", quote(text, safe="") or "x")
        elif parameter.location == "query":
            query[parameter.name] = text
        elif parameter.location == "header":
            headers[parameter.name] = text
    url = path + ("?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items()) if query else "")
    body = b""
    content = operation.request_body.content if operation.request_body else {}
    if "application/json" in content and content["application/json"].schema is not None:
        headers["Content-Type"] = "application/json"
        body = httpx.Request("POST", "http://x", json=value_for(content["application/json"].schema,
                                                              operation.request_defs, seed)).content
    plain = (operation.method, url, headers, body)
    asked = [(operation.method, url, {**headers, "Prefer": f"code={s}"}, body)
             for s in operation.responses if s.isdigit()]
    broken = [(operation.method, url, {**headers, "Content-Type": "application/json"}, b'{"no": ')] if content else []
    return [plain, *asked, *broken]


def answers(app: MockApp, requests: list[tuple[str, str, dict[str, str], bytes]]) -> list[tuple[int, list, bytes]]:
    async def run() -> list[tuple[int, list, bytes]]:
        transport = httpx.ASGITransport(app=app)
        out = []
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            for method, url, headers, body in requests:
                response = await client.request(method, url, headers=headers, content=body)
                out.append((response.status_code, sorted(response.headers.items()), response.content))
        return out
    return asyncio.run(run())


def fresh_app() -> MockApp:
    """Its own contracts: no compiled validator is shared with another app."""
    settings = ServeSettings(contracts=tuple(SOURCES), access_log=False, seed=7)
    return create_app(settings, contracts=load_contracts(SOURCES))


def test_every_operation_answers_the_same_bytes_warm_or_cold() -> None:
    warm = fresh_app()
    for step in warm.operations.warm_up_steps():  # everything compiled before the first request
        step()
    assert warm.operations.compiled_count() == len(warm.operations)
    cold = fresh_app()
    assert cold.operations.compiled_count() == 0  # start-up compiled nothing
    backwards = fresh_app()  # every operation and response compiled, in the reverse order
    for key in reversed(list(backwards.operations)):
        responses = backwards.operations[key].responses.responses
        for status in reversed(list(responses)):
            responses[status]
    operations = [op for contract in load_contracts(SOURCES) for op in contract.operations]
    requests = [r for seed, op in enumerate(operations) for r in requests_for(op, seed)]
    expected = answers(warm, requests)
    assert answers(cold, requests) == expected
    assert answers(backwards, requests) == expected
    assert cold.operations.compiled_count() == len(operations)
    statuses = {status for status, _, _ in expected}
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)


def test_the_warm_up_compiles_everything_in_slices_and_yields_between_them() -> None:
    app = fresh_app()
    ticks = 0

    async def run() -> None:
        nonlocal ticks
        task = asyncio.ensure_future(compiled.warm_up(app.operations, lambda: False))
        while not task.done():
            ticks += 1  # the loop ran something else between two slices
            await asyncio.sleep(0)
        await task

    asyncio.run(run())
    assert app.operations.compiled_count() == len(app.operations)
    assert all(not op.responses.responses.uncompiled() for op in app.operations.values())
    assert ticks > 1


def test_the_warm_up_stops_at_its_memory_budget(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app()
    rss = iter(range(0, 10**9, 10**6))  # every look at the RSS finds 1 MB more
    monkeypatch.setattr(compiled, "resident_bytes", lambda: next(rss))
    monkeypatch.setattr(compiled, "WARM_UP_BUDGET_BYTES", 3 * 10**6)
    asyncio.run(compiled.warm_up(app.operations, lambda: False))
    assert 0 < app.operations.compiled_count() < len(app.operations)


def test_an_operation_that_fails_to_compile_answers_500_and_the_others_still_answer(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Compiling moved from start-up to first use: a failure is now that operation's (a logged 500),
    and neither the warm-up nor the other operations stop for it."""
    app = fresh_app()
    operations = [op for contract in app.contracts for op in contract.operations]
    broken, healthy = operations[0], operations[1]
    library = compiled.compile_operation

    def compile_or_fail(operation, *args, **kwargs):  # type: ignore[no-untyped-def]
        if operation.key == broken.key:
            raise ValueError("a pattern the validator library cannot build")
        return library(operation, *args, **kwargs)

    monkeypatch.setattr(compiled, "compile_operation", compile_or_fail)
    asyncio.run(compiled.warm_up(app.operations, lambda: False))
    assert app.operations.compiled_count() == len(operations) - 1
    assert "warm-up: compiling failed" in caplog.text
    (failed,) = answers(app, requests_for(broken, 0)[:1])
    assert failed[0] == 500 and broken.operation_id.encode() in failed[2]
    (answered,) = answers(app, requests_for(healthy, 1)[:1])
    assert answered[0] != 500
