"""History: list, filters, personal bests, progress chart, delete, export and import."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import js

from app.archive import ArchiveError, export_filename, export_text, parse_import
from app.dom import el, esc, format_ms, format_percent, on, show
from app.i18n import date_time, reason, t
from app.i18n import day as _day
from app.results import board_name, board_short, status_text
from core import SIZES, Order, Variant

COLOURS = ("#1f6feb", "#1a7f37", "#cf222e", "#8250df", "#bf8700", "#0a7ea4", "#bc4c00", "#57606a")
DASHES = {"classic": "", "letters": "6 3", "gorbov": "2 3"}  # lines differ by more than colour


async def load_all() -> list[dict[str, Any]]:
    """Every stored session (wire format), oldest first."""
    result: list[dict[str, Any]] = json.loads(str(await js.window.schulte.storage.listSessions()))
    return result


def variant_of(session: dict[str, Any]) -> str:
    """The session's variant; a schema-1 session is classic."""
    return str(session.get("variant", Variant.CLASSIC.value))


def best_time(
    sessions: list[dict[str, Any]], grid_size: int, order_mode: str, variant: str = "classic"
) -> float | None:
    """The fastest completed time on one board (grid size, order and variant), if any."""
    times = [
        s["completion_time_ms"]
        for s in sessions
        if s["grid_size"] == grid_size
        and s["order_mode"] == order_mode
        and variant_of(s) == variant
        and s["completion_time_ms"] is not None
    ]
    return min(times) if times else None


class History:
    """The history screen's controller."""

    def __init__(self) -> None:
        self.sessions: list[dict[str, Any]] = []
        self.sync: dict[str, dict[str, Any]] = {}
        self.duels: dict[str, str] = {}
        """What each duel game came to (``Won``, ``Lost``…: codes), by session id, from ``/duels``."""
        for name in ("filter-size", "filter-order", "filter-variant"):
            on(el(name), "change", lambda _e: self.render())
        on(el("history-list"), "click", self._clicked)
        on(el("export"), "click", lambda _e: self.export())
        on(el("import-file"), "change", self._file_chosen)
        on(
            js.window,
            "schulte:language",
            lambda _e: self.render() if not el("screen-history").hidden else None,
        )

    async def open(self) -> None:
        """Load from IndexedDB and show."""
        self.sessions = await load_all()
        self.sync = json.loads(await js.window.schulte.storage.syncStates())
        self.duels = json.loads(str(await js.window.schulte.duelOutcomes()))
        el("import-message").textContent = ""
        self.render()
        show("history")

    def render(self) -> None:
        """Paint bests, chart and list for the current filters."""
        size_filter = str(el("filter-size").value)
        order_filter = str(el("filter-order").value)
        variant_filter = str(el("filter-variant").value)
        shown = [
            s
            for s in self.sessions
            if (not size_filter or str(s["grid_size"]) == size_filter)
            and (not order_filter or s["order_mode"] == order_filter)
            and (not variant_filter or variant_of(s) == variant_filter)
        ]
        el("bests").innerHTML = self._bests_html(shown)
        el("progress-chart").innerHTML = progress_svg(shown)
        el("history-list").innerHTML = self._list_html(shown)

    def _bests_html(self, sessions: list[dict[str, Any]]) -> str:
        rows = []
        for variant in Variant:
            for size in SIZES:
                for order in Order:
                    best = best_time(sessions, size, order.value, variant.value)
                    if best is not None:
                        name = esc(board_name(size, order.value, variant.value))
                        rows.append(f"<li>{name}: <strong>{esc(format_ms(best))}</strong></li>")
        return f"<ul>{''.join(rows)}</ul>" if rows else f'<p class="muted">{esc(t("history.no_best"))}</p>'

    def _list_html(self, sessions: list[dict[str, Any]]) -> str:
        if not sessions:
            return f'<p class="muted">{esc(t("history.no_sessions"))}</p>'
        rows = []
        for s in reversed(sessions[-500:]):
            when = date_time(s["started_at"])
            size, order = s["grid_size"], t("history.cell_" + s["order_mode"].lower())
            delete = t("history.delete")
            rows.append(
                "<tr>"
                f"<td>{esc(when)}</td><td>{size}×{size}</td><td>{esc(order)}</td>"
                f"<td>{esc(t('history.cell_' + variant_of(s)))}</td>"
                f"<td>{esc(status_text(s['status']))}{self._duel_text(s)}</td>"
                f"<td>{esc(format_ms(s['completion_time_ms']))}</td>"
                f"<td>{esc(format_percent(s['accuracy']))}</td><td>{s['mistakes']}</td>"
                f"<td>{esc(sync_text(self.sync.get(s['id'])))}</td>"
                f'<td><button type="button" data-delete="{esc(s["id"])}" '
                f'aria-label="{esc(t("history.delete_label", when=when))}">{esc(delete)}</button></td>'
                "</tr>"
            )
        columns = ("date", "grid", "order", "variant", "status", "time", "accuracy", "mistakes", "sync")
        head = (
            "<tr>"
            + "".join(f"<th>{esc(t('history.column_' + column))}</th>" for column in columns)
            + f"<th><span class='visually-hidden'>{esc(t('history.column_actions'))}</span></th></tr>"
        )
        label = esc(t("history.sessions"))
        table = f'<table aria-label="{label}"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        return f'<div class="table-scroll">{table}</div>'

    def _duel_text(self, session: dict[str, Any]) -> str:
        """A duel game's outcome after its status; ``Pending`` until the server says the duel is finished."""
        if session.get("mode") != "duel":
            return ""
        outcome = self.duels.get(session["id"], "Pending").lower()
        return f" · {esc(t('history.duel_' + outcome))}"

    def _clicked(self, event: Any) -> None:
        button = event.target.closest("[data-delete]")
        if button is not None:
            js.Promise.resolve(self._delete(str(button.dataset.delete)))

    async def _delete(self, session_id: str) -> None:
        await js.window.schulte.storage.deleteSession(session_id)
        js.window.dispatchEvent(js.CustomEvent.new("schulte:deleted"))  # the sync loop tells the server
        self.sessions = [s for s in self.sessions if s["id"] != session_id]
        self.render()
        el("import-message").textContent = t("history.deleted")

    def export(self) -> None:
        """Download every session as one JSON file."""
        now = datetime.now(UTC)
        js.window.schulte.feedback.download(export_filename(now), export_text(self.sessions, now))
        el("import-message").textContent = t("history.exported", count=len(self.sessions))

    def _file_chosen(self, event: Any) -> None:
        files = event.target.files
        if files.length:
            js.Promise.resolve(self._import_file(files.item(0)))
        event.target.value = ""

    async def _import_file(self, file: Any) -> None:
        message = await import_text(str(await file.text()))
        self.sessions = await load_all()
        self.render()
        el("import-message").textContent = message


