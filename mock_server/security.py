"""Authentication as each operation declares it: one check per scheme type.

Lenient mode (the default, for offline frontends) accepts any well-formed credential. A missing
or malformed one is a 401 in the contract's own shape. Authentication runs before validation, as
API gateways do: an unauthenticated caller learns nothing about the schema.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .contracts import Operation, SecurityScheme
from .errors import Unauthorized

TOKEN68 = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")


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


ANONYMOUS = Principal()


def bearer_token(headers: Mapping[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not TOKEN68.match(token):
        return None
    return token


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str] | None:
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


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
    if scheme.type in ("http", "oauth2", "openIdConnect"):
        return bearer_token(credentials.headers)
    return "mutual-tls"  # mutualTLS is the transport's business, not the mock's


def authenticate(operation: Operation, credentials: Credentials) -> Principal:
    """The principal of the first declared alternative the request satisfies, else 401."""
    if not operation.security:
        return ANONYMOUS
    wanted: list[str] = []
    for requirement in operation.security:
        if not requirement:
            return ANONYMOUS  # `{}` in the list: anonymous access is allowed
        found = []
        for scheme_name, _scopes in requirement:
            scheme = operation.security_schemes.get(scheme_name)
            value = satisfied(scheme, credentials) if scheme else None
            if value is None:
                if scheme is not None:
                    wanted.append(_describe(scheme))
                break
            found.append(value)
        else:
            return Principal(tuple(name for name, _ in requirement), found[0] if found else None)
    challenge = "Bearer" if any("bearer" in w for w in wanted) else None
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    raise Unauthorized("Missing or malformed credentials: send " + " or ".join(dict.fromkeys(wanted)), headers=headers)
