"""A connexion app built spec-first on the bundled contracts, half-built: it implements one
operation (the Emporix texts), and `mock_server.connexion.MockResolver` answers the rest (the
Emporix completions, the Kodexa chat completions with its event stream).

Its security is the app's own, as in any connexion app: a token check that knows the token
`valid-token` (every scope) and an API-key check that accepts any key but `revoked`.
"""

from __future__ import annotations

from typing import Any

import connexion
from connexion.exceptions import ProblemException
from connexion.options import SwaggerUIOptions
from connexion.security import ApiKeySecurityHandler, OAuthSecurityHandler

from mock_server import ServeSettings, default_behaviours
from mock_server.connexion import MockResolver
from tests.fixtures.server import BUNDLED

AI_SERVICE = BUNDLED / "emporix" / "ai-service.yaml"
CHAT = BUNDLED / "kodexa" / "chat-completions.yaml"
SCOPES = ["ai.text_manage", "ai.completion_manage"]
HANDWRITTEN = "written by the shop's own handler"


def describe(tenant: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST /ai-service/{tenant}/texts, implemented for real; the tenant `blocked` is refused."""
    if tenant == "blocked":
        raise ProblemException(status=403, title="Forbidden", detail="this tenant is blocked")
    return {"result": f"{body['prompt']} for {tenant}: {HANDWRITTEN}"}


class TokenCheck(OAuthSecurityHandler):
    def get_tokeninfo_func(self, security_definition: dict[str, Any]) -> Any:
        return lambda token: {"sub": "shop", "scope": SCOPES} if token == "valid-token" else None


class KeyCheck(ApiKeySecurityHandler):
    def _resolve_func(self, security_scheme: dict[str, Any]) -> Any:
        return lambda key: None if key == "revoked" else {"sub": key}


def build(kind: str = "flask", *, mock_all: bool = False, settings: ServeSettings | None = None,
          install: bool = True) -> tuple[Any, MockResolver]:
    """The app (`kind`: connexion's FlaskApp or AsyncApp) and its resolver."""
    resolver = MockResolver(mock_all=mock_all, implemented={"POST-ai-generate-description": describe},
                            settings=settings, behaviours=default_behaviours())
    app_class = {"flask": connexion.FlaskApp, "async": connexion.AsyncApp}[kind]
    app = app_class(__name__, security_map={"oauth2": TokenCheck, "apiKey": KeyCheck},
                    swagger_ui_options=SwaggerUIOptions(swagger_ui=False))
    app.add_api(AI_SERVICE, resolver=resolver, name="ai_service")
    app.add_api(CHAT, resolver=resolver, name="chat")
    if install:
        resolver.install(app)
    return app, resolver


__all__ = ["AI_SERVICE", "CHAT", "HANDWRITTEN", "build"]
