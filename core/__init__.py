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

from core.analytics import (
    PRACTICE_POINTS,
    ROLLING_WINDOW,
    BoardFigures,
    Dashboard,
    DateRange,
    GamePoint,
    WeekCount,
    dashboard,
)
from core.board import EASY_SCATTER, Board
from core.challenge import ChallengeWindow, challenge_period, challenge_seed, challenge_window, parse_period
from core.game import Game, Phase, TapResult
from core.replay import REASON_CODES, Reason, Verdict, verify
from core.rules import (
    CHALLENGE_ATTEMPTS,
    LETTER_SIZES,
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
from core.series import (
    EFFICIENCY_BAND,
    SERIES_READINGS,
    STABILITY_THRESHOLD,
    WARM_UP_THRESHOLD,
    SeriesResult,
    series_results,
    series_trend,
)
from core.session import Series, SessionFormatError, TapEvent, TrainingSession
from core.stats import Stats, Streak, board_key, merge, summarize, verified_locally
from core.variants import Label, label, labels

__all__ = [
    "CHALLENGE_ATTEMPTS",
    "EASY_SCATTER",
    "EFFICIENCY_BAND",
    "LETTER_SIZES",
    "MAX_SEED",
    "MAX_TAPS",
    "MAX_TIME_RANGE",
    "PRACTICE_POINTS",
    "REASON_CODES",
    "ROLLING_WINDOW",
    "SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "SERIES_LENGTH",
    "SERIES_READINGS",
    "SIZES",
    "STABILITY_THRESHOLD",
    "WARM_UP_THRESHOLD",
    "Board",
    "BoardFigures",
    "ChallengeWindow",
    "Dashboard",
    "DateRange",
    "Game",
    "GamePoint",
    "Label",
    "Mode",
    "Order",
    "Phase",
    "Reason",
    "Series",
    "SeriesResult",
    "SessionFormatError",
    "Stats",
    "Status",
    "Streak",
    "TapEvent",
    "TapResult",
    "TrainingSession",
    "Variant",
    "Verdict",
    "WeekCount",
    "accuracy",
    "board_key",
    "challenge_period",
    "challenge_seed",
    "challenge_window",
    "completion_time_ms",
    "dashboard",
    "efficiency",
    "label",
    "labels",
    "merge",
    "parse_period",
    "percentile",
    "percentile_from_counts",
    "series_results",
    "series_trend",
    "split_times",
    "stability",
    "summarize",
    "verified_locally",
    "verify",
    "warm_up",
]

__version__ = "1.0.0"
