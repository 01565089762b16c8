"""The dashboard screen: ``core.dashboard`` over this device's history, drawn as SVG cards.

The history in IndexedDB already holds the account's games from other devices once signed in (the
account's sync pulls them, ``web/js/account.js``), so one computation covers both, offline too. The
last figures computed are kept in localStorage and painted the moment the screen opens; the fresh
ones replace them when ``core`` is done. Free players see the last 30 days; the premium cards
(heatmaps, series trends, percentiles over time, the printable report) show locked with an upgrade
button. The premium state is the profile's ``is_premium`` (``web/js/insight.js``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import js

from app import charts
from app.dom import el, esc, format_ms, on, show
from app.history import load_all
from app.i18n import t
from app.results import board_name
from core import DateRange, TrainingSession, dashboard, labels, series_trend

CACHE_KEY = "schulte.dashboard.v1"
FREE_DAYS = 30
"""What a free player sees: the server's free analytics cover the same 30 days."""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def compute(sessions: list[dict[str, Any]], premium: bool, now: datetime) -> dict[str, Any]:
    """The figures to paint (``Dashboard.to_dict()``) plus each board's series trend and the range."""
    history = [TrainingSession.from_dict(item) for item in sessions]
    offset = -int(js.Date.new().getTimezoneOffset())
    chosen = None if premium else DateRange.last_days(FREE_DAYS, now)
    figures = dashboard(history, chosen, utc_offset_minutes=offset, today=now.astimezone(UTC).date())
    data = figures.to_dict()
    data["series_trends"] = {
        board.key: list(series_trend(figures.series, board.key)) for board in figures.boards
    }
    data["premium"] = premium
    return data


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


class DashboardView:
    """The dashboard screen's controller."""

    def __init__(self) -> None:
        self.figures: dict[str, Any] | None = None
        self.percentile: dict[str, Any] | None = None
        self.over_time: dict[str, Any] | None = None
        on(el("dash-board"), "change", lambda _e: self.render())
        on(el("screen-dashboard"), "click", self._clicked)

    async def open(self) -> None:
        """Paint the cached figures at once, then compute fresh ones from the history and repaint."""
        show("dashboard")
        cached = js.localStorage.getItem(CACHE_KEY)
        if cached is not None and self.figures is None:
            try:
                self.figures = json.loads(str(cached))
            except ValueError:
                self.figures = None
        if self.figures is not None:
            self.render()
        el("dash-status").textContent = t("dashboard.updating")
        await js.window.schulte.insight.refresh()  # the profile's premium state, when online
        premium = bool(js.window.schulte.insight.premium())
        self.figures = compute(await load_all(), premium, datetime.now(UTC))
        js.localStorage.setItem(CACHE_KEY, json.dumps(self.figures, separators=(",", ":")))
        el("dash-status").textContent = ""
        self.render()
        await self._online_figures(premium)

    async def _online_figures(self, premium: bool) -> None:
        """The percentile of the board's best among all players, and premium's percentiles over time."""
        board = self._board()
        if board is None or board["best_ms"] is None:
            return
        answer = json.loads(
            str(
                await js.window.schulte.insight.percentile(
                    board["best_ms"], board["grid_size"], board["order_mode"], board["variant"]
                )
            )
        )
        self.percentile = None if answer is None else {"key": board["key"], **answer}
        if premium:
            offset = -int(js.Date.new().getTimezoneOffset())
            self.over_time = json.loads(str(await js.window.schulte.insight.advanced(offset)))
        self.render()

    def _board(self) -> dict[str, Any] | None:
        figures = self.figures
        if not figures or not figures["boards"]:
            return None
        chosen = str(el("dash-board").value)
        boards: list[dict[str, Any]] = figures["boards"]
        return next((b for b in boards if b["key"] == chosen), boards[0])

    def render(self) -> None:
        """Fill the board picker and every card from the figures."""
        figures = self.figures
        if figures is None:
            return
        premium = bool(figures["premium"])
        el("dash-range").textContent = (
            t("dashboard.range_all") if premium else t("dashboard.range_free", days=FREE_DAYS)
        )
        picker = el("dash-board")
        chosen = str(picker.value)
        picker.innerHTML = "".join(
            f'<option value="{esc(b["key"])}"{" selected" if b["key"] == chosen else ""}>'
            f"{esc(board_name(b['grid_size'], b['order_mode'], b['variant']))} ({b['games']})</option>"
            for b in figures["boards"]
        )
        board = self._board()
        el("dash-empty").hidden = board is not None
        el("dash-cards").hidden = board is None
        el("dash-series").innerHTML = self._series_html(figures)
        if board is None:
            return
        el("dash-summary").innerHTML = self._summary_html(figures, board)
        el("dash-time").innerHTML = _time_chart(board)
        el("dash-practice").innerHTML = _practice_chart(board)
        el("dash-errors").innerHTML = _error_chart(board)
        el("dash-consistency").innerHTML = _consistency_chart(board)
        el("dash-weeks").innerHTML = _weeks_chart(figures)
        for card in js.document.querySelectorAll("#screen-dashboard [data-premium]"):
            card.classList.toggle("locked", not premium)
            card.querySelector(".card-body").hidden = not premium
            card.querySelector(".card-lock").hidden = premium
        el("dash-print").hidden = not premium
        if premium:
            el("dash-cells").innerHTML = _cell_heatmap(board) or _none()
            el("dash-numbers").innerHTML = _number_heatmap(board) or _none()
            el("dash-weekday").innerHTML = _weekday_heatmap(figures) or _none()
            el("dash-series-trend").innerHTML = _series_trend_chart(figures, board) or _none()
            el("dash-percentiles").innerHTML = self._percentiles_chart(board) or _none()

    def _summary_html(self, figures: dict[str, Any], board: dict[str, Any]) -> str:
        medians = [m for m in board["rolling_median_ms"] if m is not None]
        streak = figures["streak"]
        rows = [
            (t("dashboard.games"), str(board["games"])),
            (t("dashboard.best"), format_ms(board["best_ms"])),
            (t("dashboard.median"), format_ms(medians[-1] if medians else None)),
            (
                t("dashboard.streak"),
                t("dashboard.streak_value", current=streak["current"], longest=streak["longest"]),
            ),
        ]
        percentile = self.percentile
        if (
            percentile is not None
            and percentile.get("key") == board["key"]
            and percentile["percentile"] is not None
        ):
            rows.append(
                (
                    t("dashboard.percentile"),
                    t("dashboard.percentile_value", value=f"{percentile['percentile']:.0f}"),
                )
            )
        body = "".join(
            f'<tr><th scope="row">{esc(name)}</th><td>{esc(value)}</td></tr>' for name, value in rows
        )
        return (
            f'<table class="stats" aria-label="{esc(t("dashboard.summary"))}"><tbody>{body}</tbody></table>'
        )

    def _series_html(self, figures: dict[str, Any]) -> str:
        if not figures["series"]:
            return f'<p class="muted">{esc(t("dashboard.no_series"))}</p>'
        items = [series_text(result) for result in reversed(figures["series"][-5:])]
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"

    def _percentiles_chart(self, board: dict[str, Any]) -> str:
        points = (self.over_time or {}).get("percentiles", {}).get(board["key"], [])
        line = [
            (float(index + 1), float(point["percentile"]))
            for index, point in enumerate(points)
            if point.get("percentile") is not None
        ]
        if not line:
            return ""
        return charts.lines(
            t("dashboard.percentiles"),
            t("dashboard.percentiles_desc", weeks=len(line), last=f"{line[-1][1]:.0f}"),
            [(t("dashboard.percentile"), "c-time", line)],
            lambda y: f"{y:.0f}%",
        )

    def _clicked(self, event: Any) -> None:
        target = event.target
        if target.closest("[data-upgrade]") is not None:
            js.Promise.resolve(self._upgrade())
        elif target.closest("#dash-print") is not None:
            js.window.print()

    async def _upgrade(self) -> None:
        el("premium-message").textContent = str(await js.window.schulte.insight.upgrade())


