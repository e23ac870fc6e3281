"""Admin endpoints under /__mock, a prefix no contract may use (contracts.check_clashes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .contracts import ADMIN_PREFIX
from .render import Reply, send_reply

if TYPE_CHECKING:
    from .app import MockApp


def is_admin_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def describe_contracts(app: "MockApp") -> list[dict[str, Any]]:
    return [
        {
            "name": contract.name,
            "title": contract.title,
            "version": contract.version,
            "openapi": contract.openapi,
            "base_path": contract.base_path,
            "operations": [
                {
                    "operationId": op.operation_id,
                    "method": op.method,
                    "path": op.route,
                    "statuses": list(op.statuses),
                    "behaviour": "custom" if op.operation_id in app.registry else "generic",
                }
                for op in contract.operations
            ],
        }
        for contract in app.contracts
    ]


async def handle(app: "MockApp", scope: dict[str, Any], receive: Any, send: Any) -> None:
    path = scope["path"][len(ADMIN_PREFIX):].strip("/")
    method = scope["method"]
    if path == "health" and method in ("GET", "HEAD"):
        reply = Reply(200, {"status": "ok", "contracts": len(app.contracts), "operations": len(app.operations)})
    elif path == "contracts" and method == "GET":
        reply = Reply(200, {"contracts": describe_contracts(app)})
    else:
        reply = Reply(404, {"status": 404, "title": "Not Found", "detail": f"no admin endpoint {method} {scope['path']}"})
    await send_reply(reply, send, receive, head=method == "HEAD")
