"""The training session and its JSON wire format (schema versions 1 and 2, see ``CONTRACT.md``).

``TrainingSession.from_dict`` is the one gate through which untrusted session data enters Python:
it checks every field's type and range and names the field it rejects. Game rules are not checked
here; that is ``core.verify``'s job.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from core.rules import (
    MAX_SEED,
    MAX_TAPS,
    MAX_TIME_RANGE,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    SERIES_LENGTH,
    SIZES,
    Mode,
    Order,
    Status,
    Variant,
    parse_choice,
)

__all__ = ["Series", "SessionFormatError", "TapEvent", "TrainingSession", "format_timestamp"]

_MAX_ID_LENGTH = 128
_MAX_CELLS = max(SIZES) ** 2
_Choice = TypeVar("_Choice", Mode, Order, Status, Variant)
_MAX_TIMESTAMP_MS = 7 * 24 * 3600 * 1000  # a week of an open board is already absurd


class SessionFormatError(ValueError):
    """A session dict does not follow the wire format; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str, code: str = "MALFORMED") -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        """Dotted path of the bad field, e.g. ``tap_events[3].cell_index``."""
        self.problem = problem
        """What is wrong with it."""
        self.code = code
        """The ``verify`` reason code it becomes: ``MALFORMED`` unless a more telling one applies."""


class TapEvent(NamedTuple):
    """One tap: where it landed, what was there, what was sought, and when.

    A named tuple rather than a frozen dataclass: just as immutable, and five times cheaper to build,
    which counts when the server replays the tap log of every upload.
    """

    cell_index: int
    """Row-major index of the tapped cell (0 … N²−1)."""
    expected_value: int
    """The number the player had to find at that moment."""
    tapped_value: int
    """The number in the tapped cell."""
    correct: bool
    """Whether the tap found the sought number."""
    timestamp_ms: float
    """Milliseconds since the board was shown, from the input event's own time stamp."""

    def to_dict(self) -> dict[str, Any]:
        """The wire form of this tap."""
        return {
            "cell_index": self.cell_index,
            "expected_value": self.expected_value,
            "tapped_value": self.tapped_value,
            "correct": self.correct,
            "timestamp_ms": self.timestamp_ms,
        }

    @classmethod
    def from_dict(cls, data: object, path: str = "tap_event") -> TapEvent:
        """Read one tap from its wire form; errors name ``path`` and the field."""
        fields = _fields(data, path, _TAP_FIELDS)
        return cls(
            cell_index=_int(fields, "cell_index", path, 0, _MAX_CELLS - 1),
            expected_value=_int(fields, "expected_value", path, 1, _MAX_CELLS),
            tapped_value=_int(fields, "tapped_value", path, 1, _MAX_CELLS),
            correct=_bool(fields, "correct", path),
            timestamp_ms=_number(fields, "timestamp_ms", path, 0, _MAX_TIMESTAMP_MS),
        )


_TAP_FIELDS = ("cell_index", "expected_value", "tapped_value", "correct", "timestamp_ms")


@dataclass(frozen=True, slots=True)
class Series:
    """Which table of a five-table series a session is (Rubinstein's test plays five in a row)."""

    id: str
    """UUID shared by the series' sessions."""
    index: int
    """1 … 5: the table's place in the series."""

    def __post_init__(self) -> None:
        _series_fields({"id": self.id, "index": self.index})

    def to_dict(self) -> dict[str, Any]:
        """The wire form."""
        return {"id": self.id, "index": self.index}

    @classmethod
    def from_dict(cls, data: object) -> Series | None:
        """Read ``series`` from its wire form (``null`` or ``{"id", "index"}``); errors say ``BAD_SERIES``."""
        if data is None:
            return None
        series_id, index = _series_fields(data)
        return cls(series_id, index)


def _series_fields(data: object) -> tuple[str, int]:
    if not isinstance(data, Mapping) or set(data) != {"id", "index"}:
        raise SessionFormatError("series", 'must be null or {"id": <uuid>, "index": 1..5}', "BAD_SERIES")
    try:
        series_id = _uuid(data, "id")
        index = _int(data, "index", "series", 1, SERIES_LENGTH)
    except SessionFormatError as error:
        field = f"series.{error.field.removeprefix('series.')}"
        raise SessionFormatError(field, error.problem, "BAD_SERIES") from None
    return series_id, index


