"""Security headers on every answer: CSP, no sniffing, no framing, no referrer leaks, HSTS in production.

A middleware rather than part of the static files, so the API, the app and error pages all carry them
whoever serves the files.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Pyodide compiles WebAssembly ('wasm-unsafe-eval'), and PyScript 0.7 builds its start-up hooks
        # with Function() ('unsafe-eval': without it Python never starts). No 'unsafe-inline': no inline
        # script or handler attribute runs, so injected markup cannot run code. PyScript's
        # <script type="py"> is data for Pyodide, not script for the browser.
        "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
        # PyScript injects a <style> element at start; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",  # avatars are https URLs on other hosts
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""What the app may load and run (checked by the browser suite, which fails on any violation)."""

_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeadersMiddleware:
    """Adds the headers above (and HSTS when ``hsts``) to every HTTP response start."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*_HEADERS, _HSTS] if hsts else list(_HEADERS)
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``send`` for HTTP; other scopes pass through."""
        kind: str = scope["type"]
        if kind != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in self.names
                ]
                message["headers"] = headers + self.headers
            await send(message)

        await self.app(scope, receive, send_wrapper)
