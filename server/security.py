"""Passwords (argon2id), access tokens (HS256 JWT) and opaque tokens (stored as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ACCESS_ALGORITHM",
    "AUDIENCE",
    "ISSUER",
    "AccessClaims",
    "decode_access_token",
    "hash_password",
    "hash_token",
    "issue_access_token",
    "new_token",
    "password_needs_rehash",
    "verify_password",
]

ACCESS_ALGORITHM = "HS256"
"""The only algorithm accepted: pinned, so ``alg: none`` or an RS/HS confusion cannot pass."""
ISSUER = "schulte"
"""``iss`` of our access tokens: a token some other service signed is not ours even with a shared key."""
AUDIENCE = "schulte-api"
"""``aud`` of our access tokens: the API is the only party that accepts them."""

# OWASP's argon2id minimum (m=19 MiB, t=2, p=1): ~20 ms here, which keeps logins cheap to serve and
# guesses expensive to try.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; with ``None`` it checks a dummy hash so unknown emails take as long."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """True when the stored hash used weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    """An opaque 256-bit token for refresh and reset links."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of an opaque token: a leaked table cannot be replayed."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a valid access token says."""

    user_id: str
    """``sub``: whose token it is."""
    version: int
    """``ver``: the user's token version when it was issued (logout and reset raise it)."""


def issue_access_token(key: bytes, user_id: str, version: int, now: datetime, ttl: timedelta) -> str:
    """A short-lived access JWT for ``user_id`` at token version ``version``."""
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user_id,
        "ver": version,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "typ": "access",
    }
    return jwt.encode(claims, key, algorithm=ACCESS_ALGORITHM)


def decode_access_token(key: bytes, token: str) -> AccessClaims | None:
    """The claims of a valid access token, or ``None`` (bad signature, expired, wrong alg, iss or aud)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ACCESS_ALGORITHM],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    subject, version = claims.get("sub"), claims.get("ver")
    if claims.get("typ") != "access" or not isinstance(subject, str) or not subject:
        return None
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    return AccessClaims(subject, version)
