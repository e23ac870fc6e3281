"""`python -m tests.broken_server PORT [--refuse]`: serve the broken app (or the refusing one) on 127.0.0.1."""

import sys

import uvicorn

from .app import app, refusing_app

uvicorn.run(refusing_app if "--refuse" in sys.argv[2:] else app, host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning")
