"""Tokens minted by the mock's token endpoint, remembered so strict auth can accept them."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class MintedToken:
    scopes: tuple[str, ...]
    expires_at: float  # time.time() seconds
    client_id: str = ""

    def expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) >= self.expires_at


def mint_token(
    tokens: MutableMapping[str, Any], scopes: Iterable[str], ttl: int, client_id: str = "", now: float | None = None
) -> str:
    """A fresh opaque bearer token, remembered so strict mode can accept it until it expires."""
    token = secrets.token_urlsafe(32)
    issued = time.time() if now is None else now
    tokens[token] = MintedToken(tuple(dict.fromkeys(scopes)), issued + ttl, client_id)
    return token
