"""Credentials for a check run: fixed headers, an API key placed where each contract wants it,
and an OAuth2 client-credentials token exchanged once and renewed shortly before it expires.

Every secret that passes through here is registered with the `Redactor`, which every output uses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from ..contracts.index import Operation, SecurityScheme

REDACTED = "[REDACTED]"
RENEW_MARGIN_S = 30.0


class CredentialError(Exception):
    """The token endpoint refused or could not be reached: the run cannot go on (exit 2)."""


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 3:  # a one-letter "secret" would blank out every text
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text.replace("[Filtered]", REDACTED)


@dataclass
class TokenSource:
    """Client credentials → access token; one exchange, renewed on expiry, thread-safe."""

    token_url: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    redactor: Redactor
    timeout: float = 30.0
    _token: str | None = None
    _expires_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    exchanges: int = 0

    def get(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at - RENEW_MARGIN_S:
                self._exchange()
            return self._token or ""

    def _exchange(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        try:
            response = httpx.post(self.token_url, data=form, timeout=self.timeout, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise CredentialError(f"token URL {self.token_url} unreachable: {exc}") from None
        if response.status_code != 200:
            raise CredentialError(
                f"token URL {self.token_url} answered {response.status_code}: {self.redactor(response.text[:200])}"
            )
        try:
            payload = response.json()
            token = str(payload["access_token"])
        except (ValueError, KeyError, TypeError):
            raise CredentialError(f"token URL {self.token_url} gave no access_token") from None
        self.redactor.add(token)
        self._token = token
        expires_in = payload.get("expires_in")
        self._expires_at = time.monotonic() + (float(expires_in) if isinstance(expires_in, (int, float)) else 3600.0)
        self.exchanges += 1


def resolve_token_url(declared: str, base_url: str, given: str | None) -> str:
    """`--token-url` wins; else the contract's tokenUrl, moved onto the base URL's origin:
    requests go only where the user pointed the check (and the mock serves its own token endpoint)."""
    if given:
        return given
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    path = urlsplit(declared).path.lstrip("/")
    return urljoin(origin, path)


@dataclass
class Placement:
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


class Credentials:
    """What to add to a request of an operation, from the flags and the operation's security."""

    def __init__(
        self,
        *,
        headers: Iterable[tuple[str, str]],
        api_key: str | None,
        tokens: Mapping[str, TokenSource],  # by contract name
        redactor: Redactor,
    ) -> None:
        self.headers = tuple(headers)
        self.api_key = api_key
        self.tokens = dict(tokens)
        self.redactor = redactor

    def placement(self, operation: Operation) -> Placement:
        placed = Placement(headers=dict(self.headers))
        for scheme in _schemes(operation):
            if scheme.type == "apiKey" and self.api_key:
                target = {"header": placed.headers, "query": placed.query, "cookie": placed.cookies}.get(scheme.location)
                if target is not None:
                    target.setdefault(scheme.parameter, self.api_key)
            elif scheme.type in ("oauth2", "openIdConnect") or scheme.scheme == "bearer":
                token = self.tokens[operation.contract].get() if operation.contract in self.tokens else self.api_key
                if token:  # without a token endpoint, the API key is sent as a static bearer token
                    placed.headers.setdefault("Authorization", "Bearer " + token)
        return placed


def _schemes(operation: Operation) -> list[SecurityScheme]:
    """The schemes of the first requirement alternative (all of which must hold)."""
    if not operation.security:
        return []
    return [operation.security_schemes[name] for name, _ in operation.security[0] if name in operation.security_schemes]


def oauth_scheme(operations: Iterable[Operation]) -> SecurityScheme | None:
    for operation in operations:
        for scheme in _schemes(operation):
            if scheme.type == "oauth2" and scheme.token_url:
                return scheme
    return None
