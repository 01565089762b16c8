"""Fitting the coach's difficulty table from all players' verified sessions (run by the server).

The model is the coach's own (``core.coach``): a game of a player rated θ on a board with
difficulty b and time limit m succeeds with chance 1 / (1 + exp(−(θ − (b − ln m) / SCALE))). Given
``(player, board_key, max_time, success)`` rows, ``fit_difficulties`` finds the b of every board
played and returns a ``CoachModel`` that the server publishes as JSON and the app coaches with.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

from core.coach import DEFAULT_MODEL, CoachModel, default_difficulty
from core.rules import MAX_TIME_RANGE, Order, Variant

__all__ = ["DIFFICULTY_SPREAD", "PLAYER_SPREAD", "fit_difficulties"]

PLAYER_SPREAD = 2.0
"""Prior standard deviation of player ratings in the fit (logits): wide, but it keeps a player who
succeeded (or failed) every time at a finite rating, and it anchors the mean player at 0."""

DIFFICULTY_SPREAD = 1.0
"""Prior standard deviation of a board's ``b`` around ``DEFAULT_MODEL`` in the fit (log-seconds,
a factor e): boards with few games stay near their prior, boards with many follow the data."""


MAX_STEP = 1.0
"""Largest change of one parameter in one pass (logits): a damped Newton step, so the fit converges
where the chances saturate instead of overshooting by tens of logits."""


def fit_difficulties(
    rows: Iterable[tuple[Hashable, str, int, bool]],
    *,
    prior: CoachModel | None = None,
    iterations: int = 200,
    tolerance: float = 1e-3,
) -> CoachModel:
    """Fit the difficulty table from ``(player, board_key, max_time, success)`` rows (``coach_row``).

    Joint maximum a posteriori estimation of the same logistic model the coach predicts with (a
    Rasch model whose item is a board, with ln max_time / SCALE as a known offset), with the priors
    ``PLAYER_SPREAD`` and ``DIFFICULTY_SPREAD``. Each pass takes one Newton step on every player's θ
    and every board's ``b`` at once (the diagonal of the Hessian), from one evaluation of the model
    per distinct (player, board, max_time), until no parameter moves by more than ``tolerance``
    logits. Identical rows are counted once with a weight.
    """
    base = prior or DEFAULT_MODEL
    scale = base.scale
    cells: dict[tuple[Hashable, str, int], list[int]] = {}
    for player, key, max_time, success in rows:
        cell = cells.get((player, key, max_time))
        if cell is None:
            if isinstance(max_time, bool) or not isinstance(max_time, int):
                raise ValueError(f"max_time must be an int, got {type(max_time).__name__} (board {key!r})")
            if not MAX_TIME_RANGE[0] <= max_time <= MAX_TIME_RANGE[1]:
                raise ValueError(f"max_time must be in {MAX_TIME_RANGE}, got {max_time!r} (board {key!r})")
            cell = cells[(player, key, max_time)] = [0, 0]
        cell[0] += 1
        cell[1] += bool(success)
    keys = sorted({key for _, key, _ in cells})
    board_index = {key: index for index, key in enumerate(keys)}
    # Work in logits: beta = b / scale, and a game's offset is ln max_time / scale.
    start = [base.difficulties.get(key, _prior_of_key(key)) / scale for key in keys]
    beta = list(start)
    players: dict[Hashable, int] = {}
    by_player: list[list[tuple[int, float, int, int]]] = []
    by_board: list[list[tuple[int, float, int, int]]] = [[] for _ in keys]
    for (player, key, max_time), (count, wins) in cells.items():
        index = players.setdefault(player, len(players))
        if index == len(by_player):
            by_player.append([])
        board, offset = board_index[key], math.log(max_time) / scale
        by_player[index].append((board, offset, count, wins))
        by_board[board].append((index, offset, count, wins))
    theta = [0.0] * len(players)
    player_precision = 1 / PLAYER_SPREAD**2
    board_precision = (scale / DIFFICULTY_SPREAD) ** 2  # the prior's spread, in logits
    for _ in range(iterations):
        # Players first, then boards with the players' new ratings: block Gauss-Seidel, which does
        # not overshoot along the direction where all ratings and all difficulties shift together.
        moved = 0.0
        for index, played in enumerate(by_player):
            step = _newton_step(theta[index], played, beta, player_precision, 0.0, 1.0)
            theta[index] += step
            moved = max(moved, abs(step))
        for board, games_on_board in enumerate(by_board):
            step = _newton_step(beta[board], games_on_board, theta, board_precision, start[board], -1.0)
            beta[board] += step
            moved = max(moved, abs(step))
        # Shifting every θ and every β by the same amount changes no chance of success, only the
        # priors, so the best shift has a closed form; taking it removes the slow mode of the steps.
        shift = -(player_precision * sum(theta) + board_precision * (sum(beta) - sum(start))) / (
            player_precision * len(theta) + board_precision * len(beta)
        )
        theta = [value + shift for value in theta]
        beta = [value + shift for value in beta]
        if max(moved, abs(shift)) < tolerance:
            break
    fitted = dict(base.difficulties) | {key: round(beta[i] * scale, 4) for key, i in board_index.items()}
    return CoachModel(fitted, scale, len(players), sum(count for count, _ in cells.values()))


def _newton_step(
    value: float,
    games: list[tuple[int, float, int, int]],
    others: list[float],
    precision: float,
    centre: float,
    sign: float,
) -> float:
    """One Newton step on a player's θ (``sign`` 1) or a board's β (``sign`` −1) against the other side.

    The logit of a game is θ − β + offset; the prior is normal around ``centre`` with ``precision``.
    """
    gradient, curvature = (centre - value) * precision, precision
    exp = math.exp
    for other, offset, count, wins in games:
        x = sign * (value - others[other]) + offset
        p = 1.0 / (1.0 + exp(-min(30.0, max(-30.0, x))))
        gradient += sign * (wins - count * p)
        curvature += count * p * (1.0 - p)
    # Where every chance is near 0 or 1 the curvature is tiny and a full step flies far past the
    # optimum (a board every player finishes at a generous limit); a step of at most MAX_STEP logits
    # keeps each pass on the same side, and near the optimum the steps are small anyway.
    step = gradient / curvature
    return max(-MAX_STEP, min(MAX_STEP, step))


def _prior_of_key(key: str) -> float:
    """The default ``b`` of a board key (``"5-ASC"``, ``"gorbov-7-DESC"``); a ``ValueError`` if it is none."""
    parts = key.split("-")
    try:
        variant = Variant.CLASSIC if len(parts) == 2 else Variant(parts[0])
        size, order = int(parts[-2]), Order(parts[-1])
    except (ValueError, IndexError):
        raise ValueError(f"{key!r} is not a board key such as '5-ASC' or 'gorbov-7-DESC'") from None
    if len(parts) not in (2, 3) or size not in variant.sizes:
        raise ValueError(f"{key!r} is not a board key such as '5-ASC' or 'gorbov-7-DESC'")
    return default_difficulty(variant, size, order)
