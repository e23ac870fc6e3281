"""Authentication as each operation declares it: one check per scheme type, lenient or strict.

Lenient mode (the default, for offline frontends) accepts any well-formed credential, except one
that contains `invalid` or `expired` (so a frontend can exercise its 401 handling). Strict mode
accepts only bearer tokens the mock minted (not expired) and the keys given with `--api-key`; HTTP
basic credentials count as the key `user:password`, and a key also passes as a static bearer token
with every scope (a contract need not declare a token endpoint). A missing, malformed, unknown or expired
credential is a 401 and a valid token lacking a declared OAuth2 scope a 403, both in the
contract's own shape. Authentication runs before validation, as API gateways do: an
unauthenticated caller learns nothing about the schema.

This module also knows which parts of a request are credentials, so logs, the request journal and
reports can redact them (`Redactor`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contracts.index import Contract, Operation, SecurityScheme
from ..errors import Forbidden, Unauthorized
from ..media.authorization import basic_credentials, bearer_token, refused_word

TOKEN68 = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")
SCOPED_TYPES = ("oauth2", "openIdConnect")
REDACTED = "***"


@dataclass(frozen=True, slots=True)
class Credentials:
    """The parts of a request that can carry a credential."""

    headers: Mapping[str, str]
    query: Mapping[str, str]
    cookies: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who called: the schemes that were satisfied and the credential values (never logged)."""

    schemes: tuple[str, ...] = ()
    token: str | None = None
    scopes: tuple[str, ...] | None = None  # None: not known (lenient mode, API keys)


ANONYMOUS = Principal()


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    """How strictly credentials are checked. `tokens`: the minted tokens known for this request (the
    pipeline looks up the request's bearer token in the store before authenticating)."""

    strict: bool = False
    api_keys: frozenset[str] = frozenset()
    tokens: Mapping[str, Any] = field(default_factory=dict)


LENIENT = AuthPolicy()


def declared_scopes(contracts: Iterable[Contract]) -> tuple[str, ...]:
    """Every OAuth2 / OpenID Connect scope the loaded contracts declare, in declaration order."""
    scopes: dict[str, None] = {}
    for contract in contracts:
        for operation in contract.operations:
            for scheme in operation.security_schemes.values():
                if scheme.type in SCOPED_TYPES:
                    scopes.update(dict.fromkeys(scheme.scopes))
            for requirement in operation.security:
                for _name, required in requirement:
                    scopes.update(dict.fromkeys(required))
    return tuple(scopes)


def api_key(scheme: SecurityScheme, credentials: Credentials) -> str | None:
    source = {"header": credentials.headers, "query": credentials.query, "cookie": credentials.cookies}.get(scheme.location, {})
    name = scheme.parameter.lower() if scheme.location == "header" else scheme.parameter
    value = source.get(name)
    return value if value else None


def _describe(scheme: SecurityScheme) -> str:
    if scheme.type == "apiKey":
        return f"an API key in the {scheme.location} '{scheme.parameter}'"
    if scheme.type == "http" and scheme.scheme == "basic":
        return "HTTP basic credentials (Authorization: Basic …)"
    return "a bearer token (Authorization: Bearer …)"


def satisfied(scheme: SecurityScheme, credentials: Credentials) -> str | None:
    """The credential for `scheme` if the request carries a well-formed one."""
    if scheme.type == "apiKey":
        return api_key(scheme, credentials)
    if scheme.type == "http" and scheme.scheme == "basic":
        pair = basic_credentials(credentials.headers)
        return f"{pair[0]}:{pair[1]}" if pair else None
    if scheme.type in ("http", *SCOPED_TYPES):
        return bearer_token(credentials.headers)
    return "mutual-tls"  # mutualTLS is the transport's business, not the mock's


