"""The HTTP shapes, defined once as msgspec Structs; the OpenAPI document is generated from them.

``SessionIn`` is CONTRACT's session wire format (schemas 1 and 2, unknown fields refused). Its
vocabulary comes from ``core`` (``core.Mode``, ``core.Order``, ``core.Status``, ``core.SIZES``), so a
new size or variant is a change in ``core`` only. Constraints here are only about shape; whether a
session is a legal, human game is ``core.verify``'s call, so nothing here duplicates a game rule.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

import core
from server.services.duels import DuelState
from server.services.sessions import Result

T = TypeVar("T")

GridSize = Annotated[int, Meta(ge=min(core.SIZES), le=max(core.SIZES), description="cells per side")]
_MAX_CELLS = max(core.SIZES) ** 2
VariantName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=32,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description=f"how tokens look: one of {[variant.value for variant in core.Variant]} on this server; "
        "a session with another is kept unverified (UNKNOWN_VARIANT)",
    ),
]
"""A bounded string, not ``core.Variant``: a newer client's variant must reach ``core.verify``, which
answers ``UNKNOWN_VARIANT``, so that the session is kept (unverified) instead of refused as malformed."""
Millis = Annotated[float, Meta(ge=0)]
# No control characters anywhere: PostgreSQL text cannot hold NUL, and nobody's name or mail has them.
Email = Annotated[
    str,
    Meta(
        min_length=3,
        max_length=320,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
    ),
]
Password = Annotated[str, Meta(min_length=8, max_length=256)]
DisplayName = Annotated[
    str,
    Meta(min_length=1, max_length=core.DISPLAY_NAME_MAX, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"),
]
# https only, and none of the characters that could leave an HTML attribute or a CSS url().
AvatarUrl = Annotated[
    str, Meta(max_length=500, pattern=r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s\"'<>\\`(){}]*)?$")
]
Token = Annotated[str, Meta(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9_\-]+$")]
Uuid = Annotated[str, Meta(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="a UUID")]


class Strict(Struct, forbid_unknown_fields=True):
    """Base of request bodies: an unknown field is an error, not silently dropped."""


# --- envelope -------------------------------------------------------------------------------------


class Envelope(Struct, Generic[T]):
    """CONTRACT's success envelope."""

    data: T
    status: Literal["success"] = "success"
    meta: dict[str, Any] = msgspec.field(default_factory=dict)


class ErrorBody(Struct):
    """What went wrong: a stable code a client can switch on, a message and details."""

    code: str
    message: str
    details: dict[str, Any] = msgspec.field(default_factory=dict)


class ErrorEnvelope(Struct):
    """CONTRACT's error envelope."""

    status: Literal["error"]
    error: ErrorBody


# --- sessions -------------------------------------------------------------------------------------


class TapEventIn(Strict):
    """One tap of the tap log: cells and tokens of the largest board ``core`` knows."""

    cell_index: Annotated[int, Meta(ge=0, lt=_MAX_CELLS)]
    expected_value: Annotated[int, Meta(ge=1, le=_MAX_CELLS)]
    tapped_value: Annotated[int, Meta(ge=1, le=_MAX_CELLS)]
    correct: bool
    timestamp_ms: Millis


class SeriesIn(Strict):
    """One table of a five-table series (schema 2)."""

    id: Uuid
    index: Annotated[int, Meta(ge=1, le=core.SERIES_LENGTH)]


