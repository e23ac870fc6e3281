"""Admin endpoints under /__mock, a prefix no contract may use (loading.check_clashes).

    GET    /__mock/                    the dashboard (page.py), its files under /__mock/assets/
    GET    /__mock/health              {"status": "ok", "state": {...}, ...}; 503 when the shared state is down
    GET    /__mock/contracts           the loaded contracts and their operations, statuses, named examples
    GET    /__mock/samples/{key}       a request the dashboard's "try it" starts from (describe.py)
    GET    /__mock/requests?limit=N    the journal, newest first (default 50), credentials redacted
    GET    /__mock/feed                journal entries and reloads as they happen (server-sent events, feed.py)
    GET    /__mock/coverage            requests per operation and declared status since the last reset
    GET    /__mock/reloads             what `serve --watch` reloaded, newest first, with errors
    POST   /__mock/reset               forget counters, sequences, quotas, tokens, runtime rules, the journal, coverage;
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
from .coverage import coverage_report
from .describe import describe_contracts, sample_request
from .feed import feed_events
from .page import PAGE, file_reply

if TYPE_CHECKING:
    from ..serve.pipeline import MockApp



def _problem(status: int, title: str, detail: str) -> Reply:
    return Reply(status, {"status": status, "title": title, "detail": detail})


async def requests_reply(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    try:
        limit = requested_limit(scope.get("query_string", b""))
    except ValueError as exc:
        return _problem(400, "Bad Request", str(exc))
    entries = await app.journal.recent(limit)
    # The run's seed: with `--seed random`, what replays this run (`--seed N`).
    return Reply(200, {"requests": entries, "count": len(entries), "capacity": app.state.journal_size,
                       "seed": app.settings.seed})


async def health(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    """200 while every part the answers need is up; 503 naming the part that is down."""
    state = await app.state.health()
    up = state.get("status") == "up"
    body = {"status": "ok" if up else "unavailable", "contracts": len(app.contracts), "operations": len(app.operations),
            "state": state, "pid": os.getpid()}  # which worker or replica answered
    return Reply(200 if up else 503, body)


async def contracts(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, {"contracts": describe_contracts(app)})


async def reset(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    await app.reset()
    cleared = ["counters", "sequences", "quotas", "tokens", "runtime rules", "journal", "coverage", "deleted resources"]
    if app.settings.stateful:
        cleared.append("stored resources (the --data file's restored)" if app.preloaded else "stored resources")
    return Reply(200, {"reset": cleared})


def describe_rule(rule: Rule, used: int | None = None) -> dict[str, Any]:
    described: dict[str, Any] = {"name": rule.name, "origin": rule.origin, "rule": dict(rule.definition)}
    if used is not None:  # how far a `times` or `sequence` rule has got
        described["used"] = used
    return described


async def list_rules(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    described = []
    for rule in await app.control.rules():
        counted = rule.times is not None or bool(rule.sequence)
        described.append(describe_rule(rule, await app.state.count(rule.counter) if counted else None))
    return Reply(200, {"rules": described})


async def page(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    reply = file_reply(PAGE)
    assert reply is not None, "the package lacks admin/static/index.html"
    return reply


async def asset(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return file_reply(rest) or _problem(404, "Not Found", f"no dashboard file {rest!r}")


async def feed(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, None, "text/event-stream", events=feed_events(app))


async def coverage(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, await coverage_report(app))


async def reloads(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    return Reply(200, {"watching": app.settings.watch, "reloads": app.reloads.recent()})


async def sample(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    operation = app.operations.declared.get(rest)
    if operation is None:
        return _problem(404, "Not Found", f"no operation with the key {rest!r} (see /__mock/contracts)")
    return Reply(200, sample_request(app, operation))


async def add_rule(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
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


async def remove_rule(app: MockApp, scope: dict[str, Any], receive: Any, rest: str) -> Reply:
    name = unquote(rest)
    if await app.control.remove_rule(name):
        return Reply(200, {"removed": name})
    if any(rule.name == name for rule in app.control.file_rules):
        return _problem(409, "Conflict", f"{name!r} comes from the rules file; only runtime rules can be removed")
    return _problem(404, "Not Found", f"no runtime rule named {name!r}")


Endpoint = Any  # async (app, scope, receive, rest) -> Reply
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "": {"GET": page, "HEAD": page},
    "health": {"GET": health, "HEAD": health},
    "contracts": {"GET": contracts},
    "requests": {"GET": requests_reply},
    "feed": {"GET": feed},
    "coverage": {"GET": coverage},
    "reloads": {"GET": reloads},
    "reset": {"POST": reset},
    "rules": {"GET": list_rules, "POST": add_rule},
}
ITEM_ENDPOINTS: dict[str, dict[str, Endpoint]] = {  # /__mock/<name>/<item>
    "assets": {"GET": asset, "HEAD": asset},
    "rules": {"DELETE": remove_rule},
    "samples": {"GET": sample},
}


# Answered without the admin token: load balancers' health checks, and the dashboard's page and files,
# which hold no data (the page asks for the token, then sends it with every call for data).
OPEN_ENDPOINTS = ("health", "", "assets")


def authorised(app: MockApp, scope: dict[str, Any], name: str) -> bool:
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


async def handle(app: MockApp, scope: dict[str, Any], receive: Any, send: Any) -> None:
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
