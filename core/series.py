"""Five-table series: Rubinstein's efficiency, warm-up and stability, with a reading of each.

A series is five tables of one board played back to back; each table is a session whose ``series``
names the series and the table's place (``core.Series``). Over the five completion times
T1 … T5 (S. Ya. Rubinstein, *Experimental methods of pathopsychology*, 1970, after Schulte and
Gorbov; formulas in ``core.scoring``):

- efficiency ER = (T1 + … + T5) / 5;
- warm-up VR = T1 / ER: below 1 the first table was already at the series' pace;
- stability PU = T4 / ER: below 1 the pace held up late in the series.

Each index comes with a reading, a stable code for the app's catalogue to put into words. The
readings describe the pattern of the times and nothing else: the protocol's norms are not validated
for this app (``FIELD-NOTES``), so no reading claims anything about health, only about this
series and the player's own earlier ones. An interrupted series (a table missing or not completed)
is kept and marked incomplete; its indices are not computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from operator import attrgetter
from typing import Any

from core.rules import SERIES_LENGTH, Status
from core.scoring import efficiency, stability, warm_up
from core.session import TrainingSession, format_timestamp
from core.stats import session_key

__all__ = [
    "EFFICIENCY_BAND",
    "SERIES_READINGS",
    "STABILITY_THRESHOLD",
    "WARM_UP_THRESHOLD",
    "SeriesResult",
    "series_results",
    "series_trend",
]

WARM_UP_THRESHOLD = 1.0
"""VR below this reads ``QUICK_START``, else ``WARMUP_NEEDED``: Rubinstein's own cut (1970), where a
first table no slower than the mean shows no need to warm up."""

STABILITY_THRESHOLD = 1.0
"""PU below this reads ``GOOD_STABILITY``, else ``SLOWER_LATER``: Rubinstein's cut (1970), where a
fourth table no slower than the mean shows the pace held."""

EFFICIENCY_BAND = 0.05
"""ER within ±5 % of the previous complete series on the board reads ``ER_SAME``. Times of one
player on one board commonly vary by more than that from game to game, so a smaller change is noise."""

SERIES_READINGS: tuple[str, ...] = (
    "INCOMPLETE",
    "QUICK_START",
    "WARMUP_NEEDED",
    "GOOD_STABILITY",
    "SLOWER_LATER",
    "ER_FIRST",
    "ER_FASTER",
    "ER_SAME",
    "ER_SLOWER",
)
"""Every reading code, for the app's message catalogue."""


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """One series: its five times, its indices and their readings."""

    id: str
    """The series' UUID."""
    key: str
    """``core.board_key`` of the board it was played on (the first table's)."""
    started_at: str
    """When its first table was started (ISO 8601 UTC)."""
    times_ms: tuple[float | None, ...]
    """T1 … T5 by table index; ``None`` for a table missing or not completed."""
    complete: bool
    """All five tables completed."""
    efficiency_ms: float | None
    """ER, the mean time (ms); ``None`` when incomplete."""
    warm_up: float | None
    """VR = T1 / ER; ``None`` when incomplete."""
    stability: float | None
    """PU = T4 / ER; ``None`` when incomplete."""
    readings: tuple[str, ...]
    """Codes from ``SERIES_READINGS``: ``("INCOMPLETE",)``, or one for VR, one for PU, one for ER."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (tuples become lists)."""
        return asdict(self)


def series_results(sessions: Iterable[TrainingSession]) -> tuple[SeriesResult, ...]:
    """Every series in a history (any order), oldest first; sessions outside a series are ignored.

    A table is the first session with its index on the series' board: a repeat of an index, or a
    table of another board under the same series id, does not count.

    >>> series_results([])
    ()
    """
    tables: dict[str, list[tuple[int, TrainingSession]]] = {}
    for session in sorted(sessions, key=attrgetter("started_at")):
        if session.series is not None:
            tables.setdefault(session.series.id, []).append((session.series.index, session))
    results = []
    previous: dict[str, float] = {}  # the last complete series' ER, per board
    for series_id, played in tables.items():
        result = _result(series_id, played, previous)
        if result.efficiency_ms is not None:
            previous[result.key] = result.efficiency_ms
        results.append(result)
    return tuple(results)


def _result(
    series_id: str, played: list[tuple[int, TrainingSession]], previous: dict[str, float]
) -> SeriesResult:
    first = played[0][1]
    key = session_key(first)
    times: list[float | None] = [None] * SERIES_LENGTH
    seen: set[int] = set()
    for index, session in played:
        if index in seen or session_key(session) != key:
            continue
        seen.add(index)
        if session.status is Status.COMPLETED and session.completion_time_ms:
            times[index - 1] = session.completion_time_ms
    complete = [time for time in times if time is not None]
    started = format_timestamp(first.started_at)
    if len(complete) < SERIES_LENGTH:
        return SeriesResult(series_id, key, started, tuple(times), False, None, None, None, ("INCOMPLETE",))
    er, vr, pu = efficiency(complete), warm_up(complete), stability(complete)
    readings = (
        "QUICK_START" if vr < WARM_UP_THRESHOLD else "WARMUP_NEEDED",
        "GOOD_STABILITY" if pu < STABILITY_THRESHOLD else "SLOWER_LATER",
        _efficiency_reading(er, previous.get(key)),
    )
    return SeriesResult(
        series_id,
        key,
        started,
        tuple(times),
        True,
        round(er, 1),
        round(vr, 4),
        round(pu, 4),
        readings,
    )


def _efficiency_reading(er: float, before: float | None) -> str:
    if before is None:
        return "ER_FIRST"
    change = er / before - 1
    if change < -EFFICIENCY_BAND:
        return "ER_FASTER"
    return "ER_SLOWER" if change > EFFICIENCY_BAND else "ER_SAME"


def series_trend(results: Iterable[SeriesResult], key: str) -> tuple[dict[str, Any], ...]:
    """The complete series of one board over time, for the dashboard's trend chart.

    Each point is ``{"started_at", "efficiency_ms", "warm_up", "stability"}``.

    >>> series_trend([], "5-ASC")
    ()
    """
    return tuple(
        {
            "started_at": result.started_at,
            "efficiency_ms": result.efficiency_ms,
            "warm_up": result.warm_up,
            "stability": result.stability,
        }
        for result in results
        if result.complete and result.key == key
    )
