"""Entry point: wire the screens, recover a game left behind, then enable Start."""

from __future__ import annotations

import json
from typing import Any

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the page

from app import checkpoint, profile, settings
from app.dom import el, on, show
from app.history import History, best_time, load_all
from app.play import Play, session_json
from app.results import render
from app.settings import Settings
from core import Board, Game


class App:
    """Holds the screens' controllers."""

    def __init__(self) -> None:
        self.play = Play(self.finished)
        self.history = History()
        on(el("start"), "click", lambda _e: self.new_game())
        on(el("start-ranked"), "click", lambda _e: js.Promise.resolve(self.ranked_game()))
        on(el("ranked-practice"), "click", lambda _e: self.new_game())
        on(js.window, "schulte:challenge", self._challenge)
        on(el("again"), "click", lambda _e: self.new_game())
        on(el("to-settings"), "click", lambda _e: show("settings"))
        on(el("nav-play"), "click", self._nav_play)
        on(el("nav-history"), "click", lambda _e: js.Promise.resolve(self.history.open()))
        profile.listen()
        settings.listen()

    def new_game(self) -> None:
        """Start a board with the settings the form holds now."""
        self.play.start(Settings.current())

    def _challenge(self, event: Any) -> None:
        """The boards screen asked to play a challenge or a duel (``detail``: mode, board, duel id)."""
        detail = json.loads(str(event.detail))
        board = int(detail["grid_size"]), detail["order_mode"], detail.get("variant", "classic")
        js.Promise.resolve(self.ranked_game(detail["mode"], *board, detail.get("duel_id")))

    async def ranked_game(
        self,
        mode: str = "ranked",
        grid_size: int | None = None,
        order: str | None = None,
        variant: str | None = None,
        duel_id: str | None = None,
    ) -> None:
        """Fetch a ticket (needs the network) and play the board it reveals; say why not otherwise."""
        chosen = Settings.current()
        message = el("ranked-message")
        message.textContent = "Fetching a ranked board…"
        size, order_mode = grid_size or chosen.grid_size, order or chosen.order.value
        board_variant = variant or chosen.variant.value
        if duel_id is not None:  # the duel's own board (its variant too): one ticket per player per duel
            answer = json.loads(str(await js.window.schulte.duelTicket(duel_id)))
        else:
            answer = json.loads(str(await js.window.schulte.ticket(size, order_mode, mode, board_variant)))
        if "error" in answer:
            show("settings")
            message.textContent = answer["error"]
            el("ranked-practice").hidden = not answer.get("offline", False)
            return
        message.textContent = ""
        el("ranked-practice").hidden = True
        self.play.start(chosen, ticket=answer)

    def _nav_play(self, _event: Any) -> None:
        show("game" if self.play.in_progress else "settings")

    async def finished(self, session: dict[str, Any]) -> None:
        """Save a finished game (one IndexedDB transaction), then show its results."""
        board = session["grid_size"], session["order_mode"], session.get("variant", "classic")
        previous = best_time(await load_all(), *board)
        saved = await save(session)
        render(session, previous, saved)

    async def recover(self) -> None:
        """Finish a game left behind by a closed or killed tab as ``abandoned`` (``core`` decides)."""
        left = checkpoint.read()
        if left is None:
            return
        try:
            session = checkpoint.finish(left)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            js.console.warn(f"dropping an unreadable game checkpoint: {error}")
            checkpoint.clear()
            return
        await save(session)


async def save(session: dict[str, Any]) -> bool:
    """Store the session, then drop its checkpoint; False (checkpoint kept) if storing failed."""
    try:
        await js.window.schulte.saveFinished(session_json(session))
    except Exception as error:  # noqa: BLE001  # any storage failure: keep the checkpoint, retry at next boot
        js.console.error(f"could not save session {session['id']}: {error}")
        return False
    checkpoint.clear(session["id"])
    return True


def warm_tap_path(app: App) -> None:
    """Play one throw-away board through ``core`` and the board view before Start is enabled.

    The game screen is hidden, so nobody sees it, and nothing is saved or announced. The first tap of
    the player's first game then runs code that has already run (Python's specialising interpreter,
    Pyodide's FFI and V8 have warmed up) and paints as fast as the hundredth.
    """
    board = Board.generate(5, 0)
    game = Game(board, "ASC", 120)
    view = app.play.view
    view.show(game, dot=False)
    for step, number in enumerate(board.sequence()):
        index = board.index_of(number)
        game.tap(index, 1000.0 + 300.0 * step)
        view.mark_found(index)
        view.set_hint(index)
    game.to_session().to_dict()
    view.set_hint(None)
    view.root.innerHTML = ""


async def start() -> None:
    """Called once by the page when Python is up."""
    js.window.schulte.pyStartAt = js.performance.now()  # PyScript's own start-up ends here (bench_web)
    app = App()
    warm_tap_path(app)
    await app.recover()
    start_button = el("start")
    start_button.disabled = False
    el("start-ranked").disabled = False
    el("nav-history").disabled = False
    el("py-status").textContent = "Ready. Works offline once loaded."
    js.window.schulte.app = json.dumps({"ready": True})
    js.window.schulte.pyReadyAt = js.performance.now()
    js.document.documentElement.dataset.ready = "1"
    js.window.dispatchEvent(js.CustomEvent.new("schulte:ready"))  # e.g. the account's start-up sync
