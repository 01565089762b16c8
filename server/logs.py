"""Structured JSON logs: one line per request with the seed's fields, and a trace id per request.

The trace id comes from an ``X-Request-ID`` header when a proxy set one, otherwise it is made here;
it is returned as ``X-Trace-Id`` and put in 500 errors, so a player's report leads to the log line.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["JsonFormatter", "RequestLogMiddleware", "configure_logging"]

SERVICE = "schulte-api"
_FIELDS = ("trace_id", "user_id", "method", "path", "status_code", "duration_ms")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object (timestamp, level, service, trace_id, ..., message)."""

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON."""
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": SERVICE,
        }
        for name in _FIELDS:
            entry[name] = getattr(record, name, None)
        entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    """Send the ``schulte`` loggers to stdout as JSON lines."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("schulte")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


class RequestLogMiddleware:
    """Raw ASGI middleware (cheap on the hot path): trace id, timing and one log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger("schulte.request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":  # type: ignore[comparison-overlap] # ScopeType is a str enum
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        trace_id = uuid.uuid4().hex
        for key, value in scope["headers"]:
            if key == b"x-request-id" and 0 < len(value) <= 64:
                trace_id = value.decode("latin-1")
        state: dict[str, Any] = {"trace_id": trace_id, "user_id": None}
        scope["schulte"] = state  # type: ignore[typeddict-unknown-key] # read by errors.py and auth
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-trace-id", trace_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            duration = round((time.perf_counter() - started) * 1000, 2)
            level = logging.ERROR if status >= 500 else logging.INFO
            if self.log.isEnabledFor(level):
                self.log.log(
                    level,
                    "request handled",
                    extra={
                        "trace_id": trace_id,
                        "user_id": state["user_id"],
                        "method": scope.get("method"),
                        "path": scope["path"],
                        "status_code": status,
                        "duration_ms": duration,
                    },
                )
