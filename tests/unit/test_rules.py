"""rules.py: the rules file is checked at start, and matched on operationId, parameters and body."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.behaviours.context import Fault
from mock_server.contracts.loading import load_contracts
from mock_server.errors import SettingsError
from mock_server.serve.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = [o for c in load_contracts([ROOT / "openapi", ROOT / "tests" / "contracts" / "control"]) for o in c.operations]
CHAT = next(o for o in OPERATIONS if o.operation_id == "createChatCompletion")
ITEM = next(o for o in OPERATIONS if o.operation_id == "createItem")


def rules(tmp_path: Path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return load_rules(path, OPERATIONS)


def test_a_full_rule_loads(tmp_path: Path) -> None:
    (rule,) = rules(tmp_path, """
rules:
  - name: refunds
    match:
      operationId: createChatCompletion
      params: {orgId: ".*"}
      body: {path: "$.messages[-1].content", regex: "refund"}
    reply: Refunded.
    delay: [10, 20]
    fault: {cut_stream: 3}
    sequence: [429, 429, ok]
    pacing: {ttft: 5, tokens_per_second: 100}
""")
    assert rule.name == "refunds" and rule.reply == "Refunded." and rule.delay == (10, 20)
    assert rule.fault == Fault("cut_stream", 3) and rule.sequence == (429, 429, None)
    assert (rule.ttft_ms, rule.tokens_per_second) == (5.0, 100.0)


def test_matching_on_body_path_and_params(tmp_path: Path) -> None:
    (rule,) = rules(tmp_path, """
- match:
    operationId: createChatCompletion
    params: {orgId: "acme-.*"}
    body: {path: "$.messages[-1].content", regex: "(?i)refund"}
  status: 429
""")
    body = {"messages": [{"role": "user", "content": "hi"}, {"role": "user", "content": "I want a REFUND"}]}
    assert rule.matches(CHAT, {"orgId": "acme-1"}, {}, {}, body, b"")
    assert not rule.matches(CHAT, {"orgId": "other"}, {}, {}, body, b"")
    assert not rule.matches(CHAT, {"orgId": "acme-1"}, {}, {}, {"messages": [{"content": "hello"}]}, b"")
    assert not rule.matches(ITEM, {"orgId": "acme-1"}, {}, {}, body, b"")


def test_raw_body_regex_equals_and_headers(tmp_path: Path) -> None:
    first, second = rules(tmp_path, """
- match: {body: {regex: "urgent"}, headers: {X-Tenant: beta}}
  delay: 5
- match: {body: {path: "$.name", equals: "x"}}
  status: 503
""")
    assert first.matches(ITEM, {}, {}, {"x-tenant": "beta"}, None, b'{"name": "urgent"}')
    assert not first.matches(ITEM, {}, {}, {}, None, b'{"name": "urgent"}')
    assert second.matches(ITEM, {}, {}, {}, {"name": "x"}, b"")
    assert not second.matches(CHAT, {}, {}, {}, {"name": "x"}, b"")  # CHAT does not declare 503


@pytest.mark.parametrize(("text", "message"), [
    ("- match: {operationId: nope}\n  status: 500", "rule 0: no loaded contract declares operationId 'nope'"),
    ("- match: {operationId: createChatCompletion}\n  status: 418", "status 418 is not declared by createChatCompletion"),
    ("- match: {}\n  reply: a\n- match: {}\n  fault: explode", "rule 1: unknown fault 'explode'"),
    ("- match: {}\n  fault: {hang: 90000}", "above the bound"),
    ("- match: {body: {path: '$[[', regex: a}}\n  delay: 1", "not a JSONPath"),
    ("- match: {params: {a: '('}}\n  delay: 1", "not a regular expression"),
    ("- match: {}\n", "no action"),
    ("- match: {}\n  delay: [5, 1]", "'delay'"),
    ("- match: {}\n  sequence: [503, maybe]", "'sequence'"),
    ("- match: {}\n  status: 500\n  sequence: [500]", "either 'status' or 'sequence'"),
    ("- name: x\n  when: {}\n  delay: 1", "rule 0 (x): unknown key(s) when"),
    ("rules: [\n", "cannot be read"),
])
def test_bad_files_name_the_file_and_rule(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError) as info:
        rules(tmp_path, text)
    assert str(tmp_path / "rules.yaml") in str(info.value)
    assert message in str(info.value)
