"""Use cases: each function is one thing a client asks for, in one database transaction.

Services take a ``Context`` (settings, database, rate limiter, mailer) and plain values, and return
plain values or raise ``ApiError``; they know nothing of HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from server.config import Settings
from server.db.engine import Database
from server.mail import Mailer
from server.ratelimit import RateLimiter

__all__ = ["Context", "utcnow"]


def utcnow() -> datetime:
    """The server's clock (UTC); every "now" in the services comes from here."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Context:
    """What every use case may need; built once per app."""

    settings: Settings
    db: Database
    limiter: RateLimiter
    mailer: Mailer
