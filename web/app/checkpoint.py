"""The in-progress game, checkpointed synchronously to localStorage after every input.

A tab can be killed without any event reaching us, so the game must be recoverable from what was
already written. The checkpoint holds the game's inputs (board seed, settings, the tap/pause/resume
log and, once known, when the player left); on the next boot ``core`` replays them and ends the game
as abandoned (or as timed out, if max time ran out first: ``core`` decides). localStorage is used
because it is synchronous: a write in ``pagehide`` is done when the call returns. The page passes its
``localStorage`` in, so this module never touches the page itself and runs on CPython as well.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core import Board, Game, Series

if TYPE_CHECKING:
    from js import Storage

KEY = "schulte.checkpoint.v1"


def new(game: Game) -> dict[str, Any]:
    """A checkpoint for a game that has just been shown."""
    return {
        "id": game.session_id,
        "grid_size": game.board.size,
        "board_seed": game.board.seed,
        "order_mode": game.order.value,
        "max_time": game.max_time,
        "hint_enabled": game.hint,
        "mode": game.mode.value,
        "ticket_id": game.ticket_id,
        "variant": game.variant.value,
        "reshuffle": game.reshuffle,
        "series": None if game.series is None else game.series.to_dict(),
        "started_at": game.started_at.isoformat(),
        "log": [],
        "left_at": None,
    }


def write(store: Storage, checkpoint: dict[str, Any]) -> None:
    """Store the checkpoint now (synchronous)."""
    store.setItem(KEY, json.dumps(checkpoint, separators=(",", ":")))


def clear(store: Storage, session_id: str | None = None) -> None:
    """Forget the checkpoint (only if it belongs to ``session_id``, when given)."""
    if session_id is not None:
        current = read(store)
        if current is not None and current.get("id") != session_id:
            return
    store.removeItem(KEY)


def read(store: Storage) -> dict[str, Any] | None:
    """The stored checkpoint, if any."""
    text = store.getItem(KEY)
    if text is None:
        return None
    try:
        data = json.loads(str(text))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def replay(checkpoint: dict[str, Any]) -> Game:
    """Rebuild the game from its inputs; ``core`` re-applies every rule."""
    game = Game(
        Board.generate(int(checkpoint["grid_size"]), int(checkpoint["board_seed"])),
        checkpoint["order_mode"],
        int(checkpoint["max_time"]),
        bool(checkpoint["hint_enabled"]),
        checkpoint.get("mode", "practice"),
        ticket_id=checkpoint.get("ticket_id"),
        session_id=str(checkpoint["id"]),
        started_at=datetime.fromisoformat(checkpoint["started_at"]),
        variant=checkpoint.get("variant", "classic"),  # a checkpoint written before variants is classic
        reshuffle=bool(checkpoint.get("reshuffle", False)),
        series=Series.from_dict(checkpoint.get("series")),  # a table of a series stays one when left
    )
    for entry in checkpoint["log"]:
        kind = entry[0]
        if kind == "t":
            game.tap(int(entry[1]), float(entry[2]))
        elif kind == "p":
            game.pause(float(entry[1]))
        elif kind == "r":
            game.resume(float(entry[1]))
    return game


def finish(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """The session a left-behind checkpoint stands for, in the wire format."""
    game = replay(checkpoint)
    left_at = checkpoint.get("left_at")
    game.abandon(None if left_at is None else float(left_at))
    return game.to_session().to_dict()
