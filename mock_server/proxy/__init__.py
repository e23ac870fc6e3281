"""`mock-server proxy`: a validating reverse proxy in front of a real API, and its recordings.

Owns: `forward` (the proxy app: forward, validate request and answer, journal, `--strict`) and
`recordings` (save upstream answers as examples; `serve --examples` replays them).

Sits on top: may import the pipeline's routing and validation helpers and everything below; may
not import admin, check, integrations or the CLI.
"""
