"""Reference server for the benchmark: connexion 3 with MockResolver.

Configured by environment variables (read at import, served by uvicorn):
  BENCH_CONNEXION_KIND       "flask" (FlaskApp) or "async" (AsyncApp)
  BENCH_CONNEXION_CONTRACTS  contract files, separated by os.pathsep

Every contract is mounted at base path "" so the operation paths are served
exactly as written in the contract (as the mock server does). Any bearer
token / API key is accepted and OAuth2 scopes are not checked, as in the
mock server's lenient auth.

  BENCH_CONNEXION_KIND=async BENCH_CONNEXION_CONTRACTS=openapi/kodexa/chat-completions.yaml \
    python -m uvicorn bench.connexion_mock:app --loop uvloop --http httptools
"""

import logging
import os
import pathlib
import warnings

# Security handlers: connexion looks these up by dotted name.
os.environ.setdefault("BEARERINFO_FUNC", "bench.connexion_mock.accept_token")
os.environ.setdefault("APIKEYINFO_FUNC", "bench.connexion_mock.accept_apikey")
os.environ.setdefault("BASICINFO_FUNC", "bench.connexion_mock.accept_basic")
os.environ.setdefault("TOKENINFO_FUNC", "bench.connexion_mock.accept_token")
os.environ.setdefault("SCOPEVALIDATE_FUNC", "bench.connexion_mock.accept_scopes")

logging.getLogger("connexion").setLevel(logging.ERROR)
warnings.filterwarnings("ignore")


def accept_token(token, *args, **kwargs):
    return {"sub": "bench", "scope": []}


def accept_scopes(required_scopes, token_scopes):
    return True


def accept_apikey(key, required_scopes=None, *args, **kwargs):
    return {"sub": "bench"}


def accept_basic(username, password, *args, **kwargs):
    return {"sub": username}


def build_app():
    import connexion
    from connexion.mock import MockResolver

    kind = os.environ.get("BENCH_CONNEXION_KIND", "async")
    files = [f for f in os.environ.get("BENCH_CONNEXION_CONTRACTS", "").split(os.pathsep) if f]
    if not files:
        raise SystemExit("BENCH_CONNEXION_CONTRACTS is empty")
    cls = {"flask": connexion.FlaskApp, "async": connexion.AsyncApp}[kind]
    application = cls(__name__)
    for f in files:
        name = pathlib.Path(f).stem.replace("-", "_").replace(".", "_")
        application.add_api(
            f,
            base_path="",
            name=name,
            resolver=MockResolver(mock_all=True),
            swagger_ui_options=None,
        )
    return application


app = build_app()
