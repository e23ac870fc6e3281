"""The rules file (`--rules FILE`): what matching requests get, checked once at start.

    rules:                                   # or the list itself at the top level
      - name: refunds get a canned answer    # optional; shown in the journal
        match:                               # every condition given must hold; none: every request
          operationId: createChatCompletion  # or a list of operationIds
          params: {orgId: "^acme-.*"}        # path parameters: regular expressions, whole value
          query: {limit: "10"}               # query parameters: same
          headers: {x-tenant: "beta"}        # request headers: same (names case-insensitive)
          body:                              # one condition or a list; all must hold
            path: "$.messages[-1].content"   # JSONPath into the parsed body (omit: the raw body text)
            regex: "refund"                  # searched in the value; or `equals: <value>`
        reply: "Your refund is on its way."  # canned text for behaviours that produce text
        status: 429                          # a declared status (error in the contract's shape) or a 2xx
        example: sold-out                    # a named example the operation declares (needs match.operationId)
        delay: [200, 800]                    # ms, fixed or a range
        fault: reset                         # reset | hang | truncate | cut_stream | malformed_json,
                                             # or {hang: MS} {truncate: BYTES} {cut_stream: EVENTS}
        sequence: [503, 503, ok]             # the first matching calls get these, then normal answers
        pacing: {ttft: 300, tokens_per_second: 20}
        times: 3                             # only the first 3 matching requests; then as if absent

Rules are tried top-down and the first that matches decides. A bad file stops `serve` with a
message naming the file and the rule's index (`SettingsError`).

Runtime rules (`POST /__mock/rules`, one rule of the same shape with a required, unique `name`)
are checked by the same code (`build_rule`, `RuleError`) and tried before the file's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JsonPathParserError
from jsonpath_ng.ext import parse as parse_jsonpath

from ..behaviours.context import Fault
from ..contracts.index import Operation
from ..errors import SettingsError
from .rule_actions import (
    MAX_HANG_MS,
    RuleError,
    parse_delay,
    parse_example,
    parse_fault,
    parse_pacing,
    parse_reply,
    parse_sequence,
    parse_status,
    parse_times,
)

__all__ = ["MAX_HANG_MS", "Rule", "RuleConflict", "RuleError", "build_rule", "load_rules", "operations_by_id"]

ACTIONS = ("reply", "status", "example", "delay", "fault", "sequence", "pacing")
RULE_KEYS = ("name", "match", *ACTIONS, "times")
MATCH_KEYS = ("operationId", "params", "query", "headers", "body")
_MISSING = object()


class RuleConflict(RuleError):
    """A runtime rule whose name is taken (a 409)."""


@dataclass(frozen=True, slots=True)
class BodyCondition:
    path_text: str | None
    path: JSONPath | None
    regex: re.Pattern[str] | None
    equals: Any = _MISSING

    def holds(self, body: Any, raw_body: bytes) -> bool:
        if self.path is None:
            values: list[Any] = [raw_body.decode("utf-8", "replace")]
        else:
            if body is None:
                return False
            try:
                values = [match.value for match in self.path.find(body)]
            except Exception:  # JSONPath on an unexpected shape (a list index into a dict...): no match
                return False
        for value in values:
            if self.equals is not _MISSING and value == self.equals:
                return True
            if self.regex is not None and self.regex.search(value if isinstance(value, str) else _text(value)):
                return True
        return False


def _text(value: Any) -> str:
    import orjson

    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return str(value)


@dataclass(frozen=True, slots=True)
class Rule:
    index: int
    name: str
    operation_ids: frozenset[str] | None
    params: tuple[tuple[str, re.Pattern[str]], ...] = ()
    query: tuple[tuple[str, re.Pattern[str]], ...] = ()
    headers: tuple[tuple[str, re.Pattern[str]], ...] = ()
    body: tuple[BodyCondition, ...] = ()
    reply: str | None = None
    status: int | None = None
    delay: tuple[int, int] | None = None
    fault: Fault | None = None
    sequence: tuple[int | None, ...] = ()  # None: a normal answer
    example: str | None = None  # a declared example to serve by name
    times: int | None = None  # matches its first `times` requests only (counted in the store)
    ttft_ms: float | None = None
    tokens_per_second: float | None = None
    origin: str = "file"  # or "runtime": added with POST /__mock/rules
    definition: Mapping[str, Any] = field(default_factory=dict, compare=False)  # as written, for listing

    @property
    def counter(self) -> str:
        """The store's counter of this rule's sequence or `times`: by name, which is unique across file
        and runtime rules."""
        return f"rule:{self.name}"

    def statuses(self) -> tuple[int, ...]:
        return tuple(s for s in (self.status, *self.sequence) if s is not None)

    def applies_to(self, operation: Operation) -> bool:
        """The operation is named (or none is) and declares every status the rule may send."""
        if self.operation_ids is not None and operation.operation_id not in self.operation_ids:
            return False
        return all(operation.declares(status) for status in self.statuses())

    def matches(
        self,
        operation: Operation,
        path_params: Mapping[str, Any],
        query: Mapping[str, Any],
        headers: Mapping[str, str],
        body: Any,
        raw_body: bytes,
    ) -> bool:
        if not self.applies_to(operation):
            return False
        for source, conditions in ((path_params, self.params), (query, self.query)):
            for name, pattern in conditions:
                if name not in source or not pattern.fullmatch(_scalar(source[name])):
                    return False
        for name, pattern in self.headers:
            if name not in headers or not pattern.fullmatch(headers[name]):
                return False
        return all(condition.holds(body, raw_body) for condition in self.body)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_scalar(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_rules(path: Path, operations: Iterable[Operation]) -> tuple[Rule, ...]:
    """Read and check the rules file against the loaded operations; SettingsError names the problem."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingsError(f"--rules {path}: cannot be read: {exc}") from None
    if document is None:
        return ()
    if isinstance(document, Mapping):
        unknown = set(document) - {"rules"}
        if unknown:
            raise SettingsError(f"--rules {path}: unknown top-level key(s) {', '.join(sorted(map(str, unknown)))}; expected 'rules'")
        document = document.get("rules") or []
    if not isinstance(document, list):
        raise SettingsError(f"--rules {path}: expected a list of rules (or 'rules:' with a list)")
    by_id = operations_by_id(operations)
    rules = tuple(_rule(index, raw, path, by_id) for index, raw in enumerate(document))
    names = [rule.name for rule in rules]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SettingsError(f"--rules {path}: rule names must be unique; used more than once: {', '.join(twice)}")
    return rules


