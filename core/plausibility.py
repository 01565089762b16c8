"""Where human play ends: the thresholds the verifier judges plausibility by, with their reasons.

Each threshold is set so that genuine play, with correct taps from about 150 ms apart and the natural
variation of visual search, is never rejected; each catches a kind of scripted play that the
consistency checks alone cannot see, because a script can write a perfectly consistent log.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "MAX_PREVIEW_MS",
    "MIN_MEAN_INTERVAL_MS",
    "MIN_RHYTHM_CV",
    "MIN_TAP_INTERVAL_MS",
    "RECORD_MS_PER_NUMBER",
    "REVIEW_LEAP_CEILING",
    "REVIEW_LEAP_RATIO",
    "REVIEW_RECENT_RESULTS",
    "RHYTHM_MIN_INTERVALS",
    "human_floor_ms",
    "record_floor_ms",
    "rhythm_cv",
]

MIN_TAP_INTERVAL_MS = 50.0
"""Two correct taps closer than this cannot both have been aimed.

Finding a number needs at least one fixation of the eyes (~100 ms at the very fastest), and the
fastest voluntary tapping, two fingers alternating, is about 14 taps a second (~70 ms apart). 50 ms
leaves a margin below both, so a lucky pair of neighbouring numbers is never flagged.
"""

MIN_MEAN_INTERVAL_MS = 120.0
"""The whole table cannot be done faster than this per number on average.

Published Schulte records for 5×5 are around 7–9 s (280–370 ms per number); even an expert cannot
keep correct taps at 150 ms apart for a whole table. 120 ms per number is well below any human, so
only a script lands under it. Per size (``human_floor_ms``): 3×3 0.96 s, 4×4 1.8 s, 5×5 2.88 s,
6×6 4.2 s, 7×7 5.76 s, 8×8 7.56 s, 9×9 9.6 s, 10×10 11.88 s. Small boards are fast for people (a 3×3 is
nine numbers in a glance: players report 2–4 s), so its floor sits at a third of that; large boards
are slow (a 10×10 takes trained players well over 40 s), so the per-number floor only gets safer as
the board grows. Variants keep the same floor: letters and the red-black table are slower to search
than numbers, never faster.
"""

MIN_RHYTHM_CV = 0.05
"""Correct-tap intervals whose coefficient of variation (stdev / mean) is below this are machine-like.

Visual search time varies from number to number by a factor of several (the next number may be next
to the finger or in the far corner); human series show a CV of 0.3–0.7, and even gaps drawn from a
narrow 150–200 ms band vary by 8 %. A script with a fixed delay has a CV near 0, and ±8 % jitter
stays under 0.05. The margin is on the side of the player: a false accusation costs more than a
cleverly jittered script, which the other checks still bound.
"""

RHYTHM_MIN_INTERVALS = 10
"""The rhythm test needs at least this many intervals before a CV means anything.

So a 3×3 game (8 intervals) is never judged on rhythm: nine taps say too little about a rhythm.
"""

MAX_PREVIEW_MS = 20_000.0
"""In ranked modes, the first correct tap must come within this long after the board was shown.

The clock starts at the first correct tap (CONTRACT), so time spent looking at the board before it
is free; a player who studies the layout first could then tap through from memory. Finding the
first number is one visual search like any other, typically 1–3 s and rarely over 10 s even on a
7×7 board, so 20 s leaves ample room for a slow start while closing the memorising loophole.
Practice is not judged on this.
"""


def human_floor_ms(cells: int) -> float:
    """The fastest plausible completion time for a board of ``cells`` numbers."""
    if cells < 2:
        raise ValueError(f"cells must be >= 2, got {cells!r}")
    return MIN_MEAN_INTERVAL_MS * (cells - 1)


def rhythm_cv(intervals_ms: Sequence[float]) -> float | None:
    """Coefficient of variation of the intervals, or ``None`` when there are too few to judge."""
    if len(intervals_ms) < RHYTHM_MIN_INTERVALS:
        return None
    # Plain arithmetic: statistics.pstdev works in exact fractions, 10x slower, for no gain here.
    mean = sum(intervals_ms) / len(intervals_ms)
    if mean <= 0:
        return 0.0
    variance = sum((interval - mean) ** 2 for interval in intervals_ms) / len(intervals_ms)
    return math.sqrt(variance) / mean


RECORD_MS_PER_NUMBER = 170.0
"""The record floor, per number after the first: a result faster than this is held for review.

The fastest published 5×5 times are about 7–9 s (280–370 ms per number, see ``MIN_MEAN_INTERVAL_MS``)
and trained players reach 20 s and under; our own simulated expert, with correct taps 150–400 ms
apart, averages 275 ms per number and its fastest table in 10⁴ stays above 200 ms per number. 170 ms
(4.08 s on 5×5, 5.95 s on 6×6, 8.16 s on 7×7) is 40 % under the records, so a genuine record
attempt is never held, while the scripted player of issue 14 (correct taps 100–156 ms apart,
3,058 ms on 5×5) is: it slips under ``MIN_MEAN_INTERVAL_MS`` but not under this.
"""

REVIEW_RECENT_RESULTS = 5
"""The "far ahead of your own results" rule judges only a player with at least this many recent
completed results on the same board: with fewer, there is no personal level to be ahead of."""

REVIEW_LEAP_RATIO = 0.6
"""A result under this fraction of the player's best recent time on the board is a leap, not progress.

Schulte times of one player vary by 10–15 % from table to table, and practice gains over a series
are of the same order (Rubinstein's warm-up and stability ratios stay within 0.8–1.2); beating your
own best of the last several tables by 40 % at once is what a borrowed script or account looks like.
"""

REVIEW_LEAP_CEILING = 2.5
"""The leap rule applies only under this many record floors (10.2 s on 5×5): a slower result cannot
reach the top of a board, so an ordinary player improving fast never waits for a moderator."""


def record_floor_ms(cells: int) -> float:
    """The fastest time humans are known to reach on a board of ``cells`` tokens (held below it)."""
    if cells < 2:
        raise ValueError(f"cells must be >= 2, got {cells!r}")
    return RECORD_MS_PER_NUMBER * (cells - 1)
