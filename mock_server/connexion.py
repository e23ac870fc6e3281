"""`mock_server.connexion.MockResolver`: connexion's `MockResolver`, answered by this mock.

    from mock_server.connexion import MockResolver

    resolver = MockResolver(mock_all=False)
    app.add_api("openapi.yaml", resolver=resolver)
    resolver.install(app)

The integration lives in `integrations/connexion/`; importing this module imports connexion.
"""

from __future__ import annotations

from .integrations.connexion import MockResolver

__all__ = ["MockResolver"]
