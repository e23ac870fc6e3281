"""OAuth2 token endpoint (`createAccessToken`): mints bearer tokens the mock then accepts.

The body is the contract's declared success answer (its example or generated, so deterministic),
with the fields a token answer must carry set from the minted token: `access_token` (opaque and
random: it is a credential), `token_type` Bearer, `expires_in` (`--token-ttl`) and `scope` (the
requested scopes, else every scope the loaded contracts declare). Each is set only if the schema
has it. Strict mode accepts the token, with exactly those scopes, until it expires;
`/__mock/reset` forgets every minted token.

The client may authenticate in the form (`client_id`, `client_secret`) or with HTTP basic
(RFC 6749 §2.3.1). A `grant_type` other than `client_credentials` is a 400 and a missing client a
401, each in the contract's error shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import RequestInvalid, Unauthorized
from ..media.authorization import basic_credentials
from ..state.tokens import new_token
from . import generic
from .context import Context
from .registry import Registry
from .reply import Reply

OPERATION_ID = "createAccessToken"
GRANT_TYPES = ("client_credentials",)


def register(registry: Registry) -> None:
    registry.register(OPERATION_ID, create_access_token)


async def create_access_token(context: Context) -> Reply:
    directive = context.directive
    if directive.example is not None or (directive.status is not None and directive.status >= 300):
        return generic.answer(context)
    form = context.request.body if isinstance(context.request.body, Mapping) else {}
    grant_type = _text(form.get("grant_type"))
    if grant_type and grant_type not in GRANT_TYPES:
        raise RequestInvalid(f"unsupported_grant_type: {grant_type!r}; the mock issues client_credentials", param="grant_type")
    client_id = _text(form.get("client_id"))
    secret = _text(form.get("client_secret"))
    basic = basic_credentials(context.request.headers)
    if basic is not None:
        client_id, secret = client_id or basic[0], secret or basic[1]
    if not client_id or not secret:
        raise Unauthorized("invalid_client: send client_id and client_secret (form fields or HTTP basic)")
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
