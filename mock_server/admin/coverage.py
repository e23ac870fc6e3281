"""Contract coverage: which operations, and which of their declared statuses, requests have reached.

Counted by the store as requests are journaled (`Store.coverage`), so the counts outlive the
journal's cap and, with a shared store, add up every worker's requests. A status is mapped to the
response that declares it (`503` → `5XX` where that is how the contract says it); an answer no
response declares (the mock's own 500 when a behaviour fails) is listed apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..serve.pipeline import MockApp


async def coverage_report(app: MockApp) -> dict[str, Any]:
    counts = await app.state.coverage()
    by_operation: dict[str, dict[int, int]] = {}
    for (key, status), count in counts.items():
        by_operation.setdefault(key, {})[status] = count
    operations = []
    declared_total = declared_hit = operations_hit = 0
    for contract in app.contracts:
        for op in contract.operations:
            answered = by_operation.get(op.key, {})
            declared = {status: 0 for status in op.statuses}
            undeclared: dict[str, int] = {}
            for status, count in sorted(answered.items()):
                response = op.response_for(status)
                if response is None:
                    undeclared[str(status)] = undeclared.get(str(status), 0) + count
                else:
                    declared[response.status] += count
            declared_total += len(declared)
            declared_hit += sum(1 for count in declared.values() if count)
            operations_hit += 1 if answered else 0
            operations.append({
                "key": op.key,
                "contract": contract.name,
                "operationId": op.operation_id,
                "method": op.method,
                "path": op.route,
                "requests": sum(answered.values()),
                "statuses": [{"status": status, "count": count} for status, count in declared.items()],
                "undeclared": [{"status": status, "count": count} for status, count in undeclared.items()],
            })
    return {
        "operations": operations,
        "summary": {
            "operations": len(operations),
            "operations_exercised": operations_hit,
            "statuses": declared_total,
            "statuses_exercised": declared_hit,
        },
    }
