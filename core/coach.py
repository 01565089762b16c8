"""The adaptive coach: which board to play next, aiming at about 80 % success.

**Success.** A game succeeds when it is completed (so within its ``max_time``) with at most
``allowed_mistakes(grid_size)`` wrong taps: 5 % of the cells, at least one. Games with a hint or
with reshuffle are other tasks and abandoned games measure nothing, so none of them is rated.

**Model** (Elo learner-vs-item, R. Pelánek, "Applications of the Elo rating system in adaptive
educational systems", *Computers & Education* 98, 2016). A player has a rating θ; a configuration
c = (variant, size, order, max_time) has a difficulty d_c; the chance of success is the logistic

    P(success) = 1 / (1 + exp(−(θ − d_c))),   d_c = (b_board − ln max_time) / SCALE.

``b_board`` is the natural log of the seconds at which a player rated 0 (the typical adult) has an
even chance on that board (variant × size × order), so less time or a harder board raises d_c.
``SCALE`` (0.25) is how many log-seconds one logit is worth. It is chosen, not measured: a logistic
of that scale spreads a player's log-times with a standard deviation of π·0.25/√3 ≈ 0.45, room for
game-to-game variation plus what mistakes and board layouts add, so one odd game moves the rating
only a little. The fit keeps it fixed so that ``b`` stays in seconds; revisit it once verified logs
can measure the spread.

**Update rule**, after each rated game with outcome s (1 success, 0 not):

    θ ← θ + K_n · (s − P),   K_n = max(K_MIN, K_START / (1 + K_DECAY · n)),

where n counts the player's earlier rated games. The uncertainty function K_START / (1 + K_DECAY n)
is Pelánek's (2016): large steps while little is known, smaller ones later. Unlike a fact that is
learned once, speed keeps improving with practice, so K never drops below ``K_MIN``. On the device
only θ moves; the difficulties come from ``CoachModel``, fitted from all players' verified
sessions on the server (``core.fit``), or ``DEFAULT_MODEL`` before the app ever went online.

**Choice.** The coach keeps the last configuration while its predicted chance is within
``TARGET ± BAND`` (0.8 ± 0.08). Above, it takes the harder neighbour, below, the easier one, whose
chance is nearest 0.8. A neighbour changes one knob: size ±1, one rung of ``MAX_TIME_LADDER``, or
the order. The variant is the player's choice and stays. The target follows Levitt's (1971)
3-down-1-up staircase (79.4 %) and the "85 % rule" for learning (Wilson et al. 2019, *Nature
Communications* 10:4646); Math Garden aims at 75 % (Klinkenberg et al. 2011). The band is a dead
zone, as in a staircase, so that the suggestion does not flip after every game.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.rules import Order, Status, Variant
from core.session import TrainingSession
from core.stats import board_key

__all__ = [
    "BAND",
    "DEFAULT_MODEL",
    "K_DECAY",
    "K_MIN",
    "K_START",
    "MAX_TIME_LADDER",
    "REASON_TEMPLATES",
    "SCALE",
    "TARGET",
    "CoachModel",
    "CoachModelError",
    "Configuration",
    "Suggestion",
    "allowed_mistakes",
    "coach_row",
    "default_difficulty",
    "player_rating",
    "succeeded",
    "suggest",
]

TARGET = 0.8
"""The chance of success the coach aims at (see the module docstring for the evidence)."""

BAND = 0.08
"""Dead zone around ``TARGET``: within it the configuration stays."""

SCALE = 0.25
"""Log-seconds per logit: how steeply the chance of success falls as max time shrinks."""

K_START = 0.8
"""Elo step of a player's first rated game (logits per unit of surprise)."""

K_DECAY = 0.05
"""How fast the step shrinks with games played: half of ``K_START`` after 20 games."""

K_MIN = 0.15
"""The smallest step, so a player who keeps improving is followed."""

MAX_TIME_LADDER: tuple[int, ...] = (300, 240, 180, 120, 90, 60, 45, 30)
"""The max-time rungs the coach moves along, easiest first; each within ``MAX_TIME_RANGE``."""

_TYPICAL_5X5_S = 40.0  # a typical adult's 5×5 time: adult times are commonly 30–50 s (FIELD-NOTES)
_SIZE_EXPONENT = 1.25  # search time per cell grows with the board, so time grows faster than cells
_ORDER_FACTOR = {Order.ASC: 1.0, Order.DESC: 1.1}  # counting down is the less practised direction
_VARIANT_FACTOR = {Variant.CLASSIC: 1.0, Variant.LETTERS: 1.15, Variant.GORBOV: 1.6}


