"""Passwords (argon2id), access tokens (HS256 JWT) and opaque tokens (stored as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ACCESS_ALGORITHM",
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


def issue_access_token(secret: str, user_id: str, now: datetime, ttl: timedelta) -> str:
    """A short-lived access JWT for ``user_id``."""
    claims = {
        "sub": user_id,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm=ACCESS_ALGORITHM)


def decode_access_token(secret: str, token: str) -> str | None:
    """The user id of a valid access token, or ``None`` (bad signature, expired, wrong alg, ...)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ACCESS_ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    if claims.get("typ") != "access" or not isinstance(subject, str) or not subject:
        return None
    return subject
