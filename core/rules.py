"""The fixed vocabulary of a Schulte game: grid sizes, orders, modes, statuses and limits.

Everything here is shared by the browser, the server and the verifier, so a value changes in one
place only. The string values are the wire format of ``CONTRACT.md``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

__all__ = [
    "CHALLENGE_ATTEMPTS",
    "MAX_SEED",
    "MAX_TAPS",
    "MAX_TIME_RANGE",
    "RANKED_MODES",
    "SCHEMA_VERSION",
    "SIZES",
    "Mode",
    "Order",
    "Status",
    "parse_choice",
]

SIZES: tuple[int, ...] = (5, 6, 7)
"""Grid sizes a board can have (cells per side)."""

MAX_SEED = 2**53
"""Seeds are below 2**53 so that JavaScript numbers carry them exactly."""

MAX_TIME_RANGE: tuple[int, int] = (30, 300)
"""Inclusive bounds of the max-time setting, in seconds."""

MAX_TAPS = 3000
"""The longest tap log a game can produce.

Ten taps a second for the longest allowed game (300 s) is beyond sustained human tapping, so a
longer log is not a game; the verifier rejects it before replaying anything, which caps its work.
"""

SCHEMA_VERSION = 1
"""The session wire-format version this package reads and writes."""


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

    @property
    def is_ranked(self) -> bool:
        """True for the modes that reach a leaderboard, where pause and hint are not allowed."""
        return self is not Mode.PRACTICE


CHALLENGE_ATTEMPTS: dict[str, int] = {Mode.DAILY: 1, Mode.WEEKLY: 3}
"""Attempts that count per challenge board and period: the first daily one, the best of three weekly.

Keyed by ``Mode`` members, which are strings, so a mode read off the wire looks up directly.
"""

RANKED_MODES: frozenset[Mode] = frozenset({Mode.RANKED, Mode.DAILY, Mode.WEEKLY})
"""Modes that need a ticket and forbid pause and hint."""


class Status(StrEnum):
    """How a game ended."""

    COMPLETED = "completed"
    """Every number was found."""
    TIMEOUT = "timeout"
    """Max time was reached first."""
    ABANDONED = "abandoned"
    """The player left before either."""


_Choice = TypeVar("_Choice", Order, Mode, Status)


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
