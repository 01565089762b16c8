"""Entry point: wire the screens, recover a game left behind, then enable Start."""

from __future__ import annotations

import json
from typing import Any

import js

from app import checkpoint, coach_view, profile, settings
from app.dashboard import DashboardView
from app.dom import el, on, show
from app.history import History, best_time, load_all
from app.i18n import t
from app.play import Play, session_json
from app.results import render
from app.series_view import SeriesRun
from app.settings import Settings
from core import SERIES_LENGTH, Board, Series


class App:
    """Holds the screens' controllers."""

    def __init__(self) -> None:
        self.play = Play(self.finished)
        self.history = History()
        self.dashboard = DashboardView()
        self.series = SeriesRun(self._series_table)
        self.coached = False
        on(el("start-series"), "click", lambda _e: self._fresh(self.series.begin))
        on(el("series-next"), "click", lambda _e: self.series.next_table())
        on(el("start-coach"), "click", lambda _e: js.Promise.resolve(self.coach_game()))
        on(el("coach-next"), "click", lambda _e: js.Promise.resolve(self.coach_game()))
        on(el("nav-dashboard"), "click", lambda _e: js.Promise.resolve(self.dashboard.open()))
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
        self._fresh(lambda: self.play.start(Settings.current()))

    def _fresh(self, start: Any) -> None:
        """Start a game that is neither coached nor the next table of a running series."""
        self.series.drop()
        self.coached = False
        start()

    def _series_table(self, chosen: Settings, series: Series) -> None:
        note = t("series.playing", index=series.index, total=SERIES_LENGTH)
        self.play.start(chosen, series=series, note=note)

    async def coach_game(self) -> None:
        """Play the coach's suggestion for this history, its reason above the board."""
        chosen, reason = coach_view.next_game(await load_all())
        self.series.drop()
        self.coached = True
        self.play.start(chosen, note=reason)

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
        message.textContent = t("settings.ranked_fetching")
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
        self.series.drop()
        self.coached = False
        self.play.start(chosen, ticket=answer)

    def _nav_play(self, _event: Any) -> None:
        show("game" if self.play.in_progress else "settings")

    async def finished(self, session: dict[str, Any]) -> None:
        """Save a finished game (one IndexedDB transaction), then show its results."""
        board = session["grid_size"], session["order_mode"], session.get("variant", "classic")
        previous = best_time(await load_all(), *board)
        saved = await save(session)
        render(session, previous, saved)
        el("coach-next").hidden = not self.coached
        self.series.after(session, await load_all() if session.get("series") else [])

    async def recover(self) -> None:
        """Finish a game left behind by a closed or killed tab as ``abandoned`` (``core`` decides)."""
        left = checkpoint.read(js.localStorage)
        if left is None:
            return
        try:
            session = checkpoint.finish(left)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            js.console.warn(f"dropping an unreadable game checkpoint: {error}")
            checkpoint.clear(js.localStorage)
            return
        await save(session)


async def save(session: dict[str, Any]) -> bool:
    """Store the session, then drop its checkpoint; False (checkpoint kept) if storing failed."""
    try:
        await js.window.schulte.saveFinished(session_json(session))
    except Exception as error:  # noqa: BLE001  # any storage failure: keep the checkpoint, retry at next boot
        js.console.error(f"could not save session {session['id']}: {error}")
        return False
    checkpoint.clear(js.localStorage, session["id"])
    return True


async def start() -> None:
    """Called once by the page when Python is up."""
    js.window.schulte.pyStartAt = js.performance.now()  # PyScript's own start-up ends here (bench_web)
    app = App()
    app.play.rehearse(Board.generate(5, 0))
    await app.recover()
    start_button = el("start")
    start_button.disabled = False
    el("start-ranked").disabled = False
    el("nav-history").disabled = False
    el("nav-dashboard").disabled = False
    el("start-series").disabled = False
    el("start-coach").disabled = False
    js.window.schulte.showText(el("py-status"), "settings.engine_ready")
    js.window.schulte.pyReadyAt = js.performance.now()
    js.document.documentElement.dataset.ready = "1"
    js.window.dispatchEvent(js.CustomEvent.new("schulte:ready"))  # e.g. the account's start-up sync
