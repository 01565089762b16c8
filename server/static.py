"""Serving the built PWA at ``/`` beside the API, with the MIME types, caching and compression it needs.

The service worker, the page and the manifest must never be cached by HTTP (a stale ``sw.js`` pins
every player to an old app); versioned vendor files (Pyodide's wasm, wheels) may be cached for long,
and files named by their content (the Pyodide snapshot) for ever.

`npm run build` writes a brotli (``.br``) and a gzip (``.gz``) copy beside every file they make
smaller; a request whose ``Accept-Encoding`` allows one gets it with ``Content-Encoding`` (brotli
first), and every such file is sent with ``Vary: Accept-Encoding`` so that shared caches keep the
encodings apart. Nothing is compressed per request.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path, PurePath
from typing import Any

from litestar import Request, Router, get, head
from litestar.file_system import BaseLocalFileSystem
from litestar.response import Response
from litestar.response.file import ASGIFileResponse
from litestar.static_files import StaticFiles
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["StaticHeadersMiddleware", "pick_encoding", "static_router"]

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".whl": "application/zip",
    ".bin": "application/octet-stream",
    ".zip": "application/zip",
    ".py": "text/x-python",
    ".toml": "application/toml",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
}
NO_CACHE_NAMES = {"sw.js", "index.html", "manifest.webmanifest", "manifest.json", ""}
API_PREFIXES = ("/api/", "/schema", "/health")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
"""Content codings the build makes, best first, with the suffix of their copies."""
IMMUTABLE = re.compile(r"/snapshot-[0-9a-f]{16}\.bin$")
"""Files whose name carries a hash of their content."""

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
        return _files_router(directory)

    @get("/", include_in_schema=False, media_type="text/html", sync_to_thread=False)
    def not_built() -> Response[str]:
        return Response(
            NOT_BUILT.format(path=directory), media_type="text/html", headers={"cache-control": "no-cache"}
        )

    return Router("/", route_handlers=[not_built])


def pick_encoding(accept_encoding: str, available: set[str]) -> str | None:
    """The best of ``available`` codings (brotli first) that ``accept_encoding`` allows, or None.

    ``br;q=0`` refuses brotli; ``*`` allows any coding not named.
    """
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weights[coding.strip()] = quality
    for coding, _suffix in ENCODINGS:
        if coding in available and weights.get(coding, weights.get("*", 0.0)) > 0:
            return coding
    return None


def _files_router(directory: Path) -> Router:
    """Litestar's static files, plus the build's precompressed copies chosen by ``Accept-Encoding``."""
    root = directory.resolve()
    files = StaticFiles(is_html_mode=True, directories=[root], file_system=BaseLocalFileSystem())

    def copies(path: str) -> dict[str, str]:
        """The precompressed copies of the file at URL ``path``: coding -> path of the copy."""
        target = (root / (path.strip("/") or "index.html")).resolve()
        if not target.is_relative_to(root):
            return {}
        found = {}
        for coding, suffix in ENCODINGS:
            copy = target.with_name(target.name + suffix)
            if copy.is_file():
                found[coding] = copy.relative_to(root).as_posix()
        return found

    async def serve(request: Request[Any, Any, Any], path: str, *, is_head: bool) -> ASGIFileResponse:
        available = copies(path)
        coding = pick_encoding(request.headers.get("accept-encoding", ""), set(available))
        response = await files.handle(path=available[coding] if coding else path, is_head_response=is_head)
        if available:
            response.headers["vary"] = "Accept-Encoding"
        if coding:
            response.headers["content-encoding"] = coding
        return response

    @get("/", name="app/index", include_in_schema=False)
    async def index(request: Request[Any, Any, Any]) -> ASGIFileResponse:
        return await serve(request, "/", is_head=False)

    @get("{file_path:path}", name="app", include_in_schema=False)
    async def get_file(request: Request[Any, Any, Any], file_path: PurePath) -> ASGIFileResponse:
        return await serve(request, file_path.as_posix(), is_head=False)

    @head("/{file_path:path}", name="app/head", include_in_schema=False)
    async def head_file(request: Request[Any, Any, Any], file_path: PurePath) -> ASGIFileResponse:
        return await serve(request, file_path.as_posix(), is_head=True)

    return Router("/", route_handlers=[index, get_file, head_file], include_in_schema=False)


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
                elif IMMUTABLE.search(path):
                    headers.append((b"cache-control", b"public, max-age=31536000, immutable"))
                elif "/vendor/" in path:
                    # Vendor files change only with a package version; a week of caching spares re-downloads.
                    headers.append((b"cache-control", b"public, max-age=604800"))
                else:
                    headers.append((b"cache-control", b"no-cache"))  # revalidate: ETag keeps it cheap
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)
