"""The dashboard served to a signed-in player: ``core.dashboard`` over their stored history.

Free: the last ``FREE_DAYS`` days and the series results, without heatmaps. Premium: any range
(the whole history by default), the heatmaps, each board's series trend and percentiles over time.
Every figure is ``core``'s, so the app shows the same numbers offline from its own history; the
server only passes its verdicts (a held result counts as verified, as in the profile).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

import core
from server import offload
from server.db.models import training_sessions
from server.services import Context, utcnow
from server.services.boards import percentile_of

__all__ = ["FREE_DAYS", "HEATMAP_FIELDS", "advanced", "summary"]

FREE_DAYS = 30
"""Days of history the free dashboard covers (issue 12: "the dashboard's last 30 days")."""

HEATMAP_FIELDS = ("cell_medians_ms", "token_medians_ms", "heatmap_games")
"""Per-board figures that only premium gets, with the weekday × hour grids (issue 12: "heatmaps")."""


async def _history(ctx: Context, user_id: str) -> tuple[list[core.TrainingSession], frozenset[str]]:
    """The user's stored sessions that this server can read, and the ids it verified."""
    s = training_sessions.c
    async with ctx.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(s.payload, s.verified).where(s.user_id == user_id, s.deleted_at.is_(None))
            )
        ).all()
    return await offload.run(ctx.settings, _decode, rows)


def _decode(rows: list[Any]) -> tuple[list[core.TrainingSession], frozenset[str]]:
    sessions, verified = [], set()
    for payload, ok in rows:
        try:
            session = core.TrainingSession.from_dict(payload)
        except core.SessionFormatError:
            continue  # kept for a newer server (an unknown variant): not drawable here
        sessions.append(session)
        if ok:
            verified.add(session.id)
    return sessions, frozenset(verified)


def _figures(
    sessions: list[core.TrainingSession],
    verified: frozenset[str],
    date_range: core.DateRange,
    offset: int,
    today: date,
) -> core.Dashboard:
    return core.dashboard(
        sessions,
        date_range,
        utc_offset_minutes=offset,
        today=today,
        verified=lambda session: session.id in verified,
    )


async def summary(ctx: Context, user_id: str, utc_offset_minutes: int) -> dict[str, Any]:
    """The free dashboard: the last ``FREE_DAYS`` days and their series, without heatmaps."""
    now = utcnow()
    sessions, verified = await _history(ctx, user_id)
    figures = await offload.run(
        ctx.settings,
        _figures,
        sessions,
        verified,
        core.DateRange.last_days(FREE_DAYS, now),
        utc_offset_minutes,
        now.date(),
    )
    data = figures.to_dict()
    for board in data["boards"]:
        for name in HEATMAP_FIELDS:
            del board[name]
    del data["weekday_hour_games"], data["weekday_hour_relative"]
    return data


async def advanced(
    ctx: Context, user_id: str, since: datetime | None, until: datetime | None, utc_offset_minutes: int
) -> dict[str, Any]:
    """The premium dashboard: any range, heatmaps, series trends and percentiles by board over time."""
    now = utcnow()
    sessions, verified = await _history(ctx, user_id)
    date_range = core.DateRange(since, until)
    figures = await offload.run(
        ctx.settings, _figures, sessions, verified, date_range, utc_offset_minutes, now.date()
    )
    data = figures.to_dict()
    every_series = core.series_results(sessions)
    data["series_trends"] = {
        board.key: list(core.series_trend(every_series, board.key)) for board in figures.boards
    }
    data["percentiles"] = {board.key: await _percentiles(ctx, board) for board in figures.boards}
    return data


async def _percentiles(ctx: Context, board: core.BoardFigures) -> list[dict[str, Any]]:
    """The player's best at the end of each UTC week they played, placed among all players' bests today.

    One point per week with a best; the comparison is with the board's current all-time bests
    (``GET /stats/percentile``), so the line shows how far the player has come against today's field.
    """
    weekly: dict[str, tuple[int, float]] = {}
    for moment, best in zip(board.started_at_ms, board.best_so_far_ms, strict=True):
        if best is not None:
            iso = datetime.fromtimestamp(moment / 1000, UTC).isocalendar()
            weekly[f"{iso.year}-W{iso.week:02d}"] = (moment, best)
    points = []
    known: dict[float, tuple[float | None, int]] = {}
    for label, (moment, best) in weekly.items():
        if best not in known:
            known[best] = await percentile_of(ctx, board.variant, board.grid_size, board.order_mode, best)
        percentile, sample = known[best]
        points.append(
            {
                "week": label,
                "at_ms": moment,
                "best_time_ms": best,
                "percentile": percentile,
                "sample": sample,
            }
        )
    return points
