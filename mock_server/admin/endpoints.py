"""Admin endpoints under /__mock, a prefix no contract may use (loading.check_clashes).

    GET    /__mock/health              {"status": "ok", "state": {...}, ...}; 503 when the shared state is down
    GET    /__mock/contracts           the loaded contracts and their operations
    GET    /__mock/requests?limit=N    the journal, newest first (default 50), credentials redacted
    POST   /__mock/reset               forget counters, sequences, quotas, tokens, runtime rules, the journal;
                                       a --stateful run's resources go back to its --data
    GET    /__mock/rules               every rule, in the order they are tried (runtime first, then the file's)
    POST   /__mock/rules               add a runtime rule (one rule of the rules file's shape, as JSON, `name` required)
    DELETE /__mock/rules/{name}        remove a runtime rule

With `--admin-token`, every endpoint but the health check (which load balancers and container
health checks call without credentials) needs `Authorization: Bearer <token>`; else 401.
"""

from __future__ import annotations

import hmac
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import orjson

from ..behaviours.reply import Reply
from ..contracts.index import ADMIN_PREFIX
from ..errors import StateUnavailable
from ..serve.journal import requested_limit
from ..serve.pipeline import read_body
from ..serve.render import send_reply
from ..serve.rules import Rule, RuleConflict, RuleError

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
                    **_resource(app, op.key),
                }
                for op in contract.operations
            ],
        }
        for contract in app.contracts
    ]


def _resource(app: "MockApp", key: str) -> dict[str, Any]:
    """What the operation does to which collection (contracts/collections.py), where it does."""
    binding = app.bindings.get(key)
    if binding is None:
        return {}
    collection = binding.collection
    return {"collection": {"route": collection.route, "role": binding.role.value, "id_field": collection.id_field}}


def _problem(status: int, title: str, detail: str) -> Reply:
    return Reply(status, {"status": status, "title": title, "detail": detail})


async def requests_reply(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    try:
        limit = requested_limit(scope.get("query_string", b""))
    except ValueError as exc:
        return _problem(400, "Bad Request", str(exc))
    entries = await app.journal.recent(limit)
    # The run's seed: with `--seed random`, what replays this run (`--seed N`).
    return Reply(200, {"requests": entries, "count": len(entries), "capacity": app.state.journal_size,
                       "seed": app.settings.seed})


async def health(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    """200 while every part the answers need is up; 503 naming the part that is down."""
    state = await app.state.health()
    up = state.get("status") == "up"
    body = {"status": "ok" if up else "unavailable", "contracts": len(app.contracts), "operations": len(app.operations),
            "state": state, "pid": os.getpid()}  # which worker or replica answered
    return Reply(200 if up else 503, body)


async def contracts(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, {"contracts": describe_contracts(app)})


async def reset(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    await app.reset()
    cleared = ["counters", "sequences", "quotas", "tokens", "runtime rules", "journal", "deleted resources"]
    if app.settings.stateful:
        cleared.append("stored resources (the --data file's restored)" if app.preloaded else "stored resources")
    return Reply(200, {"reset": cleared})


def describe_rule(rule: Rule) -> dict[str, Any]:
    return {"name": rule.name, "origin": rule.origin, "rule": dict(rule.definition)}


async def list_rules(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, {"rules": [describe_rule(rule) for rule in await app.control.rules()]})


async def add_rule(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    try:
        raw = orjson.loads(await read_body(receive) or b"null")
    except orjson.JSONDecodeError as exc:
        return _problem(400, "Bad Request", f"the body is not JSON: {exc}")
    try:
        rule = await app.control.add_rule(raw)
    except RuleConflict as exc:
        return _problem(409, "Conflict", str(exc))
    except RuleError as exc:
        return _problem(400, "Bad Request", f"the rule cannot be used: {exc}")
    return Reply(201, describe_rule(rule), headers=(("Location", f"{ADMIN_PREFIX}/rules/{rule.name}"),))


async def remove_rule(app: "MockApp", scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    name = unquote(rest)
    if await app.control.remove_rule(name):
        return Reply(200, {"removed": name})
    if any(rule.name == name for rule in app.control.file_rules):
        return _problem(409, "Conflict", f"{name!r} comes from the rules file; only runtime rules can be removed")
    return _problem(404, "Not Found", f"no runtime rule named {name!r}")


Endpoint = Any  # async (app, scope, receive, rest) -> Reply
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "health": {"GET": health, "HEAD": health},
    "contracts": {"GET": contracts},
    "requests": {"GET": requests_reply},
    "reset": {"POST": reset},
    "rules": {"GET": list_rules, "POST": add_rule},
}
ITEM_ENDPOINTS: dict[str, dict[str, Endpoint]] = {  # /__mock/<name>/<item>
    "rules": {"DELETE": remove_rule},
}


OPEN_ENDPOINTS = ("health",)  # answered without the admin token: load balancers' health checks


def authorised(app: "MockApp", scope: dict[str, Any], name: str) -> bool:
    token = app.settings.admin_token
    if not token or name in OPEN_ENDPOINTS:
        return True
    header = next((value for key, value in scope["headers"] if key.lower() == b"authorization"), b"")
    scheme, _, given = header.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), token.encode())


def unauthorised() -> Reply:
    return Reply(401, {"status": 401, "title": "Unauthorized",
                       "detail": "the admin endpoints need Authorization: Bearer <the --admin-token of this mock>"},
                 headers=(("WWW-Authenticate", 'Bearer realm="mock-server admin"'),))


async def handle(app: "MockApp", scope: dict[str, Any], receive: Any, send: Any) -> None:
    path = scope["path"][len(ADMIN_PREFIX):].strip("/")
    method = scope["method"]
    name, _, rest = path.partition("/")
    methods = (ITEM_ENDPOINTS if rest else ENDPOINTS).get(name)
    if not authorised(app, scope, name):
        reply = unauthorised()
    elif methods is None:
        reply = _problem(404, "Not Found", f"no admin endpoint {method} {scope['path']}")
    elif method not in methods:
        allow = ", ".join(methods)
        reply = Reply(405, {"status": 405, "title": "Method Not Allowed", "detail": f"{method} {scope['path']}: use {allow}"},
                      headers=(("Allow", allow),))
    else:
        try:
            reply = await methods[method](app, scope, receive, rest)
        except StateUnavailable as exc:
            reply = Reply(exc.status, {"status": exc.status, "title": exc.title, "detail": exc.message},
                          headers=tuple(exc.headers.items()))
    await send_reply(reply, send, receive, head=method == "HEAD")