def series_text(result: dict[str, Any]) -> str:
    """One series in words (HTML): its date, and ER, VR, PU with their readings, or incomplete."""
    when = esc(result["started_at"][:10])
    if not result["complete"]:
        done = sum(time is not None for time in result["times_ms"])
        return f"{when}: {esc(t('series.incomplete', done=done))}"
    readings = " ".join(esc(t(f"series.reading.{code}")) for code in result["readings"])
    return (
        f"{when}: {esc(t('series.er'))} <strong>{esc(_seconds(result['efficiency_ms']))}</strong>, "
        f"{esc(t('series.vr'))} <strong>{result['warm_up']:.2f}</strong>, "
        f"{esc(t('series.pu'))} <strong>{result['stability']:.2f}</strong>. {readings}"
    )


def _none() -> str:
    return f'<p class="muted">{esc(t("dashboard.not_enough"))}</p>'


def _time_chart(board: dict[str, Any]) -> str:
    numbers = board["number"]

    def column(name: str) -> list[tuple[float, float]]:
        return [(float(n), float(v)) for n, v in zip(numbers, board[name], strict=True) if v is not None]

    times = column("time_ms")
    if not times:
        return _none()
    return charts.lines(
        t("dashboard.time_trend"),
        t(
            "dashboard.time_trend_desc",
            games=len(times),
            last=_seconds(times[-1][1]),
            best=format_ms(board["best_ms"]),
        ),
        [
            (t("dashboard.line_time"), "c-time", times),
            (t("dashboard.line_median"), "c-median", column("rolling_median_ms")),
            (t("dashboard.line_best"), "c-best", column("best_so_far_ms")),
        ],
        _seconds,
    )


