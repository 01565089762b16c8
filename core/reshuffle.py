"""Reshuffle: after each correct tap, the tokens not yet found are dealt again from the board's own stream.

The deal is defined exactly, so the server replays the same moves from the seed alone. After a
correct tap that does not end the game, let ``R`` be the cells not yet found and ``T`` the tokens not
yet found, both in ascending order (``m`` of each), and ``t`` the next target:

1. ``u = stream.next()``, where ``stream`` is ``Board.stream()`` (``SplitMix64(seed)`` continued past
   the draws that dealt the board, and past the draws of every earlier deal). Lemire's rejection
   keeps it unbiased: while ``u·m mod 2**64 < 2**64 mod m``, draw ``u`` again (rarely needed).
2. The target goes to ``R[j]`` with ``j = ⌊u·m / 2**64⌋``.
3. ``T`` without ``t`` is shuffled by ``core.board.fisher_yates`` on ``SplitMix64(u)`` (the board's own
   shuffle) and fills ``R`` without ``R[j]``, in ascending cell order. Found cells keep their tokens.

Steps 2 and 3 together deal a uniformly random layout. The target comes first and alone so that a
verifier pays one draw per correct tap and deals the rest only at a step where a wrong tap must be
checked against what that cell showed.
"""

from __future__ import annotations

from bisect import bisect_left

from core.board import Board, fisher_yates
from core.rng import SplitMix64

__all__ = ["Dealer"]

_MASK64 = (1 << 64) - 1


class Dealer:
    """The deals of one reshuffled game, in order.

    ``deal`` records a find and places the next target (one draw); ``layout`` completes that deal
    for every unfound cell, only when asked, so a replay pays for whole deals only where it needs one.
    """

    __slots__ = (
        "_cells",
        "_draw",
        "_now",
        "_others",
        "_slot",
        "_stream",
        "_target",
        "_target_cell",
        "_unfound",
    )

    def __init__(self, board: Board) -> None:
        self._stream = board.stream()
        self._cells = list(range(board.cell_count))
        # Tokens are found in order (ASC from 1, DESC from N²), so the unfound ones are always one range.
        self._unfound = [1, board.cell_count]
        self._now = list(board.cells)  # right for found cells always, for the rest until the first deal
        self._draw = 0
        self._slot = 0
        self._target = 0
        self._target_cell = -1  # no deal before the first find: the board as dealt
        self._others: list[int] | None = None

    def value_at(self, cell: int) -> int:
        """The token in ``cell`` now; a replay's look-up, which deals the rest only when it must."""
        if cell == self._target_cell:
            return self._target
        if self._target_cell >= 0:
            dealt = self.token_at(cell)
            if dealt is not None:
                return dealt
        return self._now[cell]

    def deal(self, cell: int, token: int, target: int) -> int:
        """Record that ``token`` was found in ``cell``, deal ``target`` (sought next), return its cell."""
        self._now[cell] = token
        cells = self._cells
        del cells[bisect_left(cells, cell)]
        unfound = self._unfound
        if token == unfound[0]:
            unfound[0] += 1
        elif token == unfound[1]:
            unfound[1] -= 1
        else:
            raise ValueError(f"tokens are found in order; {token} is not next at either end of {unfound}")
        count, stream = len(cells), self._stream
        draw = stream.next()
        product = draw * count
        if product & _MASK64 < count:  # Lemire: only then can the draw be biased; redraw below the cut
            cut = (1 << 64) % count
            while product & _MASK64 < cut:
                draw = stream.next()
                product = draw * count
        slot = product >> 64
        self._draw, self._slot = draw, slot
        self._target, self._target_cell = target, cells[slot]
        self._others = None
        return self._target_cell

    def layout(self) -> dict[int, int]:
        """Token per unfound cell after the last deal."""
        cells, slot = self._cells, self._slot
        layout = dict(zip(cells[:slot] + cells[slot + 1 :], self._rest(), strict=True))
        layout[cells[slot]] = self._target
        return layout

    def token_at(self, cell: int) -> int | None:
        """The token the last deal put in ``cell``, or ``None`` for a found cell (it keeps its token)."""
        cells = self._cells
        at = bisect_left(cells, cell)
        if at == len(cells) or cells[at] != cell:
            return None
        if at == self._slot:
            return self._target
        return self._rest()[at if at < self._slot else at - 1]

    def _rest(self) -> list[int]:
        # Step 3 of the deal, made once per deal and only when asked for.
        if self._others is None:
            (low, high), target = self._unfound, self._target
            self._others = [*range(low, target), *range(target + 1, high + 1)]
            fisher_yates(self._others, SplitMix64(self._draw))
        return self._others
