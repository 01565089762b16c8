"""The Coach button: play ``core.suggest``'s next configuration and say why in one sentence.

Offline it coaches with the model last fetched from ``GET /coach/model`` (``web/js/insight.js``
keeps it, revalidated by ETag), and with ``core``'s default table on a device that never went online.
The reason is put into words from its code and parameters through the catalog, never from
``Suggestion.reason`` (English only).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import js

from app.i18n import t
from app.settings import Settings
from core import DEFAULT_MODEL, CoachModel, CoachModelError, Suggestion, TrainingSession, suggest


def model() -> CoachModel:
    """The cached published model, or the default table (none cached, or one this core cannot read)."""
    data = json.loads(str(js.window.schulte.insight.coachModel()))
    if data is None:
        return DEFAULT_MODEL
    try:
        return CoachModel.from_dict(data)
    except CoachModelError as error:
        js.console.warn(f"coach model ignored: {error}")
        return DEFAULT_MODEL


def next_game(sessions: list[dict[str, Any]]) -> tuple[Settings, str]:
    """The settings of the suggested game (the player's dot preference kept) and the reason."""
    choice = suggest([TrainingSession.from_dict(s) for s in sessions], model())
    settings = replace(
        Settings.current(),
        grid_size=choice.grid_size,
        order=choice.order_mode,
        variant=choice.variant,
        max_time=choice.max_time,
        hint=False,
        reshuffle=False,
    )
    return settings, reason(choice)


def _board(size: object, order: object) -> str:
    return t("coach.board", size=size, order=t(f"coach.order.{order}"))


def reason(choice: Suggestion) -> str:
    """The suggestion's one sentence in the player's language."""
    params = choice.reason_params
    words: dict[str, object] = {
        "board": _board(params["grid_size"], params["order_mode"]),
        "size": t("coach.size", size=params["grid_size"]),
        "order": t(f"coach.order_next.{params['order_mode']}"),
        "max_time": params["max_time"],
    }
    if "from_grid_size" in params:
        words["record"] = _record(choice.reason_code, params)
    return t(f"coach.reason.{choice.reason_code}", **words)


def _record(code: str, params: dict[str, int | str]) -> str:
    """The evidence from the last configuration, as ``core.coach`` words it (see ``_record`` there)."""
    successes, recent = int(params["successes"]), int(params["recent"])
    if code == "KEEP":
        if recent == 1:
            return t("coach.record.last_ok" if successes else "coach.record.last_failed")
        return t("coach.record.kept", successes=successes, recent=recent)
    board = (
        t("coach.size", size=params["from_grid_size"])
        if code.startswith("SIZE")
        else _board(params["from_grid_size"], params["from_order_mode"])
    )
    task = t("coach.task", board=board, max_time=params["from_max_time"], mistakes=params["mistakes"])
    if recent == 1:
        return t("coach.record.one_ok" if successes else "coach.record.one_failed", task=task)
    return t("coach.record.finished", task=task, successes=successes, recent=recent)
