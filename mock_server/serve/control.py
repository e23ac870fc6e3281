"""What this request should get, decided in one place: Prefer header, rules file, latency, chaos.

The result is a frozen `Directive`; behaviours read it, nothing else reads the Prefer header or the
rules. Precedence, field by field: `Prefer` > the first matching rule > `--latency` /
`--error-rate`. Every choice that is random (a delay in a range, whether `--error-rate` fires and
which status it picks) is drawn from the request's seed, so the same request gets the same answer.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ..behaviours.context import NO_DIRECTIVE, Directive
from ..behaviours.reply import Reply
from ..contracts.index import Contract, Operation
from ..errors import ForcedStatus, RequestInvalid
from ..settings import ServeSettings
from ..state.store import Store
from .rules import Rule, RuleConflict, RuleError, build_rule, load_rules, operations_by_id

MAX_DELAY_MS = 60_000
RETRY_AFTER_SECONDS = 1


def parse_prefer(header: str) -> dict[str, str]:
    """`Prefer: code=429, example="x"; dynamic=true` → {'code': '429', ...} (RFC 7240, lenient)."""
    preferences: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name:
            preferences[name] = value.strip().strip('"')
    return preferences


def directive_from_prefer(header: str, operation: Operation) -> Directive:
    """Read `code`, `example`, `dynamic` and `delay`; a bad value is the client's error (400)."""
    if not header:
        return NO_DIRECTIVE
    preferences = parse_prefer(header)
    return Directive(
        status=_status(preferences.get("code"), operation),
        example=preferences.get("example") or None,
        dynamic=preferences.get("dynamic", "").lower() == "true",
        delay_ms=_delay(preferences.get("delay")),
    )


def _status(text: str | None, operation: Operation) -> int | None:
    if text is None:
        return None
    declared = ", ".join(operation.statuses)
    if not text.isdigit() or not 100 <= int(text) <= 599:
        raise RequestInvalid(f"Prefer: code={text} is not an HTTP status; this operation declares {declared}")
    status = int(text)
    if not operation.declares(status) and ("default" not in operation.responses or status < 200):
        raise RequestInvalid(f"Prefer: code={status} is not declared by {operation.operation_id}; it declares {declared}")
    return status  # a status only `default` covers is answered with `default`'s body and that status


