"""``/auth/providers`` and ``/auth/oidc``: sign in with Google, Apple or another OpenID provider.

The start and callback routes are browser navigations, not API calls: they answer with redirects.
A failed callback sends the player back to the app with the error's code in the fragment
(``/#account?oidc_error=CODE``), which the account screen shows; a good one sets the refresh cookie
and sends them to ``/#account?oidc=created|signed_in|linked``, where the app refreshes into a session.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from litestar import Request, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from server.api.auth import refresh_cookie
from server.api.deps import BEARER, client_ip, errors
from server.api.schemas import Envelope, IdentityOut, LinkOut, MessageOut, ProviderOut, SignInMethodsOut
from server.errors import ApiError
from server.services import Context
from server.services import oidc as service

__all__ = ["callback_get", "callback_post", "link", "list_providers", "sign_in_methods", "start", "unlink"]

log = logging.getLogger("schulte.oidc")

ProviderPath = Annotated[str, Parameter(pattern=r"^[a-z0-9-]{1,32}$", description="a provider id")]
NO_STORE = {"Cache-Control": "no-store"}


def _redirect(location: str, status_code: int = 302) -> Response[None]:
    return Response(None, status_code=status_code, headers={"Location": location, **NO_STORE})


@get("/auth/providers", responses=errors(), tags=["auth"])
async def list_providers(ctx: Context) -> Envelope[list[ProviderOut]]:
    """The OpenID providers this server is configured for (none by default)."""
    return Envelope([ProviderOut(p.id, p.name) for p in ctx.settings.oidc_providers])


@get("/auth/oidc/{provider:str}/start", status_code=302, responses=errors(404, 429, 502), tags=["auth"])
async def start(provider: ProviderPath, request: Request[Any, Any, Any], ctx: Context) -> Response[None]:
    """Send the browser to the provider (authorization code with PKCE S256, a nonce, state kept here)."""
    return _redirect(await service.start(ctx, provider, client_ip(request, ctx)))


async def _finish(ctx: Context, provider: str, params: dict[str, str]) -> Response[None]:
    try:
        signed_in = await service.callback(ctx, provider, params)
    except ApiError as error:
        log.info("OpenID sign-in with %s refused: %s", provider, error.code)
        return _redirect(f"/#account?oidc_error={error.code}", 303)
    response = _redirect(f"/#account?oidc={signed_in.outcome}", 303)
    response.set_cookie(refresh_cookie(ctx, signed_in.tokens.refresh_token, ctx.settings.refresh_ttl_seconds))
    return response


@get("/auth/oidc/{provider:str}/callback", status_code=303, responses=errors(), tags=["auth"])
async def callback_get(
    provider: ProviderPath, request: Request[Any, Any, Any], ctx: Context
) -> Response[None]:
    """The provider sends the browser back here (query response mode); sign in and go to the app."""
    return await _finish(ctx, provider, dict(request.query_params))


@post("/auth/oidc/{provider:str}/callback", status_code=303, responses=errors(413), tags=["auth"])
async def callback_post(
    provider: ProviderPath,
    ctx: Context,
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Response[None]:
    """The same for ``response_mode=form_post`` (Apple): a cross-site POST that carries no cookie."""
    return await _finish(ctx, provider, data)


@post(
    "/auth/oidc/{provider:str}/link",
    status_code=200,
    responses=errors(401, 404, 429, 502),
    security=BEARER,
    tags=["auth"],
)
async def link(
    provider: ProviderPath, request: Request[Any, Any, Any], ctx: Context, me_id: str
) -> Envelope[LinkOut]:
    """Start linking a provider to your account: open ``url`` in the browser; the callback links it."""
    return Envelope(LinkOut(await service.start(ctx, provider, client_ip(request, ctx), link_user_id=me_id)))


@delete(
    "/auth/oidc/{provider:str}/link",
    status_code=200,
    responses=errors(401, 404, 409),
    security=BEARER,
    tags=["auth"],
)
async def unlink(provider: ProviderPath, ctx: Context, me_id: str) -> Envelope[MessageOut]:
    """Unlink a provider; 409 ``LAST_SIGN_IN_METHOD`` when it is your only way to sign in."""
    await service.unlink(ctx, me_id, provider)
    return Envelope(MessageOut(f"{provider} unlinked"))


@get("/auth/sign-in-methods", responses=errors(401, 404), security=BEARER, tags=["auth"])
async def sign_in_methods(ctx: Context, me_id: str) -> Envelope[SignInMethodsOut]:
    """Whether you have a password, and the providers linked to your account."""
    password, linked = await service.list_methods(ctx, me_id)
    names = {p.id: p.name for p in ctx.settings.oidc_providers}
    return Envelope(
        SignInMethodsOut(
            password,
            [
                IdentityOut(
                    i["provider"], names.get(i["provider"], i["provider"]), i["email"], i["created_at"]
                )
                for i in linked
            ],
        )
    )
