"""What `serve` and `mock-server contracts` print about the loaded contracts: a table of their
operations, and warnings about contracts whose errors will fall back to problem+json."""

from __future__ import annotations

from .index import Contract


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
    return warnings