def operations_by_id(operations: Iterable[Operation]) -> dict[str, list[Operation]]:
    by_id: dict[str, list[Operation]] = {}
    for operation in operations:
        by_id.setdefault(operation.operation_id, []).append(operation)
    return by_id


def build_rule(raw: Any, by_id: Mapping[str, list[Operation]], *, origin: str = "runtime") -> Rule:
    """One runtime rule, checked as the file's are; its `name` is required. Raises RuleError."""
    if isinstance(raw, Mapping) and not (isinstance(raw.get("name"), str) and raw["name"].strip()):
        raise RuleError("a runtime rule needs a 'name' (a non-empty string), unique among the rules")
    return _build(-1, raw, by_id, origin=origin)


def _rule(index: int, raw: Any, path: Path, by_id: Mapping[str, list[Operation]]) -> Rule:
    try:
        return _build(index, raw, by_id)
    except RuleError as exc:
        name = raw.get("name") if isinstance(raw, Mapping) else None
        label = f"rule {index}" + (f" ({name})" if name else "")
        raise SettingsError(f"--rules {path}: {label}: {exc}") from None


def _build(index: int, raw: Any, by_id: Mapping[str, list[Operation]], *, origin: str = "file") -> Rule:
    if not isinstance(raw, Mapping):
        raise RuleError("a rule is a mapping with 'match' and actions")
    unknown = set(raw) - set(RULE_KEYS)
    if unknown:
        raise RuleError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(RULE_KEYS)}")
    match = raw.get("match") or {}
    if not isinstance(match, Mapping):
        raise RuleError("'match' must be a mapping")
    unknown = set(match) - set(MATCH_KEYS)
    if unknown:
        raise RuleError(f"unknown match key(s) {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(MATCH_KEYS)}")
    operation_ids = _operation_ids(match.get("operationId"), by_id)
    if not any(raw.get(key) is not None for key in ACTIONS):
        raise RuleError(f"no action: give at least one of {', '.join(ACTIONS)}")
    status = parse_status(raw.get("status"), "status")
    sequence = parse_sequence(raw.get("sequence"))
    if status is not None and sequence:
        raise RuleError("give either 'status' or 'sequence', not both")
    times = parse_times(raw.get("times"))
    if times is not None and sequence:
        raise RuleError("give either 'sequence' or 'times', not both: a sequence counts its own steps")
    example = parse_example(raw.get("example"), operation_ids, by_id)
    ttft, tps = parse_pacing(raw.get("pacing"))
    rule = Rule(
        index=index,
        name=str(raw.get("name") or f"rule {index}"),
        operation_ids=operation_ids,
        params=_patterns(match.get("params"), "params"),
        query=_patterns(match.get("query"), "query"),
        headers=tuple((name.lower(), pattern) for name, pattern in _patterns(match.get("headers"), "headers")),
        body=_body_conditions(match.get("body")),
        reply=parse_reply(raw.get("reply")),
        status=status,
        delay=parse_delay(raw.get("delay")),
        fault=parse_fault(raw.get("fault")),
        sequence=sequence,
        example=example,
        times=times,
        ttft_ms=ttft,
        tokens_per_second=tps,
        origin=origin,
        definition=dict(raw),
    )
    if operation_ids is not None:
        for operation_id in sorted(operation_ids):
            for operation in by_id[operation_id]:
                undeclared = [s for s in rule.statuses() if not operation.declares(s)]
                if undeclared:
                    raise RuleError(
                        f"status {undeclared[0]} is not declared by {operation_id} "
                        f"(it declares {', '.join(operation.statuses)})"
                    )
    return rule