class SessionIn(Strict):
    """A training session in CONTRACT's wire format, schema version 1 or 2.

    The schema-2 fields are optional and stay absent when not sent (``UNSET``), so a session is
    stored exactly as its client wrote it; a schema-1 session that carries them is ``MALFORMED``
    (``core.verify`` says so).
    """

    id: Annotated[str, Meta(pattern=r"^[0-9A-Fa-f-]{32,36}$", description="client-made UUID")]
    schema_version: Annotated[int, Meta(ge=min(core.SCHEMA_VERSIONS), le=max(core.SCHEMA_VERSIONS))]
    mode: core.Mode
    ticket_id: Annotated[str, Meta(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")] | None
    grid_size: GridSize
    order_mode: core.Order
    max_time: Annotated[int, Meta(ge=core.MAX_TIME_RANGE[0], le=core.MAX_TIME_RANGE[1])]
    hint_enabled: bool
    board_seed: Annotated[int, Meta(ge=0, lt=core.MAX_SEED)]
    started_at: Annotated[datetime, Meta(tz=True)]
    completed_at: Annotated[datetime, Meta(tz=True)] | None
    status: core.Status
    completion_time_ms: Millis | None
    paused_ms: Millis
    mistakes: Annotated[int, Meta(ge=0)]
    accuracy: Annotated[float, Meta(ge=0, le=100)]
    tap_events: Annotated[list[TapEventIn], Meta(max_length=core.MAX_TAPS)]
    variant: VariantName | UnsetType = UNSET
    """Schema 2: ``classic`` when absent."""
    reshuffle: bool | UnsetType = UNSET
    """Schema 2 (practice only): ``false`` when absent."""
    series: SeriesIn | UnsetType | None = UNSET
    """Schema 2: ``null`` when absent."""


class ReasonOut(Struct):
    """Why a session does not count: a stable code, a message and the tap to blame, if any."""

    code: str
    message: str
    index: int | None = None


class SessionOut(SessionIn, kw_only=True):
    """A stored session: the wire format as sent, plus what the server decided."""

    user_id: str
    verified: bool
    reasons: list[ReasonOut]
    received_at: datetime


class SessionSummary(Struct):
    """A session in a history list (no tap log)."""

    id: str
    mode: core.Mode
    variant: str
    grid_size: int
    order_mode: core.Order
    status: core.Status
    completion_time_ms: float | None
    started_at: datetime
    verified: bool
    reasons: list[ReasonOut]
    received_at: datetime


class SyncIn(Strict):
    """A batch of offline sessions; items are checked one by one so one bad item fails alone."""

    sessions: list[dict[str, Any]]


class SyncResult(Struct):
    """The fate of one sync item, in the order sent; ``id`` is null when the item had no usable id."""

    id: str | None
    result: Result
    verified: bool
    reasons: list[ReasonOut]


# --- tickets and challenges -----------------------------------------------------------------------


class TicketIn(Strict):
    """Which board the attempt will be on: ranked, a challenge's, or a duel's.

    A duel ticket (``mode: duel`` and ``duel_id``) is on the duel's board: the other fields are ignored.
    """

    mode: core.Mode
    grid_size: GridSize = 5
    order_mode: core.Order = core.Order.ASC
    variant: core.Variant = core.Variant.CLASSIC
    duel_id: Uuid | None = None


class TicketOut(Struct):
    """A single-use ticket: the seed is revealed only now, when the attempt may start."""

    id: str
    mode: core.Mode
    board_seed: int
    grid_size: int
    order_mode: core.Order
    variant: core.Variant
    issued_at: datetime
    expires_at: datetime
    duel_id: str | None = None
    """The duel a duel ticket is for; null for the other modes."""


class ChallengeOut(Struct):
    """One current challenge (no seed: that comes only with a ticket)."""

    mode: core.Mode
    period: str
    variant: core.Variant
    grid_size: int
    order_mode: core.Order
    starts_at: datetime
    ends_at: datetime
    attempts_allowed: int
    attempts_used: int
    attempts_left: int


class ChallengesOut(Struct):
    """Today's daily and this week's weekly challenge."""

    daily: ChallengeOut
    weekly: ChallengeOut


# --- duels ----------------------------------------------------------------------------------------


class DuelIn(Strict):
    """A challenge: whom, and on which board."""

    opponent_id: Uuid
    grid_size: GridSize = 5
    order_mode: core.Order = core.Order.ASC
    variant: core.Variant = core.Variant.CLASSIC


class DuelPlayerOut(Struct):
    """A duel's player, as anyone may see them."""

    id: str
    display_name: str
    avatar_url: str | None


class DuelResultOut(Struct):
    """One player's game of a duel.

    ``verified`` is true only for a verified game that reached the server inside its ticket's window
    and is not held for review: only such a game can win.
    """

    user_id: str
    session_id: str
    status: core.Status
    completion_time_ms: float | None
    mistakes: int
    verified: bool
    finished_at: datetime
    reasons: list[ReasonOut]


class DuelOut(Struct):
    """A duel (CONTRACT: Duels); the board's seed is never in it, only in each player's own ticket."""

    id: str
    challenger: DuelPlayerOut
    opponent: DuelPlayerOut
    grid_size: int
    order_mode: core.Order
    variant: core.Variant
    state: DuelState
    created_at: datetime
    expires_at: datetime
    results: list[DuelResultOut]
    winner_id: str | None
    """Set once ``finished``; null for a draw or when nobody completed a verified game."""
    responded_at: datetime | None
    finished_at: datetime | None


class BlockOut(Struct):
    """A player you blocked from challenging you."""

    user: DuelPlayerOut
    blocked_at: datetime


# --- auth and users -------------------------------------------------------------------------------


class RegisterIn(Strict):
    """A new account."""

    email: Email
    password: Password
    display_name: DisplayName


class LoginIn(Strict):
    """Credentials."""

    email: Email
    password: Annotated[str, Meta(min_length=1, max_length=256)]


class RefreshIn(Strict):
    """A refresh token, when the client does not use the cookie."""

    refresh_token: Token | None = None


class ForgotIn(Strict):
    """Where to send a reset link."""

    email: Email


class ResetIn(Strict):
    """The token from the reset mail and the new password."""

    token: Token
    password: Password


class VerifyEmailIn(Strict):
    """The code from the verification mail."""

    code: Token


class UserOut(Struct):
    """The signed-in user's own profile."""

    id: str
    email: str
    display_name: str
    avatar_url: str | None
    email_verified: bool
    is_premium: bool
    premium_until: datetime | None
    preferences: dict[str, Any]
    preferences_updated_at: datetime | None
    created_at: datetime


class PublicUserOut(Struct):
    """What anyone may see of a player."""

    id: str
    display_name: str
    avatar_url: str | None
    created_at: datetime


class TokensOut(Struct):
    """The access token after login or refresh; the refresh token is only in the HttpOnly cookie."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    user: UserOut


class ProviderOut(Struct):
    """An OpenID provider players may sign in with."""

    id: str
    name: str


class LinkOut(Struct):
    """Where to send the browser to link a provider (its authorize URL)."""

    url: str


class IdentityOut(Struct):
    """A provider identity linked to the account."""

    provider: str
    name: str
    email: str | None
    linked_at: datetime


class SignInMethodsOut(Struct):
    """The ways this account can sign in; the last one cannot be removed."""

    password: bool
    identities: list[IdentityOut]


class ProfileIn(Strict):
    """Profile changes; omitted fields stay as they are, ``avatar_url: null`` removes the avatar."""

    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET
    avatar_url: AvatarUrl | msgspec.UnsetType | None = msgspec.UNSET


class PreferencesIn(Strict):
    """The app's settings; the newer ``updated_at`` wins (last write wins across devices)."""

    preferences: Annotated[dict[str, Any], Meta(max_length=100)]
    updated_at: Annotated[datetime, Meta(tz=True)]


class PreferencesOut(Struct):
    """The stored settings and whether this write won."""

    preferences: dict[str, Any]
    updated_at: datetime | None
    applied: bool


class BoardStatsOut(Struct):
    """Best and average time on one board: variant × grid size × order (verified completed sessions)."""

    variant: core.Variant
    grid_size: int
    order_mode: core.Order
    completed: int
    best_time_ms: float | None
    average_time_ms: float | None


class StatsOut(Struct):
    """A player's totals and streaks (streaks count UTC days with at least one session)."""

    user_id: str
    total_sessions: int
    completed_sessions: int
    verified_sessions: int
    current_streak: int
    longest_streak: int
    last_played_day: date | None
    boards: list[BoardStatsOut]


class MeOut(Struct):
    """``GET /users/me``: profile plus stats."""

    user: UserOut
    stats: StatsOut


class MessageOut(Struct):
    """A plain confirmation."""

    message: str


class FollowOut(Struct):
    """A followed player."""

    user: PublicUserOut
    followed_at: datetime


# --- leaderboards and stats -----------------------------------------------------------------------


class LeaderboardEntry(Struct):
    """One row of a board."""

    rank: int
    user_id: str
    display_name: str
    avatar_url: str | None
    best_time_ms: float
    session_id: str
    achieved_at: datetime


class PercentileOut(Struct):
    """Share of players' all-time bests that a time beats; ties count half (``core.percentile``)."""

    percentile: float | None
    sample: int


class HealthOut(Struct):
    """Liveness."""

    status: Literal["ok"]
    version: str


class OutboxMail(Struct):
    """A mail in the development outbox."""

    to: str
    subject: str
    body: str
    sent_at: datetime


class DeletedOut(Struct):
    """Confirmation of a delete."""

    id: str
    deleted: bool
