"""Serving the built PWA at ``/`` beside the API, with the MIME types and caching it needs.

The service worker, the page and the manifest must never be cached by HTTP (a stale ``sw.js`` pins
every player to an old app); versioned vendor files (Pyodide's wasm, wheels) may be cached for long.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from litestar import Router, get
from litestar.response import Response
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["StaticHeadersMiddleware", "static_router"]

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".py": "text/x-python",
    ".toml": "application/toml",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
}
NO_CACHE_NAMES = {"sw.js", "index.html", "manifest.webmanifest", "manifest.json", ""}
API_PREFIXES = ("/api/", "/schema", "/health")

for _suffix, _type in MIME_TYPES.items():
    mimetypes.add_type(_type.split(";")[0], _suffix)

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Schulte: app not built</title></head>
<body><h1>The app has not been built yet</h1>
<p>Run <code>npm run build</code> (or <code>nox -s serve</code>, which does it) to produce
<code>{path}</code>.
The API is running at <a href="/api/v1/challenges/current">/api/v1</a> and documented at
<a href="/schema/openapi.json">/schema/openapi.json</a>.</p></body></html>
"""


def static_router(directory: Path) -> Router:
    """The files of ``directory`` at ``/`` (``index.html`` for ``/``), or a "not built" page."""
    if directory.is_dir():
        return create_static_files_router("/", [directory], html_mode=True, name="app")

    @get("/", include_in_schema=False, media_type="text/html", sync_to_thread=False)
    def not_built() -> Response[str]:
        return Response(
            NOT_BUILT.format(path=directory), media_type="text/html", headers={"cache-control": "no-cache"}
        )

    return Router("/", route_handlers=[not_built])


class StaticHeadersMiddleware:
    """Sets Content-Type and Cache-Control on static files by name (API answers are left alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite the response start of a static file."""
        path: str = scope.get("path", "")
        kind: str = scope["type"]
        if kind != "http" or path.startswith(API_PREFIXES):
            await self.app(scope, receive, send)
            return
        name = path.rsplit("/", 1)[-1]
        suffix = Path(name).suffix.lower()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                headers: list[Any] = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in (b"cache-control",)
                ]
                if suffix in MIME_TYPES:
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                    headers.append((b"content-type", MIME_TYPES[suffix].encode()))
                if name in NO_CACHE_NAMES or suffix in (".html", ".webmanifest"):
                    headers.append((b"cache-control", b"no-cache"))
                elif "/vendor/" in path:
                    # Vendor files change only with a package version; a week of caching spares re-downloads.
                    headers.append((b"cache-control", b"public, max-age=604800"))
                else:
                    headers.append((b"cache-control", b"no-cache"))  # revalidate: ETag keeps it cheap
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)