def _operation_ids(value: Any, by_id: Mapping[str, list[Operation]]) -> frozenset[str] | None:
    if value is None:
        return None
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise RuleError("'match.operationId' must be an operationId or a list of them")
    for operation_id in ids:
        if operation_id not in by_id:
            known = ", ".join(sorted(by_id)) or "none"
            raise RuleError(f"no loaded contract declares operationId {operation_id!r} (known: {known})")
    return frozenset(ids)


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    if isinstance(pattern, bool) or not isinstance(pattern, (str, int, float)):
        raise RuleError(f"{where}: expected a regular expression (a string)")
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise RuleError(f"{where}: {pattern!r} is not a regular expression: {exc}") from None


def _patterns(value: Any, where: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise RuleError(f"'match.{where}' must map names to regular expressions")
    return tuple((str(name), _compile(pattern, f"match.{where}.{name}")) for name, pattern in value.items())


def _body_conditions(value: Any) -> tuple[BodyCondition, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    conditions = []
    for item in items:
        if isinstance(item, str):
            item = {"regex": item}
        if not isinstance(item, Mapping) or set(item) - {"path", "regex", "equals"}:
            raise RuleError("'match.body' takes {path: JSONPath, regex: ...} or {path: ..., equals: ...}")
        if "regex" not in item and "equals" not in item:
            raise RuleError("'match.body' needs 'regex' or 'equals'")
        jsonpath = None
        if item.get("path") is not None:
            try:
                jsonpath = parse_jsonpath(str(item["path"]))
            except (JsonPathParserError, Exception) as exc:  # the parser raises several types
                raise RuleError(f"match.body.path {item['path']!r} is not a JSONPath expression: {exc}") from None
        regex = _compile(item["regex"], "match.body.regex") if "regex" in item else None
        conditions.append(BodyCondition(item.get("path"), jsonpath, regex, item.get("equals", _MISSING)))
    return tuple(conditions)
