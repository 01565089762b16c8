"""``/auth``: register, login, refresh, logout, password reset, me."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie

from server.api.deps import BEARER, REFRESH_COOKIE, client_ip, errors
from server.api.schemas import (
    Envelope,
    ForgotIn,
    LoginIn,
    MessageOut,
    RefreshIn,
    RegisterIn,
    ResetIn,
    TokensOut,
    UserOut,
    VerifyEmailIn,
)
from server.errors import ApiError
from server.services import Context, auth, users, utcnow

__all__ = [
    "forgot_password",
    "login",
    "logout",
    "me",
    "refresh",
    "refresh_cookie",
    "register",
    "resend_verification",
    "reset_password",
    "user_out",
    "verify_email",
]


REGISTERED = (
    "registered: sign in with this email and password (if it already had an account, its owner got a mail)"
)


def user_out(row: dict[str, Any]) -> UserOut:
    """The private profile of a user row; premium past its ``premium_until`` is over."""
    until = row["premium_until"]
    return UserOut(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        avatar_url=row["avatar_url"],
        email_verified=bool(row["email_verified"]),
        is_premium=bool(row["is_premium"]) and (until is None or until > utcnow()),
        premium_until=until,
        preferences=dict(row["preferences"] or {}),
        preferences_updated_at=row["preferences_updated_at"],
        created_at=row["created_at"],
    )


def refresh_cookie(ctx: Context, value: str, max_age: int) -> Cookie:
    """The HttpOnly refresh-token cookie (an empty value with ``max_age`` 0 clears it)."""
    return Cookie(
        key=REFRESH_COOKIE,
        value=value,
        path="/api/v1/auth",
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=ctx.settings.is_production,
    )


def _tokens(ctx: Context, tokens: auth.Tokens, status_code: int = 200) -> Response[Envelope[TokensOut]]:
    # The refresh token goes out only as the HttpOnly cookie: script (and an XSS) never sees it.
    body = TokensOut(
        access_token=tokens.access_token,
        token_type="Bearer",  # noqa: S106 -- the token scheme, not a secret
        expires_in=tokens.expires_in,
        user=user_out(tokens.user),
    )
    return Response(
        Envelope(body),
        status_code=status_code,
        cookies=[refresh_cookie(ctx, tokens.refresh_token, ctx.settings.refresh_ttl_seconds)],
        headers={"Cache-Control": "no-store"},
    )


def _refresh_token(request: Request[Any, Any, Any], data: RefreshIn | None) -> str | None:
    if data is not None and data.refresh_token:
        return data.refresh_token
    return request.cookies.get(REFRESH_COOKIE)


@post("/auth/register", status_code=201, responses=errors(400, 409, 413, 429), tags=["auth"])
async def register(data: RegisterIn, request: Request[Any, Any, Any], ctx: Context) -> Envelope[MessageOut]:
    """Create an account, then sign in with ``POST /auth/login``.

    The answer is the same whether or not the email already has an account (its owner gets a mail),
    so nobody learns who has one; 409 only for a taken display name.
    """
    await auth.register(ctx, data.email, data.password, data.display_name, client_ip(request, ctx))
    return Envelope(MessageOut(REGISTERED))


@post("/auth/login", status_code=200, responses=errors(400, 401, 413, 429), tags=["auth"])
async def login(
    data: LoginIn, request: Request[Any, Any, Any], ctx: Context
) -> Response[Envelope[TokensOut]]:
    """Sign in. Unknown emails and wrong passwords get the same answer."""
    return _tokens(ctx, await auth.login(ctx, data.email, data.password, client_ip(request, ctx)))


@post("/auth/refresh", status_code=200, responses=errors(400, 401, 413), tags=["auth"])
async def refresh(
    request: Request[Any, Any, Any], ctx: Context, data: RefreshIn | None = None
) -> Response[Envelope[TokensOut]]:
    """Trade a refresh token (cookie, or body for clients without cookies) for new tokens.

    The old one stops working; the new refresh token comes back as the cookie only.
    """
    token = _refresh_token(request, data)
    if not token:
        raise ApiError(401, "UNAUTHORIZED", "no refresh token: send the cookie or refresh_token in the body")
    return _tokens(ctx, await auth.refresh(ctx, token))


@post("/auth/logout", status_code=200, responses=errors(400, 413), tags=["auth"])
async def logout(
    request: Request[Any, Any, Any], ctx: Context, data: RefreshIn | None = None
) -> Response[Envelope[MessageOut]]:
    """Revoke this sign-in (the refresh token's family), end the account's access tokens, clear the cookie."""
    await auth.logout(ctx, _refresh_token(request, data))
    return Response(Envelope(MessageOut("signed out")), cookies=[refresh_cookie(ctx, "", 0)])


@post("/auth/forgot-password", status_code=202, responses=errors(400, 413, 429), tags=["auth"])
async def forgot_password(
    data: ForgotIn, request: Request[Any, Any, Any], ctx: Context
) -> Envelope[MessageOut]:
    """Mail a reset code if the account exists; the answer is the same either way."""
    await auth.forgot_password(ctx, data.email, client_ip(request, ctx))
    return Envelope(MessageOut("if an account has this email, a reset code is on its way"))


@post("/auth/reset-password", status_code=200, responses=errors(400, 413), tags=["auth"])
async def reset_password(data: ResetIn, ctx: Context) -> Envelope[MessageOut]:
    """Set a new password with the mailed code; every device is signed out."""
    await auth.reset_password(ctx, data.token, data.password)
    return Envelope(MessageOut("password changed; sign in again"))


@post("/auth/verify-email", status_code=200, responses=errors(400, 413), tags=["auth"])
async def verify_email(data: VerifyEmailIn, ctx: Context) -> Envelope[MessageOut]:
    """Mark the account's email verified with the code mailed at registration (or resent)."""
    await auth.verify_email(ctx, data.code)
    return Envelope(MessageOut("email verified"))


@post(
    "/auth/verify-email/resend",
    status_code=202,
    responses=errors(401, 404, 429),
    security=BEARER,
    tags=["auth"],
)
async def resend_verification(ctx: Context, me_id: str) -> Envelope[MessageOut]:
    """Mail a new verification code to your email (nothing is sent once it is verified)."""
    if await auth.resend_verification(ctx, me_id):
        return Envelope(MessageOut("a new verification code is on its way"))
    return Envelope(MessageOut("your email is already verified"))


@get("/auth/me", responses=errors(401, 404), security=BEARER, tags=["auth"])
async def me(ctx: Context, me_id: str) -> Envelope[UserOut]:
    """The signed-in user's profile."""
    return Envelope(user_out(await users.get_user(ctx, me_id)))