@dataclass(frozen=True, slots=True)
class TrainingSession:
    """One finished attempt at a board, exactly as it travels between app, storage and server."""

    id: str
    """UUID chosen by the client when the attempt starts; the idempotency key everywhere."""
    mode: Mode
    """Where the session counts (practice, ranked, daily, weekly)."""
    ticket_id: str | None
    """The server ticket that revealed the seed; ``None`` only in practice."""
    grid_size: int
    """Cells per side (3 … 10)."""
    order_mode: Order
    """ASC (1 → N²) or DESC (N² → 1)."""
    max_time: int
    """Time limit in seconds (30–300), counted from the first correct tap, pauses excluded."""
    hint_enabled: bool
    """Whether the next cell was highlighted."""
    board_seed: int
    """Seed of the board (0 <= seed < 2**53)."""
    started_at: datetime
    """UTC time the board was shown: the origin of every ``timestamp_ms``."""
    completed_at: datetime | None
    """UTC time the game ended; may be ``None`` for an abandoned game."""
    status: Status
    """completed, timeout or abandoned."""
    completion_time_ms: float | None
    """Last correct tap − first correct tap − pauses; ``None`` unless completed."""
    paused_ms: float
    """Total time spent paused (practice only)."""
    mistakes: int
    """Wrong taps, including those before the first correct one."""
    accuracy: float
    """``(cells − mistakes) / cells × 100``, clamped at 0, 2 decimals."""
    tap_events: tuple[TapEvent, ...]
    """Every tap, in order."""
    schema_version: int = SCHEMA_VERSION
    """Wire-format version: 2, or 1 for a session read in the first wave's format."""
    variant: Variant = Variant.CLASSIC
    """How tokens look (schema 2); a schema-1 session is classic."""
    reshuffle: bool = False
    """Whether unfound cells were dealt again after each correct tap (schema 2, practice only)."""
    series: Series | None = None
    """The five-table series this session belongs to, if any (schema 2)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready wire form (key order as in ``CONTRACT.md``); schema 1 stays schema 1."""
        wire = self._v1_dict()
        if self.schema_version >= 2:
            wire["variant"] = self.variant.value
            wire["reshuffle"] = self.reshuffle
            wire["series"] = None if self.series is None else self.series.to_dict()
        return wire

    def _v1_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema_version": self.schema_version,
            "mode": self.mode.value,
            "ticket_id": self.ticket_id,
            "grid_size": self.grid_size,
            "order_mode": self.order_mode.value,
            "max_time": self.max_time,
            "hint_enabled": self.hint_enabled,
            "board_seed": self.board_seed,
            "started_at": format_timestamp(self.started_at),
            "completed_at": None if self.completed_at is None else format_timestamp(self.completed_at),
            "status": self.status.value,
            "completion_time_ms": self.completion_time_ms,
            "paused_ms": self.paused_ms,
            "mistakes": self.mistakes,
            "accuracy": self.accuracy,
            "tap_events": [tap.to_dict() for tap in self.tap_events],
        }

    @classmethod
    def from_dict(cls, data: object) -> TrainingSession:
        """Read a session from its wire form.

        Raises ``SessionFormatError`` (a ``ValueError``) naming the first bad field: missing,
        unknown, of the wrong type or out of range. Nothing about the game's logic is judged here.
        """
        if not isinstance(data, Mapping):
            raise SessionFormatError("session", f"must be an object, got {type(data).__name__}")
        version = _int(_required(data, "schema_version"), "schema_version", "session", 0, 2**31)
        if version not in SCHEMA_VERSIONS:
            raise SessionFormatError("schema_version", f"unsupported version {version}, expected 1 or 2")
        fields = _fields(data, "session", _SESSION_FIELDS, _V2_FIELDS if version >= 2 else ())
        mode = _enum(fields, "mode", Mode)
        ticket_id = fields["ticket_id"]
        if ticket_id is not None:
            ticket_id = _string(fields, "ticket_id", _MAX_ID_LENGTH)
        elif mode is not Mode.PRACTICE:
            raise SessionFormatError("ticket_id", f"must be a ticket id in {mode.value} mode, got null")
        status = _enum(fields, "status", Status)
        completion = fields["completion_time_ms"]
        if completion is not None:
            completion = _number(fields, "completion_time_ms", "session", 0, 300_000)
        raw_taps = fields["tap_events"]
        if not isinstance(raw_taps, list):
            raise SessionFormatError("tap_events", f"must be a list, got {type(raw_taps).__name__}")
        if len(raw_taps) > MAX_TAPS:
            raise SessionFormatError(
                "tap_events", f"has {len(raw_taps)} taps, more than a game can produce ({MAX_TAPS})"
            )
        completed_at = fields["completed_at"]
        if completed_at is None and status is not Status.ABANDONED:
            raise SessionFormatError(
                "completed_at", f"may be null only for an abandoned game, not {status.value}"
            )
        grid_size = _int(fields, "grid_size", "session", 0, 2**31)
        if grid_size not in SIZES:
            raise SessionFormatError(
                "grid_size", f"must be {SIZES[0]} … {SIZES[-1]}, got {grid_size}", "GRID_SIZE_OUT_OF_RANGE"
            )
        variant = Variant.CLASSIC
        if fields.get("variant", Variant.CLASSIC) != Variant.CLASSIC:
            try:
                variant = _enum(fields, "variant", Variant)
            except SessionFormatError as error:
                raise SessionFormatError("variant", error.problem, "UNKNOWN_VARIANT") from None
        taps = _read_taps(raw_taps, grid_size)
        return cls(
            id=_uuid(fields, "id"),
            mode=mode,
            ticket_id=ticket_id,
            grid_size=grid_size,
            order_mode=_enum(fields, "order_mode", Order),
            max_time=_int(fields, "max_time", "session", *MAX_TIME_RANGE),
            hint_enabled=_bool(fields, "hint_enabled", "session"),
            board_seed=_int(fields, "board_seed", "session", 0, MAX_SEED - 1),
            started_at=_datetime(fields, "started_at"),
            completed_at=None if completed_at is None else _datetime(fields, "completed_at"),
            status=status,
            completion_time_ms=completion,
            paused_ms=_number(fields, "paused_ms", "session", 0, _MAX_TIMESTAMP_MS),
            mistakes=_int(fields, "mistakes", "session", 0, MAX_TAPS),
            accuracy=_number(fields, "accuracy", "session", 0, 100),
            tap_events=taps,
            schema_version=version,
            variant=variant,
            reshuffle=_bool(fields, "reshuffle", "session") if "reshuffle" in fields else False,
            series=Series.from_dict(fields.get("series")),
        )


