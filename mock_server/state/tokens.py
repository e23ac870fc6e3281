"""Bearer tokens minted by the mock's token endpoint: opaque, random, remembered by a `Store`."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MintedToken:
    scopes: tuple[str, ...]
    expires_at: float  # time.time() seconds
    client_id: str = ""

    def expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) >= self.expires_at


def new_token(scopes: Iterable[str], ttl: int, client_id: str = "", now: float | None = None) -> tuple[str, MintedToken]:
    """A fresh opaque bearer token and what it grants, for a `Store` to keep until it expires."""
    issued = time.time() if now is None else now
    return secrets.token_urlsafe(32), MintedToken(tuple(dict.fromkeys(scopes)), issued + ttl, client_id)
