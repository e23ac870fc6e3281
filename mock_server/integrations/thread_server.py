"""An ASGI app served by uvicorn on a free port of 127.0.0.1, from a thread of this process.

Why a thread, not a process: a test gets its own mock in about a tenth of a second (the contracts,
loaded once per session, are compiled into a fresh app; uvicorn starts on a socket the OS picks),
where a `mock-server serve` process costs a second of imports. The test's own code blocks on its
HTTP calls while the server thread answers them.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from typing import Any

START_TIMEOUT_S = 15.0


class ThreadServer:
    def __init__(self, app: Any) -> None:
        import uvicorn

        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, lifespan="on", log_level="warning", access_log=False, ws="none",
            loop="asyncio", http="httptools" if importlib.util.find_spec("httptools") else "h11",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="mock-server", daemon=True)
        self.url = ""

    def start(self, timeout: float = START_TIMEOUT_S) -> str:
        """Serve; the base URL once the socket accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the mock server did not start (see the captured log)")
            time.sleep(0.005)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=10)
