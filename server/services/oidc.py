"""Sign in with an OpenID Connect provider (Google, Apple, or any by discovery): start, callback, link.

Authlib runs the authorization-code flow with PKCE S256; joserfc checks the ID token (signature against
the provider's JWKS, ``iss``, ``aud``, ``exp``, ``nonce``). State, nonce and code verifier are kept on
the server, keyed by the state's hash, and used once. Identities are keyed by (issuer, ``sub``), never
by email: an email links to an existing account only when the provider vouches for it and the account
proved it too, otherwise a stranger who registered the address first would take over (pre-hijack).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import httpx2
from authlib.common.security import generate_token  # type: ignore[import-untyped] # Authlib ships no types
from authlib.integrations.base_client.errors import OAuthError  # type: ignore[import-untyped] # no types
from authlib.integrations.httpx_client import AsyncOAuth2Client  # type: ignore[import-untyped] # no types
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from server.config import OidcProvider
from server.db.models import NO_PASSWORD, identities, oidc_states, users
from server.errors import ApiError
from server.security import hash_token
from server.services import Context, auth, utcnow
from server.services.users import clean_display_name

__all__ = [
    "Outcome",
    "SignedIn",
    "accepted_issuers",
    "apple_client_secret",
    "callback",
    "check_id_token",
    "list_methods",
    "provider",
    "start",
    "unlink",
]

Outcome = Literal["created", "signed_in", "linked"]
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
"""Google signs ID tokens with either spelling of its issuer."""
APPLE_AUDIENCE = "https://appleid.apple.com"
APPLE_SECRET_TTL_S = 300
"""Apple allows a client secret up to about 6 months; this one is made for each token request."""
ID_TOKEN_ALGORITHMS = ["RS256", "ES256", "PS256", "RS384", "ES384", "RS512", "ES512", "EdDSA"]
"""Asymmetric only: a provider's JWKS holds public keys, and HS256 would make the client secret a key."""
CACHE_TTL_S = 3600
"""How long discovery documents and key sets are reused (keys are fetched again for an unknown kid)."""
LEEWAY_S = 60
"""Clock skew tolerated on ``exp`` and ``iat``."""

_cache: dict[str, tuple[float, dict[str, Any]]] = {}


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The result of a callback: the player's new tokens and what happened to the account."""

    tokens: auth.Tokens
    """Access and refresh tokens (the refresh one goes out as the usual cookie)."""
    outcome: Outcome
    """``created`` a new account, ``signed_in`` to a linked one, or ``linked`` a new identity."""


def _fail(code: str, message: str, status: int = 400) -> ApiError:
    return ApiError(status, code, message)


def provider(ctx: Context, provider_id: str) -> OidcProvider:
    """The configured provider, or 404 ``NOT_FOUND``."""
    for candidate in ctx.settings.oidc_providers:
        if candidate.id == provider_id:
            return candidate
    raise ApiError(404, "NOT_FOUND", f"no OpenID provider {provider_id!r} is configured here")


async def _fetch_json(url: str, refresh: bool = False) -> dict[str, Any]:
    cached = _cache.get(url)
    if cached and not refresh and cached[0] > time.monotonic():
        return cached[1]
    try:
        async with httpx2.AsyncClient(timeout=10) as http:
            response = await http.get(url)
            response.raise_for_status()
            document = response.json()
    except (httpx2.HTTPError, ValueError) as error:
        raise _fail(
            "OIDC_PROVIDER_UNAVAILABLE", f"the provider did not answer ({type(error).__name__})", 502
        ) from None
    if not isinstance(document, dict):
        raise _fail("OIDC_PROVIDER_UNAVAILABLE", "the provider answered something that is not JSON", 502)
    _cache[url] = (time.monotonic() + CACHE_TTL_S, document)
    return document


def _redirect_uri(ctx: Context, config: OidcProvider) -> str:
    return f"{ctx.settings.base_url}/api/v1/auth/oidc/{config.id}/callback"


def apple_client_secret(config: OidcProvider, now: int | None = None) -> str:
    """Apple's client secret: an ES256 JWT signed with the ``.p8`` key (kid; iss team, sub Services ID)."""
    issued = int(time.time()) if now is None else now
    claims = {
        "iss": config.team_id,
        "iat": issued,
        "exp": issued + APPLE_SECRET_TTL_S,
        "aud": APPLE_AUDIENCE,
        "sub": config.client_id,
    }
    return jwt.encode({"alg": "ES256", "kid": config.key_id}, claims, ECKey.import_key(config.private_key))