_SESSION_FIELDS = (
    "id",
    "schema_version",
    "mode",
    "ticket_id",
    "grid_size",
    "order_mode",
    "max_time",
    "hint_enabled",
    "board_seed",
    "started_at",
    "completed_at",
    "status",
    "completion_time_ms",
    "paused_ms",
    "mistakes",
    "accuracy",
    "tap_events",
)
_V2_FIELDS = ("variant", "reshuffle", "series")
"""Optional in a schema-2 session, with the defaults classic, false and null."""


def _read_taps(raw_taps: list[object], grid_size: int) -> tuple[TapEvent, ...]:
    """Read the tap log, checking the common well-formed tap inline.

    The server verifies every upload, so this loop is hot; only an unusual tap goes through the slower
    checks that name the bad field.
    """
    cells = grid_size * grid_size
    taps = []
    for index, tap in enumerate(raw_taps):
        if type(tap) is dict and len(tap) == len(_TAP_FIELDS):
            cell, expected, tapped = tap.get("cell_index"), tap.get("expected_value"), tap.get("tapped_value")
            correct, time = tap.get("correct"), tap.get("timestamp_ms")
            if (
                type(cell) is int
                and 0 <= cell < cells
                and type(expected) is int
                and 0 < expected <= cells
                and type(tapped) is int
                and 0 < tapped <= cells
                and type(correct) is bool
                and (type(time) is float or type(time) is int)
                and 0 <= time <= _MAX_TIMESTAMP_MS
            ):
                taps.append(TapEvent(cell, expected, tapped, correct, time))
                continue
        taps.append(_checked_tap(tap, f"tap_events[{index}]", grid_size))
    return tuple(taps)