def _practice_chart(board: dict[str, Any]) -> str:
    curve = [(float(games), float(ms)) for games, ms in board["practice_curve"]]
    if len(curve) < 2:
        return _none()
    return charts.lines(
        t("dashboard.practice"),
        t(
            "dashboard.practice_desc",
            first=_seconds(curve[0][1]),
            last=_seconds(curve[-1][1]),
            games=int(curve[-1][0]),
        ),
        [(t("dashboard.line_median"), "c-time", curve)],
        _seconds,
    )


def _error_chart(board: dict[str, Any]) -> str:
    pairs = zip(board["number"], board["error_rate"], board["rolling_error_rate"], strict=True)
    rates = [(float(n), r, m) for n, r, m in pairs if r is not None]
    if not rates:
        return _none()
    return charts.lines(
        t("dashboard.errors"),
        t("dashboard.errors_desc", games=len(rates), last=_percent(rates[-1][2] or 0.0)),
        [
            (t("dashboard.line_errors"), "c-time", [(n, r) for n, r, _ in rates]),
            (t("dashboard.line_median"), "c-median", [(n, m) for n, _, m in rates if m is not None]),
        ],
        _percent,
    )


def _consistency_chart(board: dict[str, Any]) -> str:
    line = [
        (float(n), float(v))
        for n, v in zip(board["number"], board["consistency"], strict=True)
        if v is not None
    ]
    if not line:
        return _none()
    return charts.lines(
        t("dashboard.consistency"),
        t("dashboard.consistency_desc", games=len(line), last=f"{line[-1][1]:.2f}"),
        [(t("dashboard.line_cv"), "c-time", line)],
        lambda y: f"{y:.2f}",
    )


def _weeks_chart(figures: dict[str, Any]) -> str:
    weeks = [(week["monday"], float(week["games"])) for week in figures["weeks"]]
    if not weeks:
        return _none()
    return charts.bars(
        t("dashboard.weeks"),
        t("dashboard.weeks_desc", weeks=len(weeks), most=int(max(v for _, v in weeks))),
        weeks,
        lambda y: f"{y:.0f}",
    )


def _cell_heatmap(board: dict[str, Any]) -> str:
    size = board["grid_size"]
    medians = board["cell_medians_ms"]
    rows = [medians[r * size : (r + 1) * size] for r in range(size)]
    known = [(m, i) for i, m in enumerate(medians) if m is not None]
    if not known:
        return ""
    slowest_ms, slowest = max(known)
    return charts.heatmap(
        t("dashboard.cells"),
        t(
            "dashboard.cells_desc",
            games=board["heatmap_games"],
            row=slowest // size + 1,
            column=slowest % size + 1,
            time=_seconds(slowest_ms),
        ),
        rows,
        lambda r, c, v: t("dashboard.cell_title", row=r + 1, column=c + 1, time=format_ms(v)),
        lambda _r, _c, v: "" if v is None else f"{v / 1000:.1f}",
    )


def _number_heatmap(board: dict[str, Any]) -> str:
    size = board["grid_size"]
    names = [label.text for label in labels(board["variant"], size)][1:]
    medians = board["token_medians_ms"]
    known = [(m, i) for i, m in enumerate(medians) if m is not None]
    if not known:
        return ""
    slowest_ms, slowest = max(known)
    rows = [medians[r * size : (r + 1) * size] for r in range(size)]
    return charts.heatmap(
        t("dashboard.numbers"),
        t("dashboard.numbers_desc", token=names[slowest], time=_seconds(slowest_ms)),
        rows,
        lambda r, c, v: t("dashboard.number_title", token=names[r * size + c], time=format_ms(v)),
        lambda r, c, _v: names[r * size + c],
    )


def _weekday_heatmap(figures: dict[str, Any]) -> str:
    grid = figures["weekday_hour_relative"]
    games = figures["weekday_hour_games"]
    return charts.heatmap(
        t("dashboard.weekday"),
        t("dashboard.weekday_desc", games=sum(sum(row) for row in games)),
        grid,
        lambda r, c, v: t(
            "dashboard.weekday_title",
            day=t(f"dashboard.day.{WEEKDAYS[r]}"),
            hour=c,
            games=games[r][c],
            ratio="—" if v is None else f"{v:.2f}",
        ),
        row_names=[t(f"dashboard.day.{day}") for day in WEEKDAYS],
        column_names=[str(hour) if hour % 6 == 0 else "" for hour in range(24)],
    )


def _series_trend_chart(figures: dict[str, Any], board: dict[str, Any]) -> str:
    points = figures["series_trends"].get(board["key"], [])
    line = [(float(index + 1), float(point["efficiency_ms"])) for index, point in enumerate(points)]
    if not line:
        return ""
    return charts.lines(
        t("dashboard.series_trend"),
        t("dashboard.series_trend_desc", count=len(line), last=_seconds(line[-1][1])),
        [(t("series.er"), "c-time", line)],
        _seconds,
    )
