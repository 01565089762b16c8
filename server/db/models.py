"""The schema, as SQLAlchemy Core tables; Alembic migrations under ``server/migrations`` create it.

Ids are the client's or server's UUID strings (portable between SQLite and PostgreSQL). Times are
stored as naive UTC and read back timezone-aware (``UTCDateTime``), because SQLite keeps no zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    false,
)
from sqlalchemy.types import DateTime, TypeDecorator

__all__ = [
    "NO_PASSWORD",
    "billing_events",
    "blocks",
    "board_entries",
    "board_histogram",
    "coach_models",
    "duel_results",
    "duels",
    "email_verifications",
    "follows",
    "identities",
    "metadata",
    "oidc_states",
    "password_resets",
    "refresh_tokens",
    "tickets",
    "training_sessions",
    "user_days",
    "user_stats",
    "users",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store naive UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing a naive datetime: {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read back as UTC-aware."""
        if value is None:
            return None
        assert isinstance(value, datetime)  # noqa: S101 -- the column type guarantees it
        return value.replace(tzinfo=UTC)


ID = String(36)

NO_PASSWORD = "!"  # noqa: S105 -- not an argon2 hash, so no password ever matches it
"""The ``password_hash`` of an account that has no password (it signs in through a provider)."""


def variant_column() -> Column[str]:
    """The board's variant (``core.Variant``); rows from before variants existed are classic."""
    return Column("variant", String(32), nullable=False, server_default="classic")


