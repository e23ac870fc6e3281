"""control.py (with faults.py): Prefer > rules > --latency / --error-rate, sequences, Retry-After."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson

from mock_server.behaviours.context import NO_DIRECTIVE, Directive, Fault, Request
from mock_server.behaviours.reply import Reply
from mock_server.contracts.loading import load_contracts
from mock_server.media.sse import sse_event
from mock_server.serve.control import Control, chaos_statuses
from mock_server.serve.faults import shape_reply
from mock_server.settings import ServeSettings
from mock_server.state.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = load_contracts([ROOT / "openapi", ROOT / "tests" / "contracts" / "control"])
OPS = {o.operation_id: o for c in CONTRACTS for o in c.operations}
CHAT, ITEM, TEXTS = OPS["createChatCompletion"], OPS["createItem"], OPS["POST-ai-generate-description"]


def request(body: object = None, **path_params: str) -> Request:
    return Request("POST", "/", path_params, {}, {}, {}, "application/json", body, orjson.dumps(body))


class SyncControl:
    """A Control whose coroutines are run to completion, for short tests."""

    def __init__(self, control: Control) -> None:
        self.control = control
        self.state = control.state

    def decide(self, *args: object, **kwargs: object) -> Directive:
        return asyncio.run(self.control.decide(*args, **kwargs))  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self.control, name)
        if asyncio.iscoroutinefunction(attribute):
            return lambda *args, **kwargs: asyncio.run(attribute(*args, **kwargs))
        return attribute


def control(tmp_path: Path | None = None, rules: str | None = None, **settings: object) -> SyncControl:
    path = None
    if rules is not None and tmp_path is not None:
        path = tmp_path / "rules.yaml"
        path.write_text(rules)
    return SyncControl(Control(ServeSettings(rules=path, **settings), CONTRACTS, MemoryStore()))  # type: ignore[arg-type]


def test_no_rules_no_flags_changes_nothing() -> None:
    assert control().decide(NO_DIRECTIVE, CHAT, request({}), seed=1) == NO_DIRECTIVE


def test_sequence_then_normal_and_reset(tmp_path: Path) -> None:
    ctl = control(tmp_path, "- match: {operationId: createItem}\n  sequence: [503, 429, ok]\n")
    statuses = [ctl.decide(NO_DIRECTIVE, ITEM, request({"name": "a"}), seed=1).status for _ in range(4)]
    assert statuses == [503, 429, None, None]
    asyncio.run(ctl.state.reset())
    assert ctl.decide(NO_DIRECTIVE, ITEM, request({"name": "a"}), seed=1).status == 503


def test_first_matching_rule_wins_and_prefer_overrides(tmp_path: Path) -> None:
    ctl = control(tmp_path, """
- name: refunds
  match: {operationId: createChatCompletion, body: {path: "$.messages[-1].content", regex: refund}}
  reply: Refunded.
  status: 429
  delay: 7
  pacing: {ttft: 3}
  fault: {cut_stream: 1}
- match: {operationId: createChatCompletion}
  reply: Other.
""")
    refund = request({"messages": [{"content": "a refund please"}]})
    directive = ctl.decide(NO_DIRECTIVE, CHAT, refund, seed=1)
    assert (directive.reply_text, directive.status, directive.delay_ms, directive.ttft_ms, directive.rule) == (
        "Refunded.", 429, 7, 3.0, "refunds")
    assert directive.fault == Fault("cut_stream", 1)
    assert ctl.decide(NO_DIRECTIVE, CHAT, request({"messages": [{"content": "hi"}]}), seed=1).reply_text == "Other."
    preferred = ctl.decide(Directive(status=200, delay_ms=0), CHAT, refund, seed=1)
    assert (preferred.status, preferred.delay_ms, preferred.reply_text) == (200, 0, "Refunded.")


def test_error_rate_is_deterministic_and_uses_declared_statuses() -> None:
    ctl = control(error_rate=0.5)
    first = [ctl.decide(NO_DIRECTIVE, CHAT, request({}), seed=s).status for s in range(200)]
    again = [ctl.decide(NO_DIRECTIVE, CHAT, request({}), seed=s).status for s in range(200)]
    assert first == again
    assert set(first) == {None, 429, 500}
    assert 60 < first.count(None) < 140
    assert chaos_statuses(OPS["getWithBasic"]) == ()
    assert control(error_rate=1.0).decide(NO_DIRECTIVE, OPS["getWithBasic"], request(), seed=3).status is None


def test_latency_range_unless_a_delay_is_asked_for() -> None:
    ctl = control(latency_ms=(10, 20))
    delays = {ctl.decide(NO_DIRECTIVE, CHAT, request({}), seed=s).delay_ms for s in range(50)}
    assert delays <= set(range(10, 21)) and len(delays) > 1
    assert ctl.decide(Directive(delay_ms=0), CHAT, request({}), seed=1).delay_ms == 0


def test_retry_after_is_a_small_number_of_seconds_where_declared() -> None:
    ctl = control()
    reply = ctl.finish(Reply(429, {}, "application/json", (("Retry-After", "98123"),)), ITEM)
    assert reply.headers == (("Retry-After", "1"),)
    untouched = Reply(200, {}, "application/json", (("Retry-After", "98123"),))
    assert ctl.finish(untouched, ITEM) is untouched


async def _collect(reply: Reply) -> list[bytes]:
    assert reply.events is not None
    return [chunk async for chunk in reply.events]


async def _events(n: int):
    for i in range(n):
        yield sse_event({"i": i})
    yield sse_event("[DONE]")


def test_cut_stream_keeps_n_events_and_no_done() -> None:
    chunks = asyncio.run(_collect(shape_reply(Reply(200, None, "text/event-stream", events=_events(5)), Fault("cut_stream", 2))))
    assert chunks == [sse_event({"i": 0}), sse_event({"i": 1})]


def test_malformed_json_breaks_bodies_and_first_events() -> None:
    broken = shape_reply(Reply(200, {"a": 1, "b": "text"}), Fault("malformed_json"))
    assert isinstance(broken.body, bytes)
    try:
        orjson.loads(broken.body)
    except orjson.JSONDecodeError:
        pass
    else:
        raise AssertionError("the body is still valid JSON")
    chunks = asyncio.run(_collect(shape_reply(Reply(200, None, "text/event-stream", events=_events(2)), Fault("malformed_json"))))
    assert chunks[0] != sse_event({"i": 0}) and chunks[1] == sse_event({"i": 1})