def _client(ctx: Context, config: OidcProvider) -> AsyncOAuth2Client:
    apple = config.kind == "apple"
    return AsyncOAuth2Client(
        client_id=config.client_id,
        client_secret=apple_client_secret(config) if apple else config.client_secret,
        scope=config.scope,
        redirect_uri=_redirect_uri(ctx, config),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post" if apple else "client_secret_basic",
        timeout=10,
    )


async def start(ctx: Context, provider_id: str, ip: str, link_user_id: str | None = None) -> str:
    """Store a new state (with its nonce and PKCE verifier) and return the provider's authorize URL."""
    config = provider(ctx, provider_id)
    limit = ctx.settings.rate_oidc_ip
    wait = await ctx.limiter.hit(f"oidc:ip:{ip}", limit)
    if wait:
        raise ApiError(429, "RATE_LIMITED", f"too many sign-ins started; try again in {wait} s",
                       {"retry_after": wait}, {"Retry-After": str(wait)})  # fmt: skip
    metadata = await _fetch_json(config.discovery_url)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), generate_token(64)
    now = utcnow()
    async with ctx.db.engine.begin() as conn:
        await conn.execute(delete(oidc_states).where(oidc_states.c.expires_at < now))
        await conn.execute(
            insert(oidc_states).values(
                state_hash=hash_token(state),
                provider=config.id,
                nonce=nonce,
                code_verifier=verifier,
                link_user_id=link_user_id,
                expires_at=now + timedelta(seconds=ctx.settings.oidc_state_ttl_seconds),
            )
        )
    extra = {"response_mode": "form_post"} if config.response_mode == "form_post" else {}
    async with _client(ctx, config) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce, **extra
        )
    return str(url)


async def _take_state(ctx: Context, config: OidcProvider, state: str) -> dict[str, Any]:
    """The stored state, deleted in the same transaction: a replayed callback finds nothing."""
    state_hash = hash_token(state)
    async with ctx.db.engine.begin() as conn:
        row = (
            (await conn.execute(select(oidc_states).where(oidc_states.c.state_hash == state_hash)))
            .mappings()
            .first()
        )
        taken = await conn.execute(delete(oidc_states).where(oidc_states.c.state_hash == state_hash))
    if row is None or taken.rowcount != 1 or row["provider"] != config.id or row["expires_at"] <= utcnow():
        raise _fail("OIDC_STATE_INVALID", "this sign-in is unknown, already used or expired; start again")
    return dict(row)


async def _keys(metadata: dict[str, Any], kid: str | None) -> KeySet:
    jwks = await _fetch_json(metadata["jwks_uri"])
    if kid is not None and kid not in {key.get("kid") for key in jwks.get("keys", [])}:
        jwks = await _fetch_json(metadata["jwks_uri"], refresh=True)  # the provider rotated its keys
    return KeySet.import_key_set(jwks)  # type: ignore[arg-type] # a JWKS document, checked by joserfc


def accepted_issuers(config: OidcProvider, metadata: dict[str, Any]) -> list[str]:
    """The ``iss`` values an ID token of ``config`` may carry."""
    issuer = str(metadata["issuer"])
    return [issuer, *GOOGLE_ISSUERS] if config.kind == "google" else [issuer]


