"""The profile's stats: this device's history and the account's record on the server, as one.

The account screen (plain JS) fetches the server's stats and announces them with a
``schulte:profile`` event; this module adds what only this device knows (games not uploaded yet,
guest games) through ``core.summarize`` and shows ``core.merge`` of the two. Each (variant, grid size,
order) is its own board, under ``core.board_key``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import js

from app.dom import el, esc, format_ms, on
from app.history import load_all
from app.i18n import t
from app.records import server_record
from app.results import board_name
from core import (
    SIZES,
    Order,
    SessionFormatError,
    Stats,
    TrainingSession,
    Variant,
    board_key,
    merge,
    summarize,
)


def device_record(sessions: list[dict[str, Any]]) -> Stats:
    """``core.summarize`` of this device's history (a session that no longer parses is left out)."""
    parsed = []
    for session in sessions:
        try:
            parsed.append(TrainingSession.from_dict(session))
        except SessionFormatError as error:
            js.console.warn(f"profile: skipping stored session {session.get('id')}: {error}")
    return summarize(parsed)


def days(count: int) -> str:
    """``1 day``, ``2 days`` (``1 день``, ``2 дня``, ``5 дней``)."""
    return t("profile.days", count=count)


def rows(stats: Stats, verified: int | None, today: date) -> list[tuple[str, str]]:
    """The table's rows, in reading order; ``verified`` only when the server answered."""
    table = [
        (t("profile.games"), str(stats.total_sessions)),
        (t("profile.completed"), str(stats.completed_sessions)),
    ]
    if verified is not None:
        table.append((t("profile.verified"), str(verified)))
    table += [
        (t("profile.current_streak"), days(stats.streak.as_of(today))),
        (t("profile.longest_streak"), days(stats.streak.longest)),
    ]
    for variant in Variant:
        for size in SIZES:
            for order in Order:
                key = board_key(size, order, variant)
                if key in stats.best_times:
                    name = board_name(size, order, variant)
                    games = stats.completed.get(key, 0)
                    table.append((t("profile.best", board=name), format_ms(stats.best_times[key])))
                    average = t(
                        "profile.average_value", time=format_ms(stats.avg_times.get(key)), count=games
                    )
                    table.append((t("profile.average", board=name), average))
    return table


async def render(_event: Any = None) -> None:
    """Paint the stats from the latest server answer the account screen left in ``schulte.profile``."""
    device = device_record(await load_all())
    answer = json.loads(str(js.window.schulte.profile or "{}"))  # after the await: the latest answer
    server = answer.get("server")
    stats = merge(device, server_record(server)) if server else device
    if server:
        source = t("profile.source_account")
    elif answer.get("loading"):
        source = t("profile.source_loading")
    elif answer.get("error"):
        source = t("profile.source_error", error=answer["error"])
    else:
        source = t("profile.source_device")
    today = datetime.now(UTC).date()
    verified = server["verified_sessions"] if server else None
    el("profile-stats").innerHTML = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>{esc(value)}</td></tr>'
        for name, value in rows(stats, verified, today)
    )
    el("profile-source").textContent = source


def listen() -> None:
    """Repaint whenever the account screen has new server stats (or none); paint now if it is open."""
    on(js.window, "schulte:profile", lambda event: js.Promise.resolve(render(event)))
    on(
        js.window,
        "schulte:language",
        lambda _e: None if el("screen-account").hidden else js.Promise.resolve(render()),
    )
    if not el("screen-account").hidden:
        js.Promise.resolve(render())
