"""The fixed vocabulary of a Schulte game: grid sizes, orders, modes, statuses and limits.

Everything here is shared by the browser, the server and the verifier, so a value changes in one
place only. The string values are the wire format of ``CONTRACT.md``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

__all__ = [
    "CHALLENGE_ATTEMPTS",
    "DEFAULT_MAX_TIME",
    "DEFAULT_SIZE",
    "DISPLAY_NAME_MAX",
    "LETTER_SIZES",
    "MAX_SEED",
    "MAX_TAPS",
    "MAX_TIME_RANGE",
    "MAX_TIME_STEP",
    "RANKED_MODES",
    "SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "SERIES_LENGTH",
    "SIZES",
    "Mode",
    "Order",
    "Status",
    "Variant",
    "parse_choice",
]

SIZES: tuple[int, ...] = tuple(range(3, 11))
"""Grid sizes a board can have (cells per side): 3×3 up to 10×10."""

LETTER_SIZES: tuple[int, ...] = (3, 4, 5)
"""Grid sizes the letters variant can have: the alphabet's 26 letters cover at most 5×5."""

MAX_SEED = 2**53
"""Seeds are below 2**53 so that JavaScript numbers carry them exactly."""

MAX_TIME_RANGE: tuple[int, int] = (30, 300)
"""Inclusive bounds of the max-time setting, in seconds."""

MAX_TIME_STEP = 10
"""The max-time setting moves in steps of this many seconds."""

DEFAULT_SIZE = 5
"""The grid a new player starts on, and what an unreadable setting falls back to."""

DEFAULT_MAX_TIME = 120
"""The max time (seconds) a new player starts with, and what an unreadable setting falls back to."""

DISPLAY_NAME_MAX = 50
"""The longest display name, in characters after NFKC normalisation (the server enforces it, the app's
sign-up field stops there)."""

MAX_TAPS = 3000
"""The longest tap log a game can produce.

Ten taps a second for the longest allowed game (300 s) is beyond sustained human tapping, so a
longer log is not a game; the verifier rejects it before replaying anything, which caps its work.
"""

SCHEMA_VERSION = 2
"""The session wire-format version this package writes (``CONTRACT.md``, "Version 2")."""

SCHEMA_VERSIONS: tuple[int, ...] = (1, 2)
"""Wire-format versions this package reads: a schema-1 session is a classic board and verifies forever."""

SERIES_LENGTH = 5
"""Tables in a series: Rubinstein's efficiency, warm-up and stability are computed over five."""


class Order(StrEnum):
    """The direction in which numbers must be found."""

    ASC = "ASC"
    """1 up to N²."""
    DESC = "DESC"
    """N² down to 1."""


class Mode(StrEnum):
    """Where a session counts; see the table of modes in ``CONTRACT.md``."""

    PRACTICE = "practice"
    """Any seed, pause and hint allowed; counts for personal history only."""
    RANKED = "ranked"
    """Seed from a one-time server ticket; counts for global boards."""
    DAILY = "daily"
    """The UTC day's challenge board; the first attempt counts."""
    WEEKLY = "weekly"
    """The ISO week's challenge board; the best of the first three attempts counts."""
    DUEL = "duel"
    """A friend's challenge: both players get the same hidden board, each through their own ticket."""

    @property
    def is_ranked(self) -> bool:
        """True for the modes that reach a leaderboard, where pause and hint are not allowed."""
        return self is not Mode.PRACTICE


CHALLENGE_ATTEMPTS: dict[str, int] = {Mode.DAILY: 1, Mode.WEEKLY: 3}
"""Attempts that count per challenge board and period: the first daily one, the best of three weekly.

Keyed by ``Mode`` members, which are strings, so a mode read off the wire looks up directly.
"""

RANKED_MODES: frozenset[Mode] = frozenset({Mode.RANKED, Mode.DAILY, Mode.WEEKLY, Mode.DUEL})
"""Modes that need a ticket and forbid pause and hint."""


class Variant(StrEnum):
    """How tokens look. A variant never changes the rule: tokens 1…N² are found in order either way."""

    CLASSIC = "classic"
    """Token t shows the number t."""
    LETTERS = "letters"
    """Token t shows the t-th Latin capital letter (1 → A); grid sizes 3–5 only."""
    GORBOV = "gorbov"
    """Gorbov's red-black table: black numbers ascending alternate with red numbers descending."""

    @property
    def sizes(self) -> tuple[int, ...]:
        """The grid sizes this variant can be played on."""
        return LETTER_SIZES if self is Variant.LETTERS else SIZES


class Status(StrEnum):
    """How a game ended."""

    COMPLETED = "completed"
    """Every number was found."""
    TIMEOUT = "timeout"
    """Max time was reached first."""
    ABANDONED = "abandoned"
    """The player left before either."""


_Choice = TypeVar("_Choice", Order, Mode, Status, Variant)


def parse_choice(kind: type[_Choice], value: object, name: str) -> _Choice:
    """``kind(value)``, with a ``ValueError`` that names the field and the allowed values."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    allowed = [member.value for member in kind]
    shown = repr(value) if len(repr(value)) <= 64 else repr(value)[:61] + "..."
    raise ValueError(f"{name} must be one of {allowed}, got {shown}")
