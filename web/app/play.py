"""One game on screen: feeds taps, pauses and time-outs to ``core.Game`` and paints the outcome."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import js
from pyodide.ffi import create_proxy, to_js

from app import checkpoint
from app.board_view import BoardView
from app.dom import announce, el, format_clock, on, show
from app.i18n import t
from app.settings import Settings
from core import MAX_SEED, Board, Game, Phase, Series, Variant

Finished = Callable[[dict[str, Any]], Awaitable[None]]
_pending: set[asyncio.Future[None]] = set()  # keeps save tasks alive until they are done


def _quiet(*_: object) -> None:
    """Stands in for the cue and the live region while a board is rehearsed."""


class _Scratch:
    """Stands in for localStorage while a board is rehearsed: the checkpoint is written nowhere."""

    def setItem(self, key: str, value: str) -> None:  # noqa: N802  # localStorage's name
        """Forget it."""


def _press() -> Any:
    """A primary-button ``pointerdown`` that bubbles to the board's listener, as a finger's does."""
    return js.PointerEvent.new("pointerdown", to_js({"bubbles": True}, dict_converter=js.Object.fromEntries))


class Play:
    """The game screen's controller."""

    def __init__(self, on_finished: Finished) -> None:
        self.view = BoardView(self._tap)
        self.game: Game | None = None
        self._checkpoint: dict[str, Any] = {}
        self._on_finished = on_finished
        self._shown_clock = -1
        self._shown_left = ""
        self._target_class = ""
        self._target = el("target")
        self._progress = el("progress")
        self._mistakes = el("mistakes")
        self._clock = el("clock")
        self._left = el("remaining")
        self._pause = el("pause")
        self._cue = js.window.schulte.cue  # looked up once: every FFI hop counts on the tap path
        self._announce: Callable[[str], None] = announce
        self._store: Any = js.localStorage
        self._tick_proxy = create_proxy(self._tick)
        js.window.schulte.clock.onTick = self._tick_proxy
        on(self._pause, "click", self._pause_clicked)
        on(el("resume"), "click", self._resume_clicked)
        on(el("quit"), "click", self._quit_clicked)
        on(js.document, "visibilitychange", self._visibility)
        on(js.window, "pagehide", self._pagehide)

    @property
    def in_progress(self) -> bool:
        """True while a game is on the board and not over."""
        return self.game is not None and not self.game.is_over

    def start(
        self,
        settings: Settings,
        ticket: dict[str, Any] | None = None,
        *,
        series: Series | None = None,
        note: str = "",
    ) -> None:
        """Show a fresh board for ``settings``, or the board a server ``ticket`` reveals (ranked play).

        ``series``: the table of a five-table series this game is; ``note``: a line shown above the
        board (the coach's reason, the series' table), none by default.
        """
        if ticket is None:
            board = Board.generate(settings.grid_size, secrets.randbelow(MAX_SEED))
            game = Game(
                board,
                settings.order,
                settings.max_time,
                settings.hint,
                variant=settings.variant,
                reshuffle=settings.reshuffle,
                series=series,
            )
        else:  # the ticket's board, variant included; reshuffle is practice only
            board = Board.generate(int(ticket["grid_size"]), int(ticket["board_seed"]))
            mode, ticket_id = ticket["mode"], ticket["id"]
            variant = ticket.get("variant", Variant.CLASSIC)
            game = Game(
                board,
                ticket["order_mode"],
                settings.max_time,
                mode=mode,
                ticket_id=ticket_id,
                variant=variant,
            )
        show("game")
        el("game-note").textContent = note
        el("game-note").hidden = not note
        el("paused").hidden = True
        self._pause.hidden = game.mode.is_ranked  # the contract locks pause (and hint) off in ranked modes
        self.view.show(game, dot=settings.dot)
        self.game = game
        self._checkpoint = checkpoint.new(game)
        checkpoint.write(self._store, self._checkpoint)
        self._show_target(game.target)
        self._progress.textContent = f"0 / {board.cell_count}"
        self._mistakes.textContent = "0"
        self._pause.disabled = True
        self._show_time(0.0)
        self.view.set_hint(game.next_cell if game.hint else None)
        self.view.focus_first()
        js.window.schulte.boardShownAt = self.view.origin
        announce(t("game.new_board", size=board.size, target=self._name(game.target)))
        js.window.schulte.clock.start()

    def rehearse(self, board: Board) -> None:
        """Play ``board`` through this screen's own tap path before Start is enabled.

        One wrong tap, then every cell but the last (the last would end and save the game): the first
        three as a ``pointerdown`` dispatched on the cell, as a finger's would be, the rest straight to
        the tap handler (events for all of them cost 15 ms more of boot at 4× CPU). Otherwise the first
        taps of the player's first game run code nothing has run yet (Python's specialising
        interpreter, Pyodide's FFI both ways, the wasm and JS functions V8 compiles on their first
        call, the first layout of a found cell and its tick's font): at 4× CPU the first tap took
        25–45 ms against 11 ms for the rest. The game screen is laid out but never painted
        (``visibility: hidden``, shown and hidden again within this call), and nothing is cued,
        announced or stored.
        """
        cue, say, store = self._cue, self._announce, self._store
        self._cue, self._announce, self._store = _quiet, _quiet, _Scratch()
        screen = el("screen-game")
        screen.style.visibility = "hidden"
        screen.hidden = False
        try:
            game = self.game = Game(board, "ASC", 120)
            self._checkpoint = checkpoint.new(game)
            self.view.show(game, dot=False)
            order = board.sequence()
            for step, number in enumerate([order[1], *order[:-1]]):
                if step < 3:
                    self.view.cells[board.index_of(number)].dispatchEvent(_press())
                else:
                    self._tap(board.index_of(number), self._now_ms())
                if step < 2:  # style and layout of a wrong and a found cell
                    _ = self.view.root.offsetHeight
            game.tap(board.index_of(order[-1]), self._now_ms())
            game.to_session().to_dict()
        finally:
            self._cue, self._announce, self._store = cue, say, store
            self.game, self._checkpoint = None, {}
            self.view.set_hint(None)
            self.view.root.innerHTML = ""
            screen.hidden = True
            screen.style.visibility = ""

    # Input -----------------------------------------------------------------------------------------

    def _tap(self, cell_index: int, at_ms: float) -> None:
        game = self.game
        if game is None or game.is_over:
            return
        try:
            result = game.tap(cell_index, at_ms)
        except ValueError:  # an event stamped before one already counted: not a tap core can place
            return
        if result is None:
            if game.is_over:  # max time had run out before this tap
                self._finish()
            return
        if result.correct:
            self.view.mark_found(cell_index)
            self._progress.textContent = f"{game.progress} / {game.board.cell_count}"
            if result.status is None:
                if game.reshuffle:
                    self.view.repaint(game.cells)
                self._show_target(result.target)
                if game.hint:
                    self.view.set_hint(game.next_cell)
                self._pause.disabled = game.mode.is_ranked
                total = game.board.cell_count
                self._announce(
                    t("a11y.progress", target=self._name(result.target), found=game.progress, total=total)
                )
                self._cue("correct")
        else:
            self.view.flash_wrong(cell_index)
            self._mistakes.textContent = str(game.mistakes)
            tapped = self._name(result.event.tapped_value)
            self._announce(t("game.wrong", tapped=tapped, target=self._name(result.target)))
            self._cue("wrong")
        self._log("t", cell_index, at_ms)
        if result.status is not None:
            self._finish()

    def _name(self, token: int | None) -> str:
        return "" if token is None else self.view.name(token)

    def _show_target(self, token: int | None) -> None:
        # The target's name carries its colour in words ("red 24"); the class only tints it.
        self._target.textContent = self._name(token)
        colour = "" if token is None else self.view.colour(token)
        if (
            colour != self._target_class
        ):  # one hop fewer per tap when the colour stays (every non-Gorbov game)
            self._target_class = colour
            self._target.className = colour

    def _pause_clicked(self, event: Any) -> None:
        game = self.game
        if game is None or game.phase is not Phase.RUNNING or game.mode.is_ranked:
            return
        at_ms = self.view.event_ms(event)
        game.pause(at_ms)
        if game.is_over:  # time ran out before the pause
            self._finish()
            return
        self._log("p", at_ms)
        self._show_paused(True)
        el("resume").focus()
        announce(t("game.paused_spoken"))

    def _resume_clicked(self, event: Any) -> None:
        game = self.game
        if game is None or game.phase is not Phase.PAUSED:
            return
        at_ms = self.view.event_ms(event)
        game.resume(at_ms)
        self._log("r", at_ms)
        self._show_paused(False)
        self.view.focus_first()
        announce(t("game.resumed", target=self._name(game.target)))

    def _quit_clicked(self, event: Any) -> None:
        game = self.game
        if game is None or game.is_over:
            show("settings")
            return
        game.abandon(self.view.event_ms(event))
        self._finish()

    def _show_paused(self, paused: bool) -> None:
        # The board is removed from view (not just covered) so pausing cannot be used to search.
        if paused:  # the frozen time now, not at the worker's next tick (the clock must not move)
            self._show_time(self._now_ms())
        self.view.root.hidden = paused
        el("paused").hidden = not paused
        self._pause.disabled = paused

    # Time ------------------------------------------------------------------------------------------

    def _now_ms(self) -> float:
        return max(0.0, float(js.performance.now()) - self.view.origin)

    def _tick(self, _worker_now: float) -> None:
        # The worker only says "now would be a good time to repaint"; its clock has another origin.
        game = self.game
        if game is None or game.is_over:
            return
        now = self._now_ms()
        if game.check_timeout(now):
            self._finish()
            return
        self._show_time(now)

    def _show_time(self, now: float) -> None:
        game = self.game
        if game is None:
            return
        tenths = int(game.elapsed_ms(now) // 100)
        if tenths != self._shown_clock:  # formatted (Intl, via the catalog) only when the tenth changes
            self._shown_clock = tenths
            self._clock.textContent = t("game.clock", seconds=tenths / 10)
        left = format_clock(game.remaining_ms(now))
        if left != self._shown_left:
            self._shown_left = left
            self._left.textContent = left

    # Leaving ---------------------------------------------------------------------------------------

    def _visibility(self, _event: Any) -> None:
        game = self.game
        if game is None or game.is_over:
            return
        if js.document.visibilityState == "hidden":
            now = self._now_ms()
            if game.phase is Phase.RUNNING and not game.mode.is_ranked:
                game.pause(now)
                if game.is_over:
                    self._finish()
                    return
                self._log("p", now, write=False)
                self._show_paused(True)
            self._checkpoint["left_at"] = now
        else:
            self._checkpoint["left_at"] = None
        checkpoint.write(self._store, self._checkpoint)

    def _pagehide(self, _event: Any) -> None:
        game = self.game
        if game is None or game.is_over:
            return
        now = self._now_ms()
        self._checkpoint["left_at"] = now
        # Synchronous: survives even if the save below never runs.
        checkpoint.write(self._store, self._checkpoint)
        game.abandon(now)
        self._finish()

    # Ending ----------------------------------------------------------------------------------------

    def _log(self, kind: str, *values: float, write: bool = True) -> None:
        self._checkpoint["log"].append([kind, *values])
        if write:
            checkpoint.write(self._store, self._checkpoint)

    def _finish(self) -> None:
        game = self.game
        if game is None:
            return
        js.window.schulte.clock.stop()
        self._pause.disabled = True
        self.view.set_hint(None)
        self._show_time(self._now_ms())
        session = game.to_session().to_dict()
        task = asyncio.ensure_future(self._on_finished(session))
        _pending.add(task)
        task.add_done_callback(_pending.discard)


def session_json(session: dict[str, Any]) -> str:
    """The session as compact JSON for the storage module."""
    return json.dumps(session, separators=(",", ":"))
