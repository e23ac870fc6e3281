"""Every error the mock raises, in one tree.

    MockServerError
    ├── StartupError              stops `serve` before it binds; the CLI prints it, no traceback
    │   ├── ContractLoadError     a contract is unreadable, invalid, or clashes with another
    │   └── SettingsError         a flag or MOCK_SERVER_* variable has a bad value
    └── RequestError              one request gets a declared error answer (render_error):
        │                         its status, or one saying the same, else `default`, else a vaguer one
        ├── RequestInvalid        400 (422 first if declared): parameters or body break the schema
        ├── Unauthorized          401: credential missing, malformed, unknown or expired
        ├── Forbidden             403: credential lacks a required OAuth2 scope
        ├── NotFound              404: no operation matches the path
        ├── MethodNotAllowed      405: the path exists, the method does not (carries Allow)
        ├── NotAcceptable         406: no declared media type fits Accept
        ├── UnsupportedMediaType  415: the body's Content-Type is not declared
        ├── Conflict              409 (422, 400 where undeclared): a JSON Patch does not apply to the stored resource
        ├── Unprocessable         422 (409, 400): the change would leave the stored resource off its schema
        ├── UpgradeRequired       426: the operation only switches protocols (101, e.g. WebSocket)
        ├── QuotaExceeded         a behaviour's quota is spent; status chosen from those declared
        ├── StateUnavailable      503 (else 5xx, default, 429, 400): the shared state (Redis) is unreachable
        └── ForcedStatus          `Prefer: code=NNN`, a rule or chaos asked for that status

Behaviours raise these; they never format error bodies themselves: `rendering of errors` picks the
contract's declared response for the status and fills its schema (see `error_bodies.py`).
"""

from __future__ import annotations

from collections.abc import Mapping


class MockServerError(Exception):
    """Base of every error raised by mock_server."""


class StartupError(MockServerError):
    """A problem that stops the server from starting; its message is meant for the user."""


class ContractLoadError(StartupError):
    """A contract could not be loaded: unreadable, invalid, or clashing with another."""


class SettingsError(StartupError):
    """A setting has a bad value; the message names the flag or environment variable."""


class RequestError(MockServerError):
    """A request that gets an error answer. When `status` is not declared: `fallbacks` (statuses that
    say the same thing), then the `default` response with `status` itself, then a declared status of
    the same class, then `last_resorts` (vaguer ones, such as 400 for a missing credential)."""

    status: int = 400
    title: str = "Bad Request"
    fallbacks: tuple[int, ...] = ()
    last_resorts: tuple[int, ...] = ()

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        param: str | None = None,
        reason: str | None = None,
        example: str | None = None,
        kind: str | None = None,
        details: tuple[str, ...] = (),
        locations: tuple[tuple[str | int, ...], ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind  # a machine-readable code (OAuth's `unsupported_grant_type`) for the shape's kind field
        self.details = details or (message,)  # each problem on its own (the message may join several)
        # where each detail is in the request, when known: ("body", "messages", 0, "role"), ("query", "limit")
        self.locations = locations
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
        self.param = param
        self.reason = reason  # a word naming the failure (missing, expired, invalid, scope): picks a declared example
        self.example = example  # a declared example asked for by name (`Prefer: example=`)


class RequestInvalid(RequestError):
    status = 400
    title = "Bad Request"
    fallbacks = (422,)


class Unauthorized(RequestError):
    status = 401
    title = "Unauthorized"
    fallbacks = (403,)
    last_resorts = (400,)


class Forbidden(RequestError):
    status = 403
    title = "Forbidden"
    fallbacks = (401,)
    last_resorts = (400,)


class NotFound(RequestError):
    status = 404
    title = "Not Found"
    last_resorts = (400,)


class MethodNotAllowed(RequestError):
    status = 405
    title = "Method Not Allowed"
    last_resorts = (400,)


class NotAcceptable(RequestError):
    status = 406
    title = "Not Acceptable"
    last_resorts = (400,)


class UnsupportedMediaType(RequestError):
    status = 415
    title = "Unsupported Media Type"
    last_resorts = (400, 422)


class UpgradeRequired(RequestError):
    status = 426
    title = "Upgrade Required"
    last_resorts = (400,)


class Conflict(RequestError):
    status = 409
    title = "Conflict"
    fallbacks = (422,)
    last_resorts = (400,)


class Unprocessable(RequestError):
    status = 422
    title = "Unprocessable Content"
    fallbacks = (409,)
    last_resorts = (400,)


class QuotaExceeded(RequestError):
    status = 429
    title = "Too Many Requests"
    fallbacks = (403,)
    last_resorts = (400,)


class StateUnavailable(RequestError):
    """The shared state (`--state redis://…`) cannot be reached, so the answer cannot be the one every
    replica would give: a quick 503, else another declared 5xx or `default`; where an operation
    declares none of them, its 429 (retry later), else its 400 (never a hang, never a guess)."""

    status = 503
    title = "Service Unavailable"
    fallbacks = (500, 502, 504)
    last_resorts = (429, 400)

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": "1"})


class ForcedStatus(RequestError):
    """A status asked for by the client or a rule; it is always one the operation declares."""

    title = "Forced"
