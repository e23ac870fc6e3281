"""What `serve` and `mock-server contracts` print about the loaded contracts: a table of their
operations, and warnings: contracts whose errors will fall back to problem+json, and declared
examples that do not fit their schema (never served, so never silently dropped either)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .index import Contract, Operation
from .schema import Schema
from .validators import compile_validator, describe_error


def contract_table(contracts: tuple[Contract, ...]) -> str:
    """The contracts and their operations, as a plain-text table."""
    rows = [("CONTRACT", "METHOD", "PATH", "OPERATION")]
    for contract in contracts:
        for op in contract.operations:
            rows.append((contract.name, op.method, op.route, op.operation_id))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def contract_warnings(contracts: tuple[Contract, ...]) -> list[str]:
    warnings = []
    for contract in contracts:
        if not contract.declares_errors:
            warnings.append(
                f"{contract.name}: declares no error responses; invalid requests get problem+json (add 4xx responses)"
            )
        for operation in contract.operations:
            warnings.extend(f"{contract.path}: {line}" for line in example_problems(operation))
    return warnings


def example_problems(operation: Operation) -> Iterator[str]:
    """One line per declared response or header example that breaks its schema: operation, status,
    where, the example's name and why."""
    for status, response in operation.responses.items():
        where = f"{operation.operation_id} {status}"
        for media_type, media in response.content.items():
            if media.schema is None or not media.examples:
                continue
            for name, value in media.examples:
                reason = _misfit(media.schema, operation.response_defs, value)
                if reason:
                    yield f"{where} {media_type}: example '{name}' does not fit its schema ({reason}); it is not served"
        for header in response.headers:
            for value in header.examples:
                reason = _misfit(header.schema, operation.response_defs, value)
                if reason:
                    yield (f"{where} header {header.name}: example {value!r} does not fit its schema ({reason}); "
                           "it is not served")


def _misfit(schema: Schema, defs: Any, value: Any) -> str | None:
    """Why `value` breaks `schema`, or None when it fits."""
    try:
        errors = list(compile_validator(schema, defs).iter_errors(value))
    except ValueError as exc:  # a value YAML made non-JSON (a date): no JSON document can carry it
        return str(exc)
    return describe_error(errors[0], "example") if errors else None
