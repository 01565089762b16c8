"""What handlers share: the context, the signed-in user, the client address, documented errors."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from server.api.schemas import ErrorEnvelope
from server.errors import ApiError
from server.security import decode_access_token
from server.services import Context
from server.services.users import token_version

__all__ = ["BEARER", "REFRESH_COOKIE", "client_ip", "errors", "get_ctx", "optional_user", "require_user"]

REFRESH_COOKIE = "schulte_refresh"
"""Name of the HttpOnly refresh-token cookie (scoped to ``/api/v1/auth``)."""

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
"""OpenAPI security requirement of the routes that need a signed-in user."""

_DESCRIPTIONS = {
    400: "Validation error (VALIDATION_ERROR, INVALID_TOKEN)",
    401: "Not signed in or token invalid (UNAUTHORIZED)",
    403: "Not allowed (FORBIDDEN, PREMIUM_REQUIRED)",
    404: "Not found (NOT_FOUND, BILLING_NOT_CONFIGURED)",
    409: "Conflict (CONFLICT, CHALLENGE_ATTEMPTS_USED, LAST_SIGN_IN_METHOD)",
    413: "Body too large (PAYLOAD_TOO_LARGE)",
    422: "Session rejected by verification (SESSION_REJECTED); it is still stored as unverified",
    429: "Too many attempts (RATE_LIMITED); see Retry-After",
    502: "The OpenID provider did not answer (OIDC_PROVIDER_UNAVAILABLE)",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI responses for the error statuses a route can answer, all with the error envelope.

    400 is always listed: any route with a parameter or a body can answer a validation error.
    """
    return {
        status: ResponseSpec(
            data_container=ErrorEnvelope, description=_DESCRIPTIONS[status], generate_examples=False
        )
        for status in sorted({400, *statuses})
    }


def get_ctx(state: State) -> Context:
    """The app's ``Context`` (built by ``create_app``)."""
    ctx: Context = state.ctx
    return ctx


_BAD_TOKEN = "the access token is invalid or expired"  # noqa: S105 -- a message, not a secret


async def _token_user(request: Request[Any, Any, Any], ctx: Context) -> str | None:
    """The token's user, checked against the database on every request.

    A signed-out, reset or deleted user's token (still within its 15 minutes) is refused like any bad one.
    """
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    claims = (
        decode_access_token(ctx.settings.access_key, token.strip()) if scheme.lower() == "bearer" else None
    )
    if claims is None or await token_version(ctx, claims.user_id) != claims.version:
        raise ApiError(401, "UNAUTHORIZED", _BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    state = dict(request.scope).get("schulte")  # set by RequestLogMiddleware
    if isinstance(state, dict):
        state["user_id"] = claims.user_id
    return claims.user_id


async def require_user(request: Request[Any, Any, Any], ctx: Context) -> str:
    """The signed-in user's id, or 401 ``UNAUTHORIZED``."""
    user_id = await _token_user(request, ctx)
    if user_id is None:
        raise ApiError(401, "UNAUTHORIZED", "sign in first: this route needs a Bearer access token",
                       headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    return user_id


async def optional_user(request: Request[Any, Any, Any], ctx: Context) -> str | None:
    """The signed-in user's id when a token is sent (a bad token is still a 401), else ``None``."""
    return await _token_user(request, ctx)


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(proxies))


def client_ip(request: Request[Any, Any, Any], ctx: Context) -> str:
    """The client address for per-IP limits.

    The peer, or, when the peer is a configured proxy, the nearest address in ``X-Forwarded-For`` that
    is not a proxy (anything further left was written by the client and proves nothing).
    """
    peer = request.client.host if request.client else "unknown"
    proxies = ctx.settings.trusted_proxies
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in ",".join(request.headers.getall("x-forwarded-for", [])).split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop, proxies):
            return hop
    return peer
