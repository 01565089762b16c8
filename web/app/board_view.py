"""The board: one <button> per cell, built once per game; each tap repaints only what it touched.

What a cell shows is its token's ``core`` label (number, letter, or Gorbov's red or black number).
A Gorbov cell's accessible name says its colour ("red 24"), and red cells are round where black ones
are square, so colour is never the only cue. After a reshuffle the cells whose token changed are
repainted in one call into JavaScript, not one round trip per cell.

Taps are taken on ``pointerdown`` (a finger's press time would otherwise add to every tap) and on
Enter/Space ``keydown``. The time passed on is the event's own ``timeStamp`` relative to the moment
the board was shown, so a busy main thread cannot stretch or compress a player's time. There is no
``click`` listener, so the click a browser synthesises after a press can never count twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import js

from app.dom import el, on
from app.i18n import t
from core import Game, Label, labels

TapHandler = Callable[[int, float], None]

_MOVES = {"ArrowLeft": (0, -1), "ArrowRight": (0, 1), "ArrowUp": (-1, 0), "ArrowDown": (1, 0)}


class BoardView:
    """Paints a ``core.Board`` into ``#board`` and reports taps as ``(cell_index, event_ms)``."""

    def __init__(self, on_tap: TapHandler) -> None:
        self.root = el("board")
        self.size = 0
        self.cells: list[Any] = []
        self.origin = 0.0
        """``performance.now()`` when the board was shown: tap times are measured from here."""
        self._hint_cell: int | None = None
        self._focus = 0
        self._on_tap = on_tap
        self._flash = js.window.schulte.feedback.flashWrong
        self._paint = js.window.schulte.feedback.paintCells
        self._labels: tuple[Label, ...] = ()
        self._names: list[str] = []
        self._shown: list[int] = []
        on(self.root, "pointerdown", self._pointerdown)
        on(self.root, "keydown", self._keydown)

    def show(self, game: Game, *, dot: bool) -> None:
        """Lay out a fresh board (as ``game`` deals it, in its variant) and start its time origin."""
        board = game.board
        self.size = board.size
        self._labels = labels(game.variant, board.size)
        self._names = [token_name(label) for label in self._labels]  # once per board, not per tap
        self._shown = list(game.cells)
        self.root.style.setProperty("--n", str(board.size))
        self.root.classList.toggle("dot", dot)
        self.root.hidden = False
        parts = [
            f'<button type="button" class="{_cell_class(self._labels[token])}" data-i="{i}" '
            f'tabindex="{0 if i == 0 else -1}"{self._aria(token)}>{self._labels[token].text}</button>'
            for i, token in enumerate(self._shown)
        ]
        self.root.innerHTML = "".join(parts)
        children = self.root.children
        self.cells = [children.item(i) for i in range(board.cell_count)]
        self._hint_cell = None
        self._focus = 0
        self.origin = float(js.performance.now())

    def _aria(self, token: int) -> str:
        return f' aria-label="{self._names[token]}"' if self._labels[token].colour else ""

    def name(self, token: int) -> str:
        """What a token is called on screen and to a screen reader: ``"17"``, ``"C"``, ``"red 24"``."""
        return self._names[token]

    def colour(self, token: int) -> str:
        """The token's Gorbov colour as a class name, or ``""``."""
        return self._labels[token].colour or ""

    def repaint(self, cells: tuple[int, ...]) -> None:
        """Show a reshuffled layout: only the cells whose token changed, in one call into the page."""
        shown, names = self._shown, self._labels
        changes = []
        for index, token in enumerate(cells):
            if token != shown[index]:
                shown[index] = token
                label = names[token]
                changes.append((index, label.text, label.colour or ""))
        if changes:
            self._paint(self.root, json.dumps(changes, separators=(",", ":")))

    def event_ms(self, event: Any) -> float:
        """The event's own time stamp, in ms since the board was shown."""
        return max(0.0, float(event.timeStamp) - self.origin)

    def mark_found(self, cell_index: int) -> None:
        """A correct tap: green, struck through, ticked and pressed (colour is not the only signal)."""
        cell = self.cells[cell_index]
        cell.classList.add("found")
        cell.setAttribute("aria-pressed", "true")

    def flash_wrong(self, cell_index: int) -> None:
        """A wrong tap: a short red flash."""
        self._flash(self.cells[cell_index])

    def set_hint(self, cell_index: int | None) -> None:
        """Move the hint highlight to ``cell_index`` (``None`` removes it)."""
        if self._hint_cell is not None:
            self.cells[self._hint_cell].classList.remove("hint")
        if cell_index is not None:
            self.cells[cell_index].classList.add("hint")
        self._hint_cell = cell_index

    def focus_first(self) -> None:
        """Put keyboard focus on the board."""
        if self.cells:
            self.cells[self._focus].focus()

    def _pointerdown(self, event: Any) -> None:
        if event.button != 0:
            return
        cell = event.target.closest("[data-i]")
        if cell is None:
            return
        self._on_tap(int(cell.dataset.i), self.event_ms(event))

    def _keydown(self, event: Any) -> None:
        cell = event.target.closest("[data-i]")
        if cell is None:
            return
        index = int(cell.dataset.i)
        key = str(event.key)
        if key in ("Enter", " "):
            event.preventDefault()  # no synthetic click, no page scroll
            if not event.repeat:
                self._on_tap(index, self.event_ms(event))
        elif key in _MOVES:
            event.preventDefault()
            row, col = divmod(index, self.size)
            d_row, d_col = _MOVES[key]
            row, col = (row + d_row) % self.size, (col + d_col) % self.size
            self._move_focus(row * self.size + col)
        elif key in ("Home", "End"):
            event.preventDefault()
            self._move_focus(0 if key == "Home" else len(self.cells) - 1)

    def _move_focus(self, index: int) -> None:
        self.cells[self._focus].tabIndex = -1
        self._focus = index
        cell = self.cells[index]
        cell.tabIndex = 0
        cell.focus()


def _cell_class(label: Label) -> str:
    return f"cell {label.colour}" if label.colour else "cell"


def token_name(label: Label) -> str:
    """A label as spoken and written in words: ``"17"``, ``"C"``, ``"red 24"`` (in the player's language)."""
    return t(f"board.cell_{label.colour}", label=label.text) if label.colour else label.text
