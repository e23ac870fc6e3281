"""OAuth2 token endpoint (`createAccessToken`): mints bearer tokens the mock then accepts.

The body is the contract's declared success answer (its example or generated, so deterministic),
with the fields a token answer must carry set from the minted token: `access_token` (opaque and
random: it is a credential), `token_type` Bearer, `expires_in` (`--token-ttl`) and `scope` (the
requested scopes, else every scope the loaded contracts declare). Each is set only if the schema
has it. Strict mode accepts the token, with exactly those scopes, until it expires;
`/__mock/reset` forgets every minted token.

As RFC 6749 says (§2.3.1, §5.2), each error in the contract's shape:
- the client authenticates in the form (`client_id`, `client_secret`) or with HTTP basic, not both
  (400 `invalid_request`);
- missing or wrong client authentication is 401 `invalid_client` (with `WWW-Authenticate: Basic`
  when the client tried HTTP basic). Wrong: in lenient mode, an id or secret containing `invalid`
  or `expired` (as for every credential); in strict mode, when clients are registered with
  `--api-key ID:SECRET`, any other pair;
- a missing `grant_type` is 400 `invalid_request`, another than `client_credentials` is 400
  `unsupported_grant_type` (the contract's enum refuses it first: `explain_invalid` names it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from ..errors import RequestError, RequestInvalid, Unauthorized
from ..media.authorization import basic_credentials, refused_word
from ..state.tokens import new_token
from . import generic
from .context import Context
from .registry import Registry
from .reply import Reply

OPERATION_ID = "createAccessToken"
GRANT_TYPES = ("client_credentials",)


def register(registry: Registry) -> None:
    registry.register(OPERATION_ID, create_access_token, on_invalid=explain_invalid)


def explain_invalid(error: RequestInvalid, headers: Mapping[str, str], raw_body: bytes) -> RequestError:
    """A form the schema refuses because of its grant type is RFC 6749's `unsupported_grant_type`
    (the contract says `client_credentials` only); anything else stays `invalid_request`."""
    grant_types = parse_qs(raw_body.decode("utf-8", "replace")).get("grant_type", [])
    if error.param == "grant_type" and grant_types and grant_types[0] not in GRANT_TYPES:
        return unsupported_grant(grant_types[0])
    return error


def unsupported_grant(grant_type: str) -> RequestInvalid:
    return RequestInvalid(f"grant_type {grant_type!r} is not supported; this endpoint issues client_credentials",
                          param="grant_type", kind="unsupported_grant_type")


async def create_access_token(context: Context) -> Reply:
    directive = context.directive
    if directive.example is not None or (directive.status is not None and directive.status >= 300):
        return generic.answer(context)
    form = context.request.body if isinstance(context.request.body, Mapping) else {}
    grant_type = _text(form.get("grant_type"))
    if not grant_type:
        raise RequestInvalid("grant_type is required (client_credentials)", param="grant_type", kind="invalid_request")
    if grant_type not in GRANT_TYPES:
        raise unsupported_grant(grant_type)
    client_id = authenticate_client(context, form)
    requested = _text(form.get("scope")).split()
    scopes = requested or list(context.scopes)
    ttl = context.settings.token_ttl
    token, minted = new_token(scopes, ttl, client_id)
    await context.state.save_token(token, minted)
    reply = generic.answer(context)
    response = context.responses.for_status(reply.status)
    media = response.media.get(reply.media_type or "") if response else None
    body = _token_body(reply.body, token, ttl, " ".join(scopes), media.is_valid if media else None)
    return Reply(reply.status, body, reply.media_type, reply.headers, codec=reply.codec)


def authenticate_client(context: Context, form: Mapping[str, Any]) -> str:
    """The authenticated client's id; else `Unauthorized` (`invalid_client`), or `RequestInvalid`
    when the client used both methods."""
    in_form = _text(form.get("client_id")), _text(form.get("client_secret"))
    header = context.request.headers.get("authorization", "")
    tried_basic = header[:6].lower() == "basic "
    if tried_basic and any(in_form):
        raise RequestInvalid("authenticate the client once: by HTTP basic or by client_id/client_secret in the form",
                             kind="invalid_request")
    challenge = {"WWW-Authenticate": 'Basic realm="oauth"'} if tried_basic else None
    basic = basic_credentials(context.request.headers) if tried_basic else None
    client_id, secret = basic if basic is not None else in_form
    if not client_id or not secret:
        problem = "malformed HTTP basic credentials" if tried_basic else "client_id and client_secret are required"
        raise Unauthorized(f"client authentication failed: {problem} (form fields or HTTP basic)", headers=challenge,
                           kind="invalid_client")
    registered = {key for key in context.settings.api_keys if ":" in key}
    strict = context.settings.auth == "strict"
    wrong = (registered and f"{client_id}:{secret}" not in registered) if strict else refused_word(client_id + secret)
    if wrong:
        raise Unauthorized("client authentication failed: unknown client or wrong secret", headers=challenge,
                           kind="invalid_client")
    return client_id


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _token_body(body: Any, token: str, ttl: int, scope: str, is_valid: Callable[[Any], bool] | None) -> Any:
    """The declared answer with the minted token's facts in the fields meant for them.

    All four fields are set when the schema allows it; otherwise only those the declared answer
    already has, so the answer still conforms.
    """
    facts = {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": scope}
    if not isinstance(body, dict):
        return facts
    full = {**body, **facts}
    if is_valid is None or is_valid(full):
        return full
    return {**body, **{k: v for k, v in facts.items() if k in body}}