def _checked_tap(data: object, path: str, grid_size: int) -> TapEvent:
    tap = TapEvent.from_dict(data, path)
    cells = grid_size * grid_size
    board = f"on a {grid_size}x{grid_size} board"
    if tap.cell_index >= cells:
        raise SessionFormatError(
            f"{path}.cell_index", f"must be in 0..{cells - 1} {board}, got {tap.cell_index}"
        )
    for name, value in (("expected_value", tap.expected_value), ("tapped_value", tap.tapped_value)):
        if value > cells:
            raise SessionFormatError(f"{path}.{name}", f"must be in 1..{cells} {board}, got {value}")
    return tap


def format_timestamp(moment: datetime) -> str:
    """UTC ISO 8601 with milliseconds and a ``Z``, as JavaScript's ``toISOString`` writes it.

    >>> format_timestamp(datetime(2026, 11, 25, 9, 14, 3, 120000, tzinfo=UTC))
    '2026-11-25T09:14:03.120Z'
    """
    if moment.tzinfo is None:
        raise ValueError(f"timestamp must be timezone-aware, got naive {moment!r}")
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    # isoformat truncates to the millisecond as toISOString does, and is several times faster than strftime
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"


def _fields(
    data: object, path: str, names: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise SessionFormatError(path, f"must be an object, got {type(data).__name__}")
    for name in names:
        if name not in data:
            raise SessionFormatError(_join(path, name), "is missing")
    if len(data) != len(names):
        extra = sorted(str(key) for key in data if key not in names and key not in optional)
        if extra:
            raise SessionFormatError(_join(path, extra[0][:64]), "is not a field of the session format")
    return data


def _required(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    if name not in data:
        raise SessionFormatError(name, "is missing")
    return data


def _join(path: str, name: str) -> str:
    return name if path == "session" else f"{path}.{name}"


def _int(fields: Mapping[str, object], name: str, path: str, low: int, high: int) -> int:
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise SessionFormatError(_join(path, name), f"must be an integer, got {_kind(value)}")
    if not low <= value <= high:
        raise SessionFormatError(_join(path, name), f"must be in {low}..{high}, got {_short(value)}")
    return value


def _number(fields: Mapping[str, object], name: str, path: str, low: float, high: float) -> float:
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SessionFormatError(_join(path, name), f"must be a number, got {_kind(value)}")
    if isinstance(value, int) and not low <= value <= high:
        raise SessionFormatError(_join(path, name), f"must be in {low}..{high}, got {_short(value)}")
    if not (math.isfinite(value) and low <= value <= high):
        raise SessionFormatError(_join(path, name), f"must be in {low}..{high}, got {value!r}")
    return value


def _bool(fields: Mapping[str, object], name: str, path: str) -> bool:
    value = fields[name]
    if not isinstance(value, bool):
        raise SessionFormatError(_join(path, name), f"must be true or false, got {_kind(value)}")
    return value


def _string(fields: Mapping[str, object], name: str, max_length: int) -> str:
    value = fields[name]
    if not isinstance(value, str):
        raise SessionFormatError(name, f"must be a string, got {_kind(value)}")
    if not 0 < len(value) <= max_length:
        raise SessionFormatError(name, f"must be 1..{max_length} characters, got {len(value)}")
    return value


def _uuid(fields: Mapping[str, object], name: str) -> str:
    value = _string(fields, name, _MAX_ID_LENGTH)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise SessionFormatError(name, f"must be a UUID, got {value[:64]!r}") from None


def _enum(fields: Mapping[str, object], name: str, kind: type[_Choice]) -> _Choice:
    try:
        return parse_choice(kind, fields[name], name)
    except ValueError as error:
        raise SessionFormatError(name, str(error).removeprefix(f"{name} ")) from None


def _datetime(fields: Mapping[str, object], name: str) -> datetime:
    value = _string(fields, name, 64)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SessionFormatError(name, f"must be an ISO 8601 UTC time, got {value!r}") from None
    if moment.tzinfo is None:
        raise SessionFormatError(name, f"must carry a time zone (e.g. 'Z'), got {value!r}")
    return moment.astimezone(UTC)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _short(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a {value.bit_length()}-bit integer"
    text = repr(value)
    return text if len(text) <= 64 else text[:61] + "..."
