"""The mock as a connexion 3 resolver, and `serve --engine connexion` built on it.

Owns: `resolver` (`MockResolver`: which operations the app implements and which the mock
answers, and `install`), `middleware` (the two connexion middlewares that answer the mocked
operations and connexion's refusals through the mock's engine), `engine` (`serve --engine
connexion`: connexion's FlaskApp behind the mock's front door). Public: `mock_server.connexion`.

May import `app` and everything below it; may not import `server` or `cli`.
"""

from __future__ import annotations

from .resolver import MockResolver

__all__ = ["MockResolver"]