users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    # NO_PASSWORD for an account made through an OpenID provider, until a reset gives it one.
    Column("password_hash", String(200), nullable=False),
    Column("display_name", String(50), nullable=False),
    # NFKC and case-folded: unique, so "Ada" and "ＡＤＡ" are one name; prefix search reads it too.
    Column("display_name_key", String(50), nullable=False, index=True, unique=True),
    Column("avatar_url", String(500)),
    Column("preferences", JSON, nullable=False),
    Column("preferences_updated_at", UTCDateTime()),
    Column("is_premium", Boolean, nullable=False, default=False),
    Column("premium_until", UTCDateTime()),  # null: no end (or no premium)
    # Proven by a mailed code, or vouched for by an OpenID provider; only then may a provider auto-link.
    Column("email_verified", Boolean, nullable=False, default=False, server_default=false()),
    Column("stripe_customer_id", String(255), index=True),  # whose subscription's end revokes premium
    Column("role", String(20), nullable=False, default="player", server_default="player"),  # or moderator
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # In every access token (``ver``) and checked on every request: logout and reset raise it, ending them.
    Column("token_version", Integer, nullable=False, default=0, server_default="0"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex: the token itself is never stored
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("family_id", ID, nullable=False, index=True),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("rotated_at", UTCDateTime()),
    Column("replayed_at", UTCDateTime()),  # its one forgiven replay after rotation; a second is theft
    Column("revoked_at", UTCDateTime()),
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

email_verifications = Table(
    "email_verifications",
    metadata,
    Column("code_hash", String(64), primary_key=True),  # sha256 hex: the mailed code is never stored
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(320), nullable=False),  # the address it proves (a later change voids it)
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

identities = Table(
    "identities",
    metadata,
    # An OpenID identity is its issuer's subject, never an email: emails change hands, subjects do not.
    Column("issuer", String(300), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("provider", String(32), nullable=False),  # the configured provider's id (google, apple, ...)
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(320)),  # as the provider last said: shown on the account screen only
    Column("display_name", String(100)),  # Apple's unsigned first-sign-in name: display data only
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("user_id", "provider"),
)

oidc_states = Table(
    "oidc_states",
    metadata,
    # Kept on the server and keyed by the state's hash: Apple's form_post callback is a cross-site POST
    # that carries no SameSite cookie, so nothing of the flow can live in the browser.
    Column("state_hash", String(64), primary_key=True),
    Column("provider", String(32), nullable=False),
    Column("nonce", String(100), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("link_user_id", ID, ForeignKey("users.id", ondelete="CASCADE")),  # set when linking
    Column("expires_at", UTCDateTime(), nullable=False, index=True),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(10), nullable=False),
    variant_column(),
    Column("grid_size", Integer, nullable=False),
    Column("order_mode", String(4), nullable=False),
    Column("board_seed", BigInteger, nullable=False),
    Column("period", String(10)),  # challenge period; null for ranked
    Column("attempt", Integer),  # 1-based challenge attempt; null for ranked
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("session_id", ID),  # the session that consumed it
    Column("duel_id", ID),  # a duel ticket's duel; null for other modes
    # Two concurrent requests cannot both take the last challenge attempt.
    UniqueConstraint(
        "user_id",
        "mode",
        "period",
        "variant",
        "grid_size",
        "order_mode",
        "attempt",
        name="uq_tickets_attempt",
    ),
    # One ticket per player per duel (rows of other modes have no duel id, and NULLs never collide).
    Index("uq_tickets_duel", "duel_id", "user_id", unique=True),
)

training_sessions = Table(
    "training_sessions",
    metadata,
    Column("id", ID, primary_key=True),  # the client's UUID: the idempotency key
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("ticket_id", String(128)),
    variant_column(),  # also a variant this server does not know: such a session is kept unverified
    Column("grid_size", Integer, nullable=False),
    Column("order_mode", String(4), nullable=False),
    Column("status", String(10), nullable=False),
    Column("completion_time_ms", Float),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("period", String(10)),  # board period it counted for (ranked: UTC day; challenges: their period)
    Column("attempt", Integer),  # challenge attempt number from its ticket
    Column("payload", JSON, nullable=False),  # the wire format exactly as received
    Column("received_at", UTCDateTime(), nullable=False),
    Column("deleted_at", UTCDateTime()),  # soft delete keeps the id, so a late re-sync stays a duplicate
    # Verified but kept off the boards (a late upload, or held for review until approved).
    Column("off_board", Boolean, nullable=False, default=False, server_default=false()),
    Column("review", String(10)),  # held | approved | rejected; null when never held
    Index("ix_training_sessions_history", "user_id", "started_at"),
    Index("ix_training_sessions_review", "review"),
)

board_entries = Table(
    "board_entries",
    metadata,
    Column("board", String(20), primary_key=True),  # daily | all-time | daily-challenge | weekly-challenge
    Column("period", String(10), primary_key=True),  # 2026-11-25 | all | 2026-W48
    Column("variant", String(32), primary_key=True, server_default="classic"),
    Column("grid_size", Integer, primary_key=True),
    Column("order_mode", String(4), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("best_time_ms", Float, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("achieved_at", UTCDateTime(), nullable=False),
    # Ranking reads this index only: a page is a range scan, a rank is a COUNT of the rows before one.
    Index(
        "ix_board_entries_rank",
        "board",
        "period",
        "variant",
        "grid_size",
        "order_mode",
        "best_time_ms",
        "achieved_at",
        "user_id",
    ),
)

board_histogram = Table(
    "board_histogram",
    metadata,
    # How many entries of a board have a best time in each bucket (``BUCKET_MS`` wide). A rank is the sum of
    # the buckets before one's own (at most a few thousand small rows) plus a count inside one bucket, so
    # rank, total, percentile and deep pages cost the same on a board of 100 players or of 1,000,000.
    Column("board", String(20), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("variant", String(32), primary_key=True, server_default="classic"),
    Column("grid_size", Integer, primary_key=True),
    Column("order_mode", String(4), primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

user_stats = Table(
    "user_stats",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("total_sessions", Integer, nullable=False, default=0),
    Column("completed_sessions", Integer, nullable=False, default=0),
    Column("verified_sessions", Integer, nullable=False, default=0),
    Column("current_streak", Integer, nullable=False, default=0),
    Column("longest_streak", Integer, nullable=False, default=0),
    Column("last_played_day", Date),
    # {"5-ASC": {"best": ms, "count": n, "total": ms}, "gorbov-7-ASC": {...}}: keys are core.board_key's
    Column("per_board", JSON, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

user_days = Table(
    "user_days",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
)

follows = Table(
    "follows",
    metadata,
    Column("follower_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("followee_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

duels = Table(
    "duels",
    metadata,
    Column("id", ID, primary_key=True),
    Column("challenger_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("opponent_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    variant_column(),
    Column("grid_size", Integer, nullable=False),
    Column("order_mode", String(4), nullable=False),
    Column("board_seed", BigInteger, nullable=False),  # secret: only each player's own ticket reveals it
    Column("state", String(10), nullable=False),  # pending | accepted | declined | finished | expired
    # "<lower id>:<higher id>:<variant>:<size>:<order>" while pending or accepted, else null: the unique
    # key makes "one open duel per pair of players and board" hold under concurrent requests too.
    Column("open_key", String(120), unique=True),
    Column("winner_id", ID),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("responded_at", UTCDateTime()),
    Column("finished_at", UTCDateTime()),
)

duel_results = Table(
    "duel_results",
    metadata,
    # One row per player who played: the session that consumed their duel ticket, as judged on upload.
    Column("duel_id", ID, ForeignKey("duels.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ID, nullable=False),
    Column("status", String(10), nullable=False),
    Column("completion_time_ms", Float),
    Column("mistakes", Integer, nullable=False),
    Column("verified", Boolean, nullable=False),  # verified and on time (not late, not held for review)
    Column("reasons", JSON, nullable=False),
    Column("finished_at", UTCDateTime(), nullable=False),  # the game's end, never later than its upload
)

blocks = Table(
    "blocks",
    metadata,
    # The blocker takes no challenge from the blocked player (and cannot send one to them).
    Column("blocker_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("blocked_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

billing_events = Table(
    "billing_events",
    metadata,
    # Stripe's event id: a delivery of an event already here changes nothing (Stripe retries).
    Column("event_id", String(255), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="SET NULL")),
    Column("outcome", String(20), nullable=False),  # granted, revoked or ignored
    Column("received_at", UTCDateTime(), nullable=False),
)

coach_models = Table(
    "coach_models",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the newest row is the published model
    Column("model", JSON, nullable=False),  # core.CoachModel.to_dict()
    Column("etag", String(64), nullable=False),
    Column("fitted_at", UTCDateTime(), nullable=False),
    Column("sessions", BigInteger, nullable=False),  # verified sessions read by the fit
)