OFF_BOARD = ("HELD_FOR_REVIEW", "LATE_UPLOAD")
"""Reasons of verified sessions that stay off the boards (each reads as its own state)."""


def sync_text(state: dict[str, Any] | None) -> str:
    """What the server said about a session, in words (unverified and unranked ones carry their reasons)."""
    if state is None:
        return t("history.sync_device")
    if state["state"] == "waiting":
        return t("history.sync_waiting")
    if state.get("verified", True):
        for found in state.get("reasons", []):
            if found.get("code") in OFF_BOARD:
                return reason(found["code"])
        return t("history.sync_synced")
    reasons = "; ".join(reason(str(r.get("code"))) for r in state.get("reasons", []))
    return t("history.sync_unverified_because", reasons=reasons) if reasons else t("history.sync_unverified")


async def import_text(text: str) -> str:
    """Validate every session with ``core`` first; store all of them or none. Returns what happened."""
    try:
        sessions = parse_import(text)
    except ArchiveError as rejected:
        if rejected.code == "not_json":
            return t("history.import_not_json", error=rejected.detail)
        if rejected.code == "not_history":
            return t("history.import_not_export")
        return t("history.import_malformed", number=rejected.number, error=rejected.detail)
    added = int(await js.window.schulte.storage.importSessions(json.dumps(sessions)))
    return t("history.imported", added=added, known=len(sessions) - added)


def progress_svg(sessions: list[dict[str, Any]]) -> str:
    """Best completed time per day, one line per board (variant and grid size)."""
    per_day: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for s in sessions:
        time_ms = s["completion_time_ms"]
        if time_ms is None:
            continue
        day = s["started_at"][:10]
        line = per_day[variant_of(s), s["grid_size"]]
        best = line.get(day)
        line[day] = time_ms if best is None else min(best, time_ms)
    days = sorted({day for by_day in per_day.values() for day in by_day})
    if not days:
        return f'<p class="muted">{esc(t("history.no_progress"))}</p>'
    width, height, pad = 600, 200, 34
    top = max(time for by_day in per_day.values() for time in by_day.values())
    x_step = (width - 2 * pad) / max(1, len(days) - 1)

    def xy(day: str, time_ms: float) -> tuple[float, float]:
        x = pad + days.index(day) * x_step if len(days) > 1 else width / 2
        return x, height - pad - (height - 2 * pad) * time_ms / top

    parts = [
        f'<text x="4" y="{pad - 8}">{esc(t("game.clock", seconds=top / 1000))}</text>',
        f'<text x="{pad}" y="{height - 8}">{esc(_day(days[0]))}</text>',
        f'<text x="{width - pad}" y="{height - 8}" text-anchor="end">{esc(_day(days[-1]))}</text>',
    ]
    legend = []
    for number, (variant, size) in enumerate(sorted(per_day)):
        colour = COLOURS[number % len(COLOURS)]
        name = board_short(size, variant)
        points = [xy(day, time) for day, time in sorted(per_day[variant, size].items())]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = f' stroke-dasharray="{DASHES.get(variant, "")}"' if DASHES.get(variant) else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for (day, time), (x, y) in zip(sorted(per_day[variant, size].items()), points, strict=True):
            point = t("history.point", board=name, day=_day(day), time=format_ms(time))
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{esc(point)}</title></circle>"
            )
        legend.append(name)
    label = t("history.chart_label", boards=", ".join(legend), days=len(days))
    return f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">{"".join(parts)}</svg>'