def default_difficulty(variant: Variant, grid_size: int, order: Order) -> float:
    """The prior ``b`` of a board: the typical 5×5 time scaled by board size, order and variant.

    >>> round(math.exp(default_difficulty(Variant.CLASSIC, 5, Order.ASC)), 1)
    40.0
    """
    seconds = _TYPICAL_5X5_S * (grid_size * grid_size / 25) ** _SIZE_EXPONENT
    return round(math.log(seconds * _ORDER_FACTOR[order] * _VARIANT_FACTOR[variant]), 4)


@dataclass(frozen=True, slots=True)
class Configuration:
    """What the player is asked to play: the knobs the coach turns."""

    variant: Variant
    """How tokens look."""
    grid_size: int
    """Cells per side."""
    order_mode: Order
    """ASC or DESC."""
    max_time: int
    """Seconds allowed."""

    @property
    def key(self) -> str:
        """``core.board_key`` of its board."""
        return board_key(self.grid_size, self.order_mode.value, self.variant.value)


class CoachModelError(ValueError):
    """A coach model's JSON is not one: ``code`` is ``BAD_COACH_MODEL``, ``field`` names the bad field.

    The app then keeps the model it had (or ``DEFAULT_MODEL``), so a bad publication never stops
    the coach.
    """

    code = "BAD_COACH_MODEL"
    """The stable code for clients and logs."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"coach model: {field} {problem}")
        self.field = field
        """The bad field, e.g. ``difficulties['5-ASC']``."""


@dataclass(frozen=True, slots=True)
class CoachModel:
    """The difficulty table: plain data that the server fits and publishes as JSON."""

    difficulties: dict[str, float]
    """``b`` per ``board_key``: ln of the seconds at which a player rated 0 has an even chance."""
    scale: float = SCALE
    """Log-seconds per logit."""
    players: int = 0
    """Players whose sessions the fit used (0 for the default table)."""
    games: int = 0
    """Rated games the fit used (0 for the default table)."""

    def difficulty(self, config: Configuration) -> float:
        """d_c of a configuration, in logits; a board missing from the table gets its prior."""
        b = self.difficulties.get(config.key)
        if b is None:
            b = default_difficulty(config.variant, config.grid_size, config.order_mode)
        return (b - math.log(config.max_time)) / self.scale

    def chance(self, rating: float, config: Configuration) -> float:
        """P(success) of a player rated ``rating`` on ``config``."""
        return _logistic(rating - self.difficulty(config))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form served at ``GET /coach/model``."""
        return {
            "difficulties": dict(sorted(self.difficulties.items())),
            "scale": self.scale,
            "players": self.players,
            "games": self.games,
        }

    @classmethod
    def from_dict(cls, data: object) -> CoachModel:
        """Read a published model; a ``CoachModelError`` names the first bad field."""
        if not isinstance(data, Mapping):
            raise CoachModelError("model", f"must be an object, got {type(data).__name__}")
        unknown = sorted(str(key) for key in data if key not in {"difficulties", "scale", "players", "games"})
        if unknown:
            raise CoachModelError(unknown[0][:64], "is not a field of the coach model")
        table = data.get("difficulties")
        if not isinstance(table, Mapping):
            raise CoachModelError("difficulties", "must be an object of board key -> number")
        difficulties = {}
        for key, value in table.items():
            if not isinstance(key, str) or len(key) > 32:
                raise CoachModelError(f"difficulties[{str(key)[:40]!r}]", "is not a board key")
            difficulties[key] = _finite(value, f"difficulties[{key!r}]", -20.0, 20.0)
        scale = _finite(data.get("scale", SCALE), "scale", 0.01, 10.0)
        counts = []
        for name in ("players", "games"):
            value = data.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CoachModelError(name, f"must be an int >= 0, got {value!r}")
            counts.append(value)
        return cls(difficulties, scale, counts[0], counts[1])


