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
    HEATMAP_GAMES,
    PRACTICE_POINTS,
    ROLLING_WINDOW,
    BoardFigures,
    Dashboard,
    DateRange,
    WeekCount,
    dashboard,
)
from core.board import EASY_SCATTER, Board
from core.challenge import ChallengeWindow, challenge_period, challenge_seed, challenge_window, parse_period
from core.coach import (
    BAND,
    DEFAULT_MODEL,
    K_DECAY,
    K_MIN,
    K_START,
    MAX_TIME_LADDER,
    REASON_TEMPLATES,
    SCALE,
    TARGET,
    CoachModel,
    CoachModelError,
    Configuration,
    Suggestion,
    allowed_mistakes,
    coach_row,
    default_difficulty,
    player_rating,
    succeeded,
    suggest,
)
from core.fit import DIFFICULTY_SPREAD, PLAYER_SPREAD, fit_difficulties
from core.game import Game, Phase, TapResult
from core.plausibility import record_floor_ms
from core.replay import REASON_CODES, Reason, Verdict, verify
from core.review import review_reason, upload_window_ms
from core.rules import (
    CHALLENGE_ATTEMPTS,
    DEFAULT_MAX_TIME,
    DEFAULT_SIZE,
    DISPLAY_NAME_MAX,
    LETTER_SIZES,
    MAX_SEED,
    MAX_TAPS,
    MAX_TIME_RANGE,
    MAX_TIME_STEP,
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
    "BAND",
    "CHALLENGE_ATTEMPTS",
    "DEFAULT_MAX_TIME",
    "DEFAULT_MODEL",
    "DEFAULT_SIZE",
    "DIFFICULTY_SPREAD",
    "DISPLAY_NAME_MAX",
    "EASY_SCATTER",
    "EFFICIENCY_BAND",
    "HEATMAP_GAMES",
    "K_DECAY",
    "K_MIN",
    "K_START",
    "LETTER_SIZES",
    "MAX_SEED",
    "MAX_TAPS",
    "MAX_TIME_LADDER",
    "MAX_TIME_RANGE",
    "MAX_TIME_STEP",
    "PLAYER_SPREAD",
    "PRACTICE_POINTS",
    "REASON_CODES",
    "REASON_TEMPLATES",
    "ROLLING_WINDOW",
    "SCALE",
    "SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "SERIES_LENGTH",
    "SERIES_READINGS",
    "SIZES",
    "STABILITY_THRESHOLD",
    "TARGET",
    "WARM_UP_THRESHOLD",
    "Board",
    "BoardFigures",
    "ChallengeWindow",
    "CoachModel",
    "CoachModelError",
    "Configuration",
    "Dashboard",
    "DateRange",
    "Game",
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
    "Suggestion",
    "TapEvent",
    "TapResult",
    "TrainingSession",
    "Variant",
    "Verdict",
    "WeekCount",
    "accuracy",
    "allowed_mistakes",
    "board_key",
    "challenge_period",
    "challenge_seed",
    "challenge_window",
    "coach_row",
    "completion_time_ms",
    "dashboard",
    "default_difficulty",
    "efficiency",
    "fit_difficulties",
    "label",
    "labels",
    "merge",
    "parse_period",
    "percentile",
    "percentile_from_counts",
    "player_rating",
    "record_floor_ms",
    "review_reason",
    "series_results",
    "series_trend",
    "split_times",
    "stability",
    "succeeded",
    "suggest",
    "summarize",
    "upload_window_ms",
    "verified_locally",
    "verify",
    "warm_up",
]

__version__ = "1.0.0"
