"""Schulte's game core: boards, rules, scoring, sessions and replay verification.

Pure Python, standard library only, so the same code runs in the browser (Pyodide), on the server
and in a notebook:

>>> import core
>>> board = core.Board.generate(5, 42)
>>> game = core.Game(board)
>>> for step, number in enumerate(board.sequence()):
...     _ = game.tap(board.index_of(number), 1000.0 + step * 300 + (step % 3) * 40)
>>> game.status, game.mistakes
(<Status.COMPLETED: 'completed'>, 0)
>>> core.verify(game.to_session().to_dict()).ok
True
"""

from core.board import EASY_SCATTER, Board
from core.challenge import challenge_period, challenge_seed
from core.game import Game, Phase, TapResult
from core.plausibility import record_floor_ms
from core.replay import REASON_CODES, Reason, Verdict, verify
from core.review import review_reason, upload_window_ms
from core.rules import (
    CHALLENGE_ATTEMPTS,
    MAX_SEED,
    MAX_TAPS,
    MAX_TIME_RANGE,
    SCHEMA_VERSION,
    SIZES,
    Mode,
    Order,
    Status,
)
from core.scoring import (
    accuracy,
    completion_time_ms,
    efficiency,
    percentile,
    percentile_from_counts,
    split_times,
    stability,
    warm_up,
)
from core.session import SessionFormatError, TapEvent, TrainingSession
from core.stats import Stats, Streak, board_key, merge, summarize

__all__ = [
    "CHALLENGE_ATTEMPTS",
    "EASY_SCATTER",
    "MAX_SEED",
    "MAX_TAPS",
    "MAX_TIME_RANGE",
    "REASON_CODES",
    "SCHEMA_VERSION",
    "SIZES",
    "Board",
    "Game",
    "Mode",
    "Order",
    "Phase",
    "Reason",
    "SessionFormatError",
    "Stats",
    "Status",
    "Streak",
    "TapEvent",
    "TapResult",
    "TrainingSession",
    "Verdict",
    "accuracy",
    "board_key",
    "challenge_period",
    "challenge_seed",
    "completion_time_ms",
    "efficiency",
    "merge",
    "percentile",
    "percentile_from_counts",
    "record_floor_ms",
    "review_reason",
    "split_times",
    "stability",
    "summarize",
    "upload_window_ms",
    "verify",
    "warm_up",
]

__version__ = "1.0.0"
