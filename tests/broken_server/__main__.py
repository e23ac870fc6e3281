"""`python -m tests.broken_server PORT`: serve the broken app on 127.0.0.1."""

import sys

import uvicorn

from .app import app

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
