"""The admin endpoints under `/__mock` (health, contracts, journal, reset), mounted on the
pipeline by `mock_server.app.create_app`.

Owns: `endpoints`. Sits on top of the pipeline: may import serve/ and everything below it; may not
import check, proxy, integrations or the CLI.
"""
