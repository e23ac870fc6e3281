"""Pure parts of `check`: SSE parsing, redaction, exit codes, JUnit, the schemathesis document."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from mock_server.check.credentials import REDACTED, Redactor, resolve_token_url
from mock_server.check.handlers import junit_xml
from mock_server.check.report import OperationResult, Report, Violation
from mock_server.check.runner import schemathesis_document
from mock_server.media.sse import SSEParser, parse_sse


def test_sse_events_split_across_chunks_and_line_endings() -> None:
    parser = SSEParser()
    events = [*parser.feed("data: {\"a\"\r\n"), *parser.feed(": comment\n\ndata: [DO"), *parser.feed("NE]\n\n")]
    assert [e.data for e in events] == ['{"a"', "[DONE]"]
    assert [e.data for e in parse_sse("event: x\ndata: 1\ndata: 2")] == ["1\n2"]


def test_redactor_hides_every_secret_and_schemathesis_filter_marks() -> None:
    redact = Redactor(["s3cret-key", "x"])
    assert redact("curl -H 'k: s3cret-key' -H 'a: [Filtered]' x") == f"curl -H 'k: {REDACTED}' -H 'a: {REDACTED}' x"


def test_token_url_moves_to_the_base_url_host_unless_given() -> None:
    assert resolve_token_url("https://api.emporix.io/oauth/token", "http://127.0.0.1:9/", None) == "http://127.0.0.1:9/oauth/token"
    assert resolve_token_url("https://a/t", "http://b", "https://c/token") == "https://c/token"


def _report(violations: list[Violation], errors: list[str] = (),  # type: ignore[assignment]
            statuses: dict[int, int] | None = None, valid: dict[int, int] | None = None, **report: object) -> Report:
    answers = Counter(statuses if statuses is not None else {200: 2, 400: 1})
    result = OperationResult("c.yaml", "op", "GET", "/x", "http://h/x", requests=sum(answers.values()),
                             violations=violations, statuses=answers, valid_statuses=Counter(valid or {}))
    return Report("http://h", [result], errors=list(errors), **report)  # type: ignore[arg-type]


def test_exit_codes() -> None:
    assert _report([]).exit_code == 0
    assert _report([Violation("not_a_server_error", "Server error", "")]).exit_code == 1
    assert _report([], ["unreachable"]).exit_code == 2


def test_coverage_decides_the_exit_code_too() -> None:
    refused = _report([], statuses={401: 5, 400: 2}, valid={401: 5})
    assert refused.results[0].coverage == "credentials refused" and refused.exit_code == 2
    assert refused.results[0].refusals() == "401×5"
    mixed = _report([], statuses={401: 5, 400: 2}, valid={401: 3, 400: 2})  # some valid requests got past auth
    assert mixed.results[0].coverage == "not exercised" and mixed.exit_code == 1
    probes = OperationResult("c", "op", "POST", "/x", "u")
    probes.answered(405, own_method=False)  # the coverage phase's TRACE /x: the router answers first
    probes.answered(403, valid=False)  # an invalid body, refused before validation
    assert probes.coverage == "credentials refused" and probes.refusals() == "403×1"
    assert _report([], statuses={404: 4}, allow_unexercised=True).exit_code == 0
    assert _report([], statuses={302: 1}).results[0].coverage == "exercised"
    untested = _report([], statuses={}, stopped="--max-requests 5 reached")
    assert untested.results[0].coverage == "untested" and untested.exit_code == 1
    assert untested.outcome == "incomplete: 1 untested" and "clean" not in untested.outcome
    assert _report([], stopped="--max-time reached").outcome == "no violations before the run stopped"


def test_violations_are_kept_once_per_check_and_title() -> None:
    result = OperationResult("c", "op", "GET", "/x", "u")
    for value in ("1", "2"):
        result.add(Violation("response_schema_conformance", "Response violates schema", value))
    assert result.failures_by_check() == {"response_schema_conformance": 1}


def test_junit_has_one_failure_per_violation() -> None:
    xml = ET.tostring(junit_xml(_report([Violation("ignored_auth", "t", "m", "curl x")])))
    root = ET.fromstring(xml)
    assert [f.get("type") for f in root.iter("failure")] == ["ignored_auth"]


def test_sse_media_with_an_event_schema_lose_their_placeholder_schema() -> None:
    doc = {"paths": {"/c": {"post": {"responses": {"200": {"content": {
        "text/event-stream": {"schema": {"type": "string"}, "x-sse-event-schema": {"$ref": "#/x"}},
        "application/json": {"schema": {"type": "object"}}}}}}}}}
    out = schemathesis_document(doc)
    content = out["paths"]["/c"]["post"]["responses"]["200"]["content"]
    assert "schema" not in content["text/event-stream"] and "schema" in content["application/json"]
    assert "schema" in doc["paths"]["/c"]["post"]["responses"]["200"]["content"]["text/event-stream"]
