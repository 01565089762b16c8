"""Every error the API returns, mapped from exceptions in one place (CONTRACT's envelope).

Services raise ``ApiError`` with a stable UPPER_SNAKE code; Litestar's own exceptions (404, 405,
validation, 413) and anything unexpected are translated here, so no handler builds an error body and
no stack trace leaves the server.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

__all__ = ["ApiError", "exception_handlers", "trace_id_of"]

log = logging.getLogger("schulte.server")

_CODES_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
}
_MESSAGES_BY_STATUS = {
    404: "nothing here: no such route or resource",
    405: "this route does not accept that method",
    413: "the request body is larger than the server accepts",
}


class ApiError(Exception):
    """An error a client should see: HTTP status, stable code, message and details."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


def trace_id_of(request: Request[Any, Any, Any]) -> str:
    """The request's trace id, set by the logging middleware (``-`` outside it)."""
    state = dict(request.scope).get("schulte")  # our own scope key, set in logs.py
    return str(state["trace_id"]) if isinstance(state, dict) else "-"


def _envelope(code: str, message: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"status": "error", "error": {"code": code, "message": message, "details": details}}


def _api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[Any]:
    return Response(
        _envelope(exc.code, exc.message, exc.details), status_code=exc.status_code, headers=exc.headers
    )


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = exc.extra if isinstance(exc.extra, list) else []
    message = exc.detail or "the request is not valid"
    if errors and isinstance(errors[0], dict) and "message" in errors[0]:
        first = errors[0]
        message = (
            f"{first.get('key') or 'body'}: {first['message']}" if first.get("key") else str(first["message"])
        )
    return Response(
        _envelope("VALIDATION_ERROR", message, {"errors": errors}), status_code=exc.status_code or 400
    )


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code = _CODES_BY_STATUS.get(status, "HTTP_ERROR" if status < 500 else "INTERNAL_ERROR")
    message = _MESSAGES_BY_STATUS.get(status) or exc.detail or "request failed"
    if status == 400 and exc.detail:
        message = exc.detail.removeprefix("400: ")  # e.g. "JSON is malformed: ..."
    headers = {key: value for key, value in (exc.headers or {}).items() if key.lower() == "allow"}
    details: dict[str, Any] = {}
    if status >= 500:
        details["trace_id"] = trace_id_of(request)
        message = "the server failed to answer; the trace id helps to find out why"
    return Response(_envelope(code, message, details), status_code=status, headers=headers)


def _too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    # The JSON decoder gives up on a body nested about 1,000 deep: a client's mistake, not a crash,
    # so no traceback is logged.
    log.warning("request body nested too deeply", extra={"trace_id": trace_id_of(request)})
    return Response(_envelope("VALIDATION_ERROR", "the JSON is nested too deeply", {}), status_code=400)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    trace_id = trace_id_of(request)
    log.exception("unhandled error", extra={"trace_id": trace_id})
    return Response(
        _envelope(
            "INTERNAL_ERROR",
            "the server failed to answer; the trace id helps to find out why",
            {"trace_id": trace_id},
        ),
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )


exception_handlers: dict[type[Exception], Any] = {
    ApiError: _api_error,
    ValidationException: _validation,
    HTTPException: _http,
    RecursionError: _too_deep,
    Exception: _unexpected,
}
"""Passed to ``Litestar(exception_handlers=...)``."""
