"""Admin endpoints under /__mock, a prefix no contract may use (loading.check_clashes).

    GET  /__mock/health              {"status": "ok", ...}
    GET  /__mock/contracts           the loaded contracts and their operations
    GET  /__mock/requests?limit=N    the journal, newest first (default 50), credentials redacted
    POST /__mock/reset               forget counters, sequences, quotas, minted tokens and the journal
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..behaviours.reply import Reply
from ..contracts.index import ADMIN_PREFIX
from ..serve.journal import requested_limit
from ..serve.render import send_reply

if TYPE_CHECKING:
    from ..serve.pipeline import MockApp

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


def _problem(status: int, title: str, detail: str) -> Reply:
    return Reply(status, {"status": status, "title": title, "detail": detail})


def requests_reply(app: "MockApp", scope: dict[str, Any]) -> Reply:
    try:
        limit = requested_limit(scope.get("query_string", b""))
    except ValueError as exc:
        return _problem(400, "Bad Request", str(exc))
    entries = app.journal.recent(limit)
    # The run's seed: with `--seed random`, what replays this run (`--seed N`).
    return Reply(200, {"requests": entries, "count": len(entries), "capacity": app.state.journal_size,
                       "seed": app.settings.seed})


async def handle(app: "MockApp", scope: dict[str, Any], receive: Any, send: Any) -> None:
    path = scope["path"][len(ADMIN_PREFIX):].strip("/")
    method = scope["method"]
    if path == "health" and method in ("GET", "HEAD"):
        reply = Reply(200, {"status": "ok", "contracts": len(app.contracts), "operations": len(app.operations)})
    elif path == "contracts" and method == "GET":
        reply = Reply(200, {"contracts": describe_contracts(app)})
    elif path == "requests" and method == "GET":
        reply = requests_reply(app, scope)
    elif path == "reset" and method == "POST":
        app.state.reset()
        reply = Reply(200, {"reset": ["counters", "sequences", "quotas", "tokens", "journal"]})
    elif path in ("health", "contracts", "requests", "reset"):
        allow = "POST" if path == "reset" else "GET, HEAD" if path == "health" else "GET"
        reply = Reply(405, {"status": 405, "title": "Method Not Allowed", "detail": f"{method} {scope['path']}: use {allow}"},
                      headers=(("Allow", allow),))
    else:
        reply = _problem(404, "Not Found", f"no admin endpoint {method} {scope['path']}")
    await send_reply(reply, send, receive, head=method == "HEAD")