def _delay(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or int(text) > MAX_DELAY_MS:
        raise RequestInvalid(f"Prefer: delay={text} is not a number of milliseconds from 0 to {MAX_DELAY_MS}")
    return int(text)


def prefer_header(headers: Mapping[str, str]) -> str:
    return headers.get("prefer", "")


def chaos_statuses(operation: Operation) -> tuple[int, ...]:
    """The statuses `--error-rate` may pick for an operation: its declared 5xx and 429."""
    statuses = []
    for text in operation.statuses:
        if text.isdigit() and (text.startswith("5") or text == "429"):
            statuses.append(int(text))
        elif text == "5XX":
            statuses.append(503)
    return tuple(sorted(set(statuses)))


class Control:
    """The rules, latency and error rate of one run, applied to each request in `decide`.

    Rules come from two places: the file given with `--rules` (checked at start) and runtime rules
    added over HTTP (`add_rule`), which live in the store so every worker and replica sees them.
    Runtime rules are tried first; each process keeps them compiled until the store's version changes.
    """

    def __init__(self, settings: ServeSettings, contracts: Iterable[Contract], state: Store) -> None:
        operations = [op for contract in contracts for op in contract.operations]
        self.file_rules: tuple[Rule, ...] = load_rules(settings.rules, operations) if settings.rules else ()
        self.latency = settings.latency_ms
        self.error_rate = settings.error_rate
        self.state = state
        self._by_id = operations_by_id(operations)
        self._chaos = {op.key: chaos_statuses(op) for op in operations}
        self._runtime: tuple[Rule, ...] = ()
        self._runtime_version = 0

    async def rules(self) -> tuple[Rule, ...]:
        """Runtime rules (newest compile from the store), then the file's, in the order they are tried."""
        version = await self.state.rules_version()
        if version != self._runtime_version:
            compiled = []
            for raw in await self.state.runtime_rules():
                try:
                    compiled.append(build_rule(raw, self._by_id))
                except RuleError:  # checked when added; another replica may have other contracts
                    continue
            self._runtime, self._runtime_version = tuple(compiled), version
        return self._runtime + self.file_rules if self._runtime else self.file_rules

    async def add_rule(self, raw: Any) -> Rule:
        """Check a rule posted at run time and store it; RuleError names what is wrong or taken."""
        rule = build_rule(raw, self._by_id)
        if any(existing.name == rule.name for existing in self.file_rules):
            raise RuleConflict(f"a rule named {rule.name!r} exists in the rules file; choose another name")
        if not await self.state.add_rule(rule.definition):
            raise RuleConflict(f"a runtime rule named {rule.name!r} exists already; DELETE /__mock/rules/{rule.name} first")
        return rule

    async def remove_rule(self, name: str) -> bool:
        removed = await self.state.remove_rule(name)
        if removed:
            await self.state.forget_count(f"rule:{name}")  # re-added, its sequence starts over
        return removed

    async def first_rule(self, rules: Iterable[Rule], operation: Operation, request: Any) -> Rule | None:
        """The first rule that matches and is not used up (`times`: counted in the store, so across
        workers); a used-up rule is passed over as if it were not there."""
        for rule in rules:
            if not rule.matches(
                operation, request.path_params, request.query, request.headers, request.body, request.raw_body
            ):
                continue
            if rule.times is not None and await self.state.increment(rule.counter) > rule.times:
                continue
            return rule
        return None

    async def decide(self, prefer: Directive, operation: Operation, request: Any, seed: int) -> Directive:
        """The directive for a validated request: Prefer over the first matching rule over the run's flags."""
        chaos = self._chaos.get(operation.key, ())
        rules = await self.rules()
        if not rules and not (chaos and self.error_rate > 0) and self.latency == (0, 0):
            return prefer  # nothing to decide: no RNG to seed, no copy (the default run, every request)
        rng = random.Random(seed ^ 0x5EED_C0DE)
        rule = await self.first_rule(rules, operation, request) if rules else None
        status = prefer.status
        delay_ms = prefer.delay_ms
        directive = prefer
        if rule is not None:
            rule_status = rule.status
            if rule.sequence:
                step = await self.state.increment(rule.counter) - 1
                rule_status = rule.sequence[step] if step < len(rule.sequence) else None
            status = status if status is not None else rule_status
            if delay_ms is None and rule.delay is not None:
                delay_ms = rng.randint(*rule.delay)
            directive = replace(
                directive,
                example=directive.example if directive.example is not None else rule.example,
                reply_text=rule.reply,
                ttft_ms=rule.ttft_ms,
                tokens_per_second=rule.tokens_per_second,
                fault=rule.fault,
                rule=rule.name,
            )
        roll, pick = rng.random(), rng.randrange(1 << 30)
        if status is None and chaos and self.error_rate > 0 and roll < self.error_rate:
            status = chaos[pick % len(chaos)]
        if delay_ms is None and self.latency != (0, 0):
            delay_ms = rng.randint(*self.latency)
        return replace(directive, status=status, delay_ms=delay_ms)

    def latency_for(self, seed: int) -> int:
        """`--latency` for an answer that never reached `decide` (rejected by auth or validation)."""
        return random.Random(seed).randint(*self.latency) if self.latency != (0, 0) else 0

    def enforce(self, directive: Directive, operation: Operation) -> None:
        """An error status asked for by Prefer, a rule or chaos is answered before any behaviour runs,
        with the declared example `Prefer: example=` names (which must be one of that status)."""
        if directive.status is None or directive.status < 400:
            return
        example = directive.example
        if example is not None:
            response = operation.response_for(directive.status)
            names = [name for media in (response.content.values() if response else ()) for name, _ in media.examples]
            if example not in names:
                raise RequestInvalid(f"Prefer: example={example} is not declared for {directive.status}; "
                                     f"declared: {', '.join(names) or 'none'}")
        source = "a rule" if directive.rule else "Prefer or --error-rate"
        raise ForcedStatus(f"{directive.status} was asked for ({source})", status=directive.status, example=example)

    def finish(self, reply: Reply, operation: Operation) -> Reply:
        """Last touches every answer gets: a short `Retry-After` on 429/503 where the contract declares one."""
        if reply.status not in (429, 503) or not any(k.lower() == "retry-after" for k, _ in reply.headers):
            return reply
        response = operation.response_for(reply.status)
        declared = next((h for h in response.headers if h.name.lower() == "retry-after"), None) if response else None
        if declared is None or not _numeric(declared.schema):
            return reply
        headers = tuple((k, str(RETRY_AFTER_SECONDS) if k.lower() == "retry-after" else v) for k, v in reply.headers)
        return replace(reply, headers=headers)


def _numeric(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds or "number" in kinds:
        return True
    return any(_numeric(s) for key in ("anyOf", "oneOf", "allOf") for s in schema.get(key) or [])