def _finite(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CoachModelError(name, f"must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and low <= value <= high):
        raise CoachModelError(name, f"must be in {low}..{high}, got {value!r}")
    return float(value)


DEFAULT_MODEL = CoachModel(
    {
        board_key(size, order.value, variant.value): default_difficulty(variant, size, order)
        for variant in Variant
        for size in variant.sizes
        for order in Order
    }
)
"""The table a device uses before it ever fetched the fitted one.

Derived, not fitted: a typical adult's 5×5 ascending time of 40 s (adult times are commonly 30–50 s),
grown with the board as (cells / 25) ** 1.25 (each cell takes longer to find on a larger board),
× 1.1 for descending order, × 1.15 for letters, × 1.6 for Gorbov's alternating table (two
sequences to track). These priors only start the coach; the server's fit replaces them.
"""


def allowed_mistakes(grid_size: int) -> int:
    """Wrong taps a successful game may have: 5 % of the cells, at least one.

    >>> allowed_mistakes(3), allowed_mistakes(5), allowed_mistakes(10)
    (1, 2, 5)
    """
    return max(1, math.ceil(grid_size * grid_size * 0.05))


def _rated(session: TrainingSession) -> bool:
    return not (session.hint_enabled or session.reshuffle or session.status is Status.ABANDONED)


def succeeded(session: TrainingSession) -> bool:
    """Whether a game counts as a success for the coach: completed with few enough mistakes."""
    return session.status is Status.COMPLETED and session.mistakes <= allowed_mistakes(session.grid_size)


def coach_row(session: TrainingSession) -> tuple[str, int, bool] | None:
    """``(board_key, max_time, success)`` of a rated game, ``None`` for a game the coach does not rate.

    The server's fit job prefixes each row with the player's id and hands the rows to
    ``fit_difficulties``.
    """
    if not _rated(session):
        return None
    return _config(session).key, session.max_time, succeeded(session)


def _config(session: TrainingSession) -> Configuration:
    return Configuration(session.variant, session.grid_size, session.order_mode, session.max_time)


def _step(games: int) -> float:
    return max(K_MIN, K_START / (1 + K_DECAY * games))


def player_rating(history: Iterable[TrainingSession], model: CoachModel | None = None) -> float:
    """The player's rating θ after their rated games, folded oldest first by the Elo update rule."""
    table = model or DEFAULT_MODEL
    rating = 0.0
    games = 0
    for session in sorted(history, key=lambda s: s.started_at):
        if _rated(session):
            outcome = 1.0 if succeeded(session) else 0.0
            rating += _step(games) * (outcome - table.chance(rating, _config(session)))
            games += 1
    return rating


REASON_TEMPLATES: dict[str, str] = {
    "START": "{board} in {max_time} s to start: the coach learns your pace from your games.",
    "KEEP": "{board} in {max_time} s again: {record}.",
    "SIZE_UP": "{size} next: {record}.",
    "SIZE_DOWN": "{size} next: {record}.",
    "TIME_DOWN": "{max_time} s next: {record}.",
    "TIME_UP": "{max_time} s next: {record}.",
    "ORDER_CHANGE": "{order} next: {record}.",
}
"""The English sentence of each ``reason_code``, e.g. "6×6 next: you finished 5×5 within 30 s with at
most 2 mistakes in 4 of your last 5." The app's catalogues translate the same codes from
``reason_params`` (numbers and codes only); ``{board}``, ``{size}``, ``{order}`` and ``{record}``
are English words made from those params."""

_ORDER_WORDS = {Order.ASC.value: "ascending", Order.DESC.value: "descending"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the coach proposes (``CONTRACT.md``: grid_size, order_mode, variant, max_time, reason)."""

    grid_size: int
    """Cells per side."""
    order_mode: Order
    """ASC or DESC."""
    variant: Variant
    """How tokens look (the player's last choice)."""
    max_time: int
    """Seconds allowed."""
    reason: str
    """One English sentence saying why."""
    reason_code: str
    """The reason as a code of ``REASON_TEMPLATES``, for translation."""
    reason_params: dict[str, int | str] = field(default_factory=dict)
    """The numbers and codes the reason is built from: the suggestion's ``grid_size``, ``order_mode``,
    ``variant``, ``max_time`` and ``chance`` (predicted success, %); after a game also the last
    configuration's (``from_grid_size``, ``from_order_mode``, ``from_max_time``), ``successes`` in
    the ``recent`` games on it, and the ``mistakes`` a success allowed there."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "grid_size": self.grid_size,
            "order_mode": self.order_mode.value,
            "variant": self.variant.value,
            "max_time": self.max_time,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "reason_params": dict(self.reason_params),
        }


def suggest(history: Sequence[TrainingSession], model: CoachModel | None = None) -> Suggestion:
    """The next configuration for a player with this history (any order), and why.

    >>> first = suggest([])
    >>> (first.grid_size, first.order_mode.value, first.variant.value, first.max_time, first.reason_code)
    (5, 'ASC', 'classic', 60, 'START')
    >>> first.reason
    '5×5 ascending in 60 s to start: the coach learns your pace from your games.'
    """
    table = model or DEFAULT_MODEL
    ordered = sorted(history, key=lambda s: s.started_at)
    rated = [session for session in ordered if _rated(session)]
    if not rated:
        return _start(ordered, table)
    rating = player_rating(rated, table)
    current = _config(rated[-1])
    now = table.chance(rating, current)
    choice, code = current, "KEEP"
    if abs(now - TARGET) > BAND:
        harder = now > TARGET
        moves = [
            (move, move_code)
            for move, move_code in _neighbours(current, harder)
            if (table.chance(rating, move) < now) == harder
        ]
        if moves:
            choice, code = min(moves, key=lambda pair: abs(table.chance(rating, pair[0]) - TARGET))
    recent = [session for session in rated if _config(session) == current][-5:]
    params = _params(choice, table.chance(rating, choice)) | {
        "from_grid_size": current.grid_size,
        "from_order_mode": current.order_mode.value,
        "from_max_time": current.max_time,
        "successes": sum(succeeded(session) for session in recent),
        "recent": len(recent),
        "mistakes": allowed_mistakes(current.grid_size),
    }
    return _suggestion(choice, code, params)


def _start(history: Sequence[TrainingSession], table: CoachModel) -> Suggestion:
    """A first suggestion: the last board played (unrated), else classic 5×5 ascending."""
    variant, order = Variant.CLASSIC, Order.ASC
    if history:
        variant, order = history[-1].variant, history[-1].order_mode
    size = 5 if 5 in variant.sizes else variant.sizes[-1]
    config = min(
        (Configuration(variant, size, order, seconds) for seconds in MAX_TIME_LADDER),
        key=lambda config: abs(table.chance(0.0, config) - TARGET),
    )
    return _suggestion(config, "START", _params(config, table.chance(0.0, config)))


def _params(config: Configuration, chance: float) -> dict[str, int | str]:
    return {
        "grid_size": config.grid_size,
        "order_mode": config.order_mode.value,
        "variant": config.variant.value,
        "max_time": config.max_time,
        "chance": round(chance * 100),
    }


def _suggestion(config: Configuration, code: str, params: dict[str, int | str]) -> Suggestion:
    return Suggestion(
        grid_size=config.grid_size,
        order_mode=config.order_mode,
        variant=config.variant,
        max_time=config.max_time,
        reason=_sentence(code, params),
        reason_code=code,
        reason_params=params,
    )


def _sentence(code: str, params: dict[str, int | str]) -> str:
    """The English reason: the template filled with the params and the words for them."""
    words = {
        "size": _size_words(params["grid_size"]),
        "board": f"{_size_words(params['grid_size'])} {_ORDER_WORDS[str(params['order_mode'])]}",
        "order": _ORDER_WORDS[str(params["order_mode"])].capitalize(),
    }
    if "from_grid_size" in params:
        words["record"] = _record(code, params)
    return REASON_TEMPLATES[code].format(**params, **words)


def _record(code: str, params: dict[str, int | str]) -> str:
    """The evidence: how the player did on the last configuration, in English."""
    successes, recent = int(params["successes"]), int(params["recent"])
    if code == "KEEP":
        if recent == 1:
            return "you succeeded in your last game" if successes else "your last game did not succeed"
        return f"you succeeded in {successes or 'none'} of your last {recent}"
    board = _size_words(params["from_grid_size"])
    if not code.startswith("SIZE"):
        board += f" {_ORDER_WORDS[str(params['from_order_mode'])]}"
    mistakes = int(params["mistakes"])
    task = (
        f"{board} within {params['from_max_time']} s with at most {mistakes} mistake{'s' * (mistakes != 1)}"
    )
    if recent == 1:
        return f"you finished {task}" if successes else f"you did not finish {task}"
    return f"you finished {task} in {successes or 'none'} of your last {recent}"


def _size_words(size: int | str) -> str:
    return f"{size}×{size}"


def _neighbours(current: Configuration, harder: bool) -> list[tuple[Configuration, str]]:
    """Configurations one knob away, in the direction asked."""
    moves = []
    size = current.grid_size + (1 if harder else -1)
    if size in current.variant.sizes:
        moves.append((replace(current, grid_size=size), "SIZE_UP" if harder else "SIZE_DOWN"))
    rung = _next_rung(current.max_time, harder)
    if rung is not None:
        moves.append((replace(current, max_time=rung), "TIME_DOWN" if harder else "TIME_UP"))
    flipped = Order.DESC if current.order_mode is Order.ASC else Order.ASC
    moves.append((replace(current, order_mode=flipped), "ORDER_CHANGE"))
    return moves


def _next_rung(max_time: int, harder: bool) -> int | None:
    """The next rung of the ladder with less (harder) or more time; a time off the ladder snaps."""
    if harder:
        shorter = [rung for rung in MAX_TIME_LADDER if rung < max_time]
        return max(shorter) if shorter else None
    longer = [rung for rung in MAX_TIME_LADDER if rung > max_time]
    return min(longer) if longer else None


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