def check_id_token(
    token: jwt.Token, config: OidcProvider, issuers: list[str], nonce: str, now: int | None = None
) -> dict[str, Any]:
    """The ID token's claims once ``iss``, ``aud``, ``exp``, ``nonce`` (and Google's ``hd``) hold."""
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY_S,
        iss={"essential": True, "values": issuers},
        aud={"essential": True, "value": config.client_id},
        exp={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise _fail(
            "OIDC_TOKEN_INVALID", f"the provider's ID token was refused: {error.description or error.error}"
        ) from None
    claims = dict(token.claims)
    if config.hosted_domain and claims.get("hd") != config.hosted_domain:
        raise _fail("OIDC_DOMAIN_REFUSED", f"sign in with an account of {config.hosted_domain}", 403)
    return claims


async def _id_token(
    ctx: Context, config: OidcProvider, code: str, verifier: str, nonce: str
) -> dict[str, Any]:
    metadata = await _fetch_json(config.discovery_url)
    try:
        async with _client(ctx, config) as client:
            answer = await client.fetch_token(
                metadata["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=verifier
            )
    except (OAuthError, httpx2.HTTPError) as error:
        raise _fail("OIDC_CODE_REJECTED", f"the provider refused the sign-in code ({error})") from None
    raw = answer.get("id_token")
    if not isinstance(raw, str):
        raise _fail("OIDC_TOKEN_INVALID", "the provider sent no ID token")
    try:
        kid = jws.extract_compact(raw.encode()).headers().get("kid")
        token = jwt.decode(raw, await _keys(metadata, kid), algorithms=ID_TOKEN_ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise _fail(
            "OIDC_TOKEN_INVALID", f"the ID token's signature does not check out ({type(error).__name__})"
        ) from None
    claims = check_id_token(token, config, accepted_issuers(config, metadata), nonce)
    if config.kind == "google":
        claims["iss"] = GOOGLE_ISSUERS[0]  # one spelling, so one Google identity is one row
    return claims


def _apple_name(form: dict[str, str]) -> str | None:
    """The name Apple posts (unsigned) on the first sign-in only: display data, never identity."""
    try:
        name = json.loads(form.get("user", "")).get("name", {})
        return " ".join(part for part in (name.get("firstName"), name.get("lastName")) if part) or None
    except (ValueError, AttributeError):
        return None


def _vouched(claims: dict[str, Any]) -> bool:
    """True when the provider says it checked the email (Apple may send the string ``"true"``)."""
    return claims.get("email_verified") in (True, "true")


async def _user(conn: AsyncConnection, **where: str) -> dict[str, Any] | None:
    column, value = next(iter(where.items()))
    row = (await conn.execute(select(users).where(users.c[column] == value))).mappings().first()
    return dict(row) if row is not None else None


def _display_name(claims: dict[str, Any], given: str | None) -> str:
    email = str(claims.get("email") or "")
    for candidate in (given, claims.get("name"), claims.get("given_name"), email.partition("@")[0], "Player"):
        if isinstance(candidate, str) and candidate.strip():
            try:
                return clean_display_name(candidate[:40])
            except ApiError:
                continue
    return "Player"


async def _create(
    ctx: Context, claims: dict[str, Any], name: str, identity: dict[str, Any]
) -> dict[str, Any]:
    """A new password-less account for a provider identity, with a free display name."""
    email = auth.normalize_email(str(claims["email"]))
    for attempt in range(8):
        shown = name if attempt == 0 else f"{name[:40]} {secrets.token_hex(2)}"
        user = auth.new_user(email, shown, NO_PASSWORD, email_verified=_vouched(claims))
        try:
            async with ctx.db.engine.begin() as conn:
                await auth.insert_user(conn, user)
                await conn.execute(insert(identities).values(user_id=user["id"], **identity))
            return user
        except IntegrityError:
            async with ctx.db.engine.connect() as conn:
                if await _user(conn, email=email) is not None:  # the same email signed up a moment ago
                    raise _fail(
                        "ACCOUNT_EXISTS", "an account has this email: sign in with it, then link", 409
                    ) from None
    raise _fail("CONFLICT", "no free display name was found; try again", 409)


async def callback(ctx: Context, provider_id: str, params: dict[str, str]) -> SignedIn:
    """Finish a sign-in: check state, code and ID token, then sign in, sign up or link."""
    config = provider(ctx, provider_id)
    if "error" in params:
        raise _fail("OIDC_DENIED", f"the provider did not sign you in ({params['error'][:100]})")
    state, code = params.get("state"), params.get("code")
    if not state or not code:
        raise _fail("OIDC_STATE_INVALID", "the callback lacks its state or code; start again")
    stored = await _take_state(ctx, config, state)
    claims = await _id_token(ctx, config, code, stored["code_verifier"], stored["nonce"])
    given = _apple_name(params) if config.kind == "apple" else None
    email = claims.get("email")
    identity = {
        "issuer": str(claims["iss"]),
        "subject": str(claims["sub"]),
        "provider": config.id,
        "email": str(email)[:320] if email else None,
        "display_name": given[:100] if given else None,
        "created_at": utcnow(),
    }
    key = (identities.c.issuer == identity["issuer"]) & (identities.c.subject == identity["subject"])
    async with ctx.db.engine.begin() as conn:
        owner = (await conn.execute(select(identities.c.user_id).where(key))).scalar()
        link_to = stored["link_user_id"]
        outcome: Outcome
        if link_to is not None:
            if owner is not None and owner != link_to:
                raise _fail(
                    "IDENTITY_TAKEN", f"this {config.name} account already signs in to another player", 409
                )
            if owner is None:
                await _link(conn, config, link_to, identity)
            user, outcome = await _user(conn, id=link_to), "linked"
        elif owner is not None:
            user, outcome = await _user(conn, id=owner), "signed_in"
        else:
            user, outcome = await _claim_by_email(conn, config, claims, identity), "linked"
        if user is not None:
            return SignedIn(await auth.issue_tokens(ctx, conn, user), outcome)
    user = await _create(ctx, claims, _display_name(claims, given), identity)
    async with ctx.db.engine.begin() as conn:
        return SignedIn(await auth.issue_tokens(ctx, conn, user), "created")


async def _link(conn: AsyncConnection, config: OidcProvider, user_id: str, identity: dict[str, Any]) -> None:
    taken = await conn.execute(
        select(identities.c.subject).where(
            identities.c.user_id == user_id, identities.c.provider == config.id
        )
    )
    if taken.first() is not None:
        raise _fail(
            "PROVIDER_ALREADY_LINKED",
            f"another {config.name} account is linked already; unlink it first",
            409,
        )
    await conn.execute(insert(identities).values(user_id=user_id, **identity))


async def _claim_by_email(
    conn: AsyncConnection, config: OidcProvider, claims: dict[str, Any], identity: dict[str, Any]
) -> dict[str, Any] | None:
    """The existing account with the identity's email, linked now if both sides proved that email.

    ``None`` when no account has the email (the caller makes one).
    """
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise _fail("OIDC_EMAIL_MISSING", f"{config.name} did not share an email; allow it and try again")
    existing = await _user(conn, email=auth.normalize_email(email))
    if existing is None:
        return None
    if not (_vouched(claims) and existing["email_verified"]):
        raise _fail(
            "ACCOUNT_EXISTS",
            "an account already has this email: sign in with its password, then link "
            f"{config.name} on the account screen",
            409,
        )
    await _link(conn, config, existing["id"], identity)
    return existing


async def list_methods(ctx: Context, user_id: str) -> tuple[bool, list[dict[str, Any]]]:
    """Whether the account has a password, and its linked identities (oldest first)."""
    async with ctx.db.engine.connect() as conn:
        password = (await conn.execute(select(users.c.password_hash).where(users.c.id == user_id))).scalar()
        rows = await conn.execute(
            select(identities.c.provider, identities.c.email, identities.c.created_at)
            .where(identities.c.user_id == user_id)
            .order_by(identities.c.created_at)
        )
        linked = [dict(row) for row in rows.mappings()]
    if password is None:
        raise ApiError(404, "NOT_FOUND", "no player has this id")
    return password != NO_PASSWORD, linked


async def unlink(ctx: Context, user_id: str, provider_id: str) -> None:
    """Remove a linked identity, unless it is the account's last way to sign in."""
    async with ctx.db.engine.begin() as conn:
        password = (await conn.execute(select(users.c.password_hash).where(users.c.id == user_id))).scalar()
        count = (
            await conn.execute(
                select(func.count()).select_from(identities).where(identities.c.user_id == user_id)
            )
        ).scalar_one()
        mine = (identities.c.user_id == user_id) & (identities.c.provider == provider_id)
        if (await conn.execute(select(identities.c.subject).where(mine))).first() is None:
            raise ApiError(404, "NOT_FOUND", f"no {provider_id!r} sign-in is linked to this account")
        if password == NO_PASSWORD and count <= 1:
            raise ApiError(
                409,
                "LAST_SIGN_IN_METHOD",
                "this is your only way to sign in: set a password (Forgot password?) or link another first",
            )
        await conn.execute(delete(identities).where(mine))
