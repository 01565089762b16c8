"""A test-only static server for build/app/: right MIME types for .wasm/.mjs/.webmanifest, and
``Cache-Control: no-cache`` for sw.js and index.html, as the real server sends them.

The fixtures use it through ``serve_app()``; when the Litestar app serves build/app/ the fixture
switches to it by changing one line in conftest.py.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from server.headers import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "build" / "app"

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".toml": "text/plain; charset=utf-8",
    ".zip": "application/zip",
    ".png": "image/png",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
}
NO_CACHE = ("/", "/index.html", "/sw.js")


class Handler(SimpleHTTPRequestHandler):
    """Static files with the headers a PWA needs."""

    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self) -> None:
        if self.path.split("?", 1)[0] in NO_CACHE:
            self.send_header("Cache-Control", "no-cache")
        # The server's policy, so the offline and guest tests also prove the app runs under it.
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_app(directory: Path = APP) -> Iterator[str]:
    """Serve ``directory`` on a free port; yields the base URL (on localhost: a secure context)."""
    if not (directory / "index.html").exists():
        raise RuntimeError(f"{directory} has no index.html: run `npm run build` first")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    import time

    with serve_app() as url:
        print(f"Serving {APP} at {url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
