"""What a test holds of a running mock: `MockServer`, in the style of pytest-httpserver and respx.

    def test_checkout_survives_an_outage(mock_server):
        with mock_server.rule(match={"operationId": "createPayment"}, status=503):
            assert checkout(mock_server.url) == "try again later"
        mock_server.assert_called("createPayment", times=1)
        sent = mock_server.requests(operation_id="createPayment")[0]
        assert sent.body["amount"] == 12 and sent.headers["authorization"] == "***"

Everything goes over HTTP to the mock's admin endpoints (`/__mock/rules`, `/__mock/requests`,
`/__mock/reset`), so the same handle drives a mock started for the test or one already running
(`--mock-url`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import quote

import httpx

PREFERENCES = ("code", "example", "dynamic", "delay")
_names = count(1)


class RuleRejected(Exception):
    """The mock refused a rule (400: it cannot be used; 409: its name is taken); says why."""


class JournalFull(Exception):
    """The journal holds as many entries as it can: older requests may have been dropped."""


@dataclass(frozen=True)
class Exchange:
    """One request the mock received and what it answered, as the journal recorded it: credentials
    are `***`, bodies longer than 4096 characters are clipped to a string."""

    method: str
    path: str
    query: dict[str, Any]
    operation_id: str | None
    status: int
    headers: dict[str, str]
    body: Any
    response_body: Any
    response_media_type: str | None
    streamed: bool
    rule: str | None
    fault: str | None
    validation_errors: list[str]
    time: str
    latency_ms: float
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Exchange:
        response = entry.get("response") or {}
        return cls(
            method=entry["method"], path=entry["path"], query=dict(entry.get("query") or {}),
            operation_id=entry.get("operationId"), status=int(entry["status"]),
            headers=dict(entry.get("headers") or {}),
            body=entry.get("body"), response_body=response.get("body"), response_media_type=response.get("media_type"),
            streamed=bool(response.get("stream")), rule=entry.get("rule"), fault=entry.get("fault"),
            validation_errors=list(entry.get("validation_errors") or []), time=entry.get("time", ""),
            latency_ms=float(entry.get("latency_ms") or 0.0), raw=dict(entry),
        )

    def describe(self) -> str:
        return f"{self.method} {self.path} ({self.operation_id or 'no operation'}) → {self.status}"


def _status_matches(status: int, wanted: int | str | None) -> bool:
    """`wanted` is a status (429), a class ("4xx"), or None (any)."""
    if wanted is None:
        return True
    if isinstance(wanted, str) and len(wanted) == 3 and wanted[1:].lower() == "xx":
        return str(status)[0] == wanted[0]
    return status == int(wanted)


class MockServer:
    """A running mock, for one test: its URL, rules for a block, the journal, call assertions."""

    def __init__(self, url: str, *, client: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self._client = client or httpx.Client(base_url=self.url, timeout=30.0)

    def __repr__(self) -> str:
        return f"<MockServer {self.url}>"

    def close(self) -> None:
        self._client.close()

    # --- controlling answers ------------------------------------------------------------------

    @contextmanager
    def rule(self, spec: Mapping[str, Any] | None = None, /, **keys: Any) -> Iterator[dict[str, Any]]:
        """A rule of the rules file's shape (`match`, `reply`, `status`, `delay`, `fault`,
        `sequence`, `pacing`; `name` optional), in force for the `with` block: tried before the
        rules file's, removed when the block ends (even on an exception). Yields the rule as the
        mock holds it. `RuleRejected` says why the mock refused it."""
        rule = {**(spec or {}), **keys}
        rule.setdefault("name", f"pytest rule {next(_names)}")
        response = self._client.post("/__mock/rules", json=rule)
        if response.status_code != 201:
            raise RuleRejected(f"the mock refused rule {rule['name']!r} ({response.status_code}): {_detail(response)}")
        try:
            yield response.json()
        finally:
            self._client.delete("/__mock/rules/" + quote(str(rule["name"]), safe=""))

    def prefer(self, *, code: int | None = None, example: str | None = None, dynamic: bool | None = None,
               delay: int | None = None) -> dict[str, str]:
        """The `Prefer` header forcing a state for one request the test sends itself:
        `client.get(url, headers=mock_server.prefer(code=429))`. For requests the code under test
        sends, use `rule` instead."""
        parts = []
        for name, value in (("code", code), ("example", example), ("dynamic", dynamic), ("delay", delay)):
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            parts.append(f'{name}="{value}"' if name == "example" else f"{name}={value}")
        if not parts:
            raise ValueError(f"prefer() needs at least one of {', '.join(PREFERENCES)}")
        return {"Prefer": ", ".join(parts)}

    def reset(self) -> None:
        """Forget the journal, runtime rules, rule sequences and counters, quotas and minted tokens."""
        self._client.post("/__mock/reset").raise_for_status()

    # --- the journal ---------------------------------------------------------------------------

    def requests(self, operation_id: str | None = None, status: int | str | None = None, *,
                 method: str | None = None, path: str | None = None) -> list[Exchange]:
        """The recorded exchanges, oldest first, those matching every filter given: an operationId,
        a status (429) or class ("4xx"), a method, a path. `JournalFull` when older ones may be lost."""
        answer = self._client.get("/__mock/requests", params={"limit": 1_000_000})
        answer.raise_for_status()
        journal = answer.json()
        entries = journal["requests"]
        if len(entries) >= journal.get("capacity", float("inf")):
            raise JournalFull(f"the journal holds its maximum of {journal['capacity']} entries: older ones were "
                              "dropped (reset between tests, or make fewer requests per test)")
        found = [Exchange.from_entry(entry) for entry in reversed(entries)]
        return [
            e for e in found
            if (operation_id is None or e.operation_id == operation_id) and _status_matches(e.status, status)
            and (method is None or e.method == method.upper()) and (path is None or e.path == path)
        ]

    def assert_called(self, operation_id: str, times: int | None = None, *, status: int | str | None = None
                      ) -> list[Exchange]:
        """That `operation_id` was called (exactly `times` times, if given; with that status, if
        given); the matching exchanges. The failure lists what was called instead."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        found = self.requests(operation_id=operation_id, status=status)
        if (times is None and found) or (times is not None and len(found) == times):
            return found
        wanted = "at least once" if times is None else f"{times} time{'s' * (times != 1)}"
        with_status = f" with status {status}" if status is not None else ""
        seen = self.requests()
        listing = "\n".join(f"  {e.describe()}" for e in seen[-20:]) or "  (nothing)"
        raise AssertionError(
            f"expected {operation_id}{with_status} to be called {wanted}, it was called {len(found)} "
            f"time{'s' * (len(found) != 1)}; the mock received:\n{listing}"
        )

    def assert_not_called(self, operation_id: str) -> None:
        __tracebackhide__ = True
        self.assert_called(operation_id, times=0)


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail") or response.text)
    except ValueError:
        return response.text
