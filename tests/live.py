"""Run the real ASGI app under uvicorn on 127.0.0.1 in a background thread, for end-to-end tests."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

START_SECONDS = 60.0  # deadlines for a busy machine; the waits end as soon as the server is ready
STOP_SECONDS = 60.0


class LiveServer:
    def __init__(self, app: Starlette) -> None:
        # Proxy headers off, as `sendvoice serve` runs it: only the app's TRUSTED_PROXIES decide.
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_config=None,
            lifespan="on",
            log_level="warning",
            proxy_headers=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = ""

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                self._stop()
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()
        if self.thread.is_alive() and exc is None:
            raise RuntimeError(f"the test server did not stop within {STOP_SECONDS:.0f} s")

    def _stop(self) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=STOP_SECONDS)

    def url(self, path: str) -> str:
        return self.base_url + path