class _Rejected(Exception):
    """One scheme of one alternative failed; `forbidden` when the credential is valid but lacks scopes."""

    def __init__(self, reason: str, *, forbidden: bool = False, challenge: str | None = None, kind: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.forbidden = forbidden
        self.challenge = challenge
        self.kind = kind  # missing, invalid, expired or scope: the error's `reason`


def _check_strict(
    scheme: SecurityScheme, value: str, required: tuple[str, ...], policy: AuthPolicy
) -> tuple[str, ...] | None:
    """The scopes of an accepted credential (None when scopes do not apply); raises _Rejected."""
    if scheme.type == "apiKey" or (scheme.type == "http" and scheme.scheme == "basic"):
        if value not in policy.api_keys:
            what = "API key" if scheme.type == "apiKey" else "basic credential (user:password)"
            raise _Rejected(f"the {what} is not one of those given with --api-key")
        return None
    if scheme.type == "mutualTLS":
        return None
    if value in policy.api_keys:
        return None  # a static token given with --api-key: every scope (a contract may have no token endpoint)
    minted = policy.tokens.get(value)
    if minted is None:
        raise _Rejected("the bearer token was not issued by this mock", challenge='Bearer error="invalid_token"')
    if minted.expired():
        raise _Rejected("the bearer token has expired", challenge='Bearer error="invalid_token"', kind="expired")
    missing = [scope for scope in required if scope not in minted.scopes] if scheme.type in SCOPED_TYPES else []
    if missing:
        raise _Rejected(
            "the bearer token lacks the scope " + " ".join(missing),
            forbidden=True,
            challenge=f'Bearer error="insufficient_scope", scope="{" ".join(required)}"',
            kind="scope",
        )
    return minted.scopes


def _check_lenient(value: str) -> None:
    """Lenient mode still refuses a credential that says it is bad, so 401 paths can be exercised."""
    word = refused_word(value)
    if word is not None:
        raise _Rejected(f"the credential contains '{word}' (lenient mode refuses such credentials)",
                        challenge='Bearer error="invalid_token"', kind="expired" if word == "expired" else "invalid")


def authenticate(operation: Operation, credentials: Credentials, policy: AuthPolicy = LENIENT) -> Principal:
    """The principal of the first declared alternative the request satisfies, else 401 (or 403)."""
    if not operation.security:
        return ANONYMOUS
    wanted: list[str] = []
    rejections: list[_Rejected] = []
    for requirement in operation.security:
        if not requirement:
            return ANONYMOUS  # `{}` in the list: anonymous access is allowed
        found: list[str] = []
        scopes: tuple[str, ...] | None = None
        try:
            for scheme_name, required in requirement:
                scheme = operation.security_schemes.get(scheme_name)
                value = satisfied(scheme, credentials) if scheme else None
                if value is None or scheme is None:
                    if scheme is not None:
                        wanted.append(_describe(scheme))
                    raise _Rejected("missing")
                if policy.strict:
                    scopes = _check_strict(scheme, value, required, policy) or scopes
                else:
                    _check_lenient(value)
                found.append(value)
        except _Rejected as rejection:
            if rejection.reason != "missing":
                rejections.append(rejection)
            continue
        return Principal(tuple(name for name, _ in requirement), found[0] if found else None, scopes)
    forbidden = [r for r in rejections if r.forbidden]
    if forbidden:
        raise Forbidden(f"Insufficient scope: {forbidden[0].reason}", headers=_challenge(forbidden[0]), reason="scope")
    if rejections:
        raise Unauthorized(f"Invalid credentials: {rejections[0].reason}", headers=_challenge(rejections[0]),
                           reason=rejections[0].kind)
    challenge = "Bearer" if any("bearer" in w for w in wanted) else None
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    raise Unauthorized("Missing or malformed credentials: send " + " or ".join(dict.fromkeys(wanted)), headers=headers,
                       reason="missing")


def _challenge(rejection: _Rejected) -> dict[str, str]:
    return {"WWW-Authenticate": rejection.challenge} if rejection.challenge else {}


# --- redaction -------------------------------------------------------------------------------

ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
SECRET_FIELDS = frozenset({
    "client_secret", "password", "refresh_token", "access_token", "assertion", "client_assertion",
    "code_verifier", "id_token", "api_key", "apikey", "token", "secret",
})


@dataclass(frozen=True, slots=True)
class Redactor:
    """Knows which headers, query parameters and body fields carry credentials, from every contract."""

    headers: frozenset[str] = ALWAYS_SECRET_HEADERS
    query: frozenset[str] = frozenset()
    cookies: frozenset[str] = frozenset()
    fields: frozenset[str] = SECRET_FIELDS

    @classmethod
    def for_contracts(cls, contracts: Iterable[Contract]) -> Redactor:
        headers: set[str] = set(ALWAYS_SECRET_HEADERS)
        query: set[str] = set()
        cookies: set[str] = set()
        for contract in contracts:
            for operation in contract.operations:
                for scheme in operation.security_schemes.values():
                    if scheme.type != "apiKey" or not scheme.parameter:
                        continue
                    {"header": headers, "query": query, "cookie": cookies}.get(scheme.location, set()).add(
                        scheme.parameter.lower() if scheme.location == "header" else scheme.parameter
                    )
        headers.update(("x-api-key", "api-key"))  # the usual names, even where no contract declares them
        return cls(frozenset(headers), frozenset(query), frozenset(cookies), SECRET_FIELDS)

    def secret_values(self, headers: Mapping[str, str], query: Mapping[str, Any], body: Any) -> set[str]:
        """The credential values this request carries, to scrub from any free text (error messages)."""
        values: set[str] = set()
        for name, value in headers.items():
            if name.lower() in self.headers and value:
                values.add(value)
                scheme, _, rest = value.partition(" ")
                if rest.strip():
                    values.add(rest.strip())
        values.update(str(v) for k, v in query.items() if k in self.query and v)
        if isinstance(body, Mapping):
            values.update(str(v) for k, v in body.items() if str(k).lower() in self.fields and v not in (None, ""))
        return {v for v in values if len(v) >= 3}

    def redact_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {k: (REDACTED if k.lower() in self.headers else v) for k, v in headers.items()}

    def redact_query(self, query: Mapping[str, Any]) -> dict[str, Any]:
        return {k: (REDACTED if k in self.query or k.lower() in self.fields else v) for k, v in query.items()}

    def redact_body(self, body: Any, secrets: Iterable[str] = ()) -> Any:
        """`body` with the values of secret fields `***` (eight levels deep) and every occurrence of
        `secrets` (this request's credential values) replaced in its strings, at any depth: the two
        in one walk, which a journal entry makes for each body it keeps."""
        return self._redacted(body, tuple(sorted(secrets, key=len, reverse=True)), 0)

    def _redacted(self, body: Any, secrets: tuple[str, ...], depth: int) -> Any:
        if type(body) in _PLAIN_SCALARS:  # most leaves; asked first, as Mapping's check is an ABC's
            return body
        if isinstance(body, str):
            return _replaced(body, secrets) if secrets else body
        if depth > 8:
            return _scrubbed(body, secrets) if secrets else body
        if isinstance(body, list):
            return [self._redacted(v, secrets, depth + 1) for v in body]
        if isinstance(body, Mapping):
            return {
                k: (REDACTED if str(k).lower() in self.fields else self._redacted(v, secrets, depth + 1))
                for k, v in body.items()
            }
        return body


_PLAIN_SCALARS = frozenset({int, float, bool, type(None)})


def scrub(text: str, secrets_: Iterable[str]) -> str:
    """`text` with every occurrence of each secret value replaced."""
    return _replaced(text, tuple(sorted(secrets_, key=len, reverse=True)))


def _replaced(text: str, longest_first: tuple[str, ...]) -> str:
    for secret in longest_first:
        text = text.replace(secret, REDACTED)
    return text


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    """`value` with every secret value replaced in each of its strings, at any depth."""
    if isinstance(value, str):
        return _replaced(value, secrets)
    if isinstance(value, dict):
        return {k: _scrubbed(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secrets) for v in value]
    return value
