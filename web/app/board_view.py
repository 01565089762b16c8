"""The board: one <button> per cell, built once per game; each tap repaints only what it touched.

Taps are taken on ``pointerdown`` (a finger's press time would otherwise add to every tap) and on
Enter/Space ``keydown``. The time passed on is the event's own ``timeStamp`` relative to the moment
the board was shown, so a busy main thread cannot stretch or compress a player's time. There is no
``click`` listener, so the click a browser synthesises after a press can never count twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the page

from app.dom import el, on
from core import Board

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
        on(self.root, "pointerdown", self._pointerdown)
        on(self.root, "keydown", self._keydown)

    def show(self, board: Board, *, dot: bool) -> None:
        """Lay out a fresh board and start its time origin."""
        self.size = board.size
        self.root.style.setProperty("--n", str(board.size))
        self.root.classList.toggle("dot", dot)
        self.root.hidden = False
        parts = [
            f'<button type="button" class="cell" data-i="{i}" tabindex="{0 if i == 0 else -1}">{n}</button>'
            for i, n in enumerate(board.cells)
        ]
        self.root.innerHTML = "".join(parts)
        children = self.root.children
        self.cells = [children.item(i) for i in range(board.cell_count)]
        self._hint_cell = None
        self._focus = 0
        self.origin = float(js.performance.now())

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
