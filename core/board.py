"""Seeded Schulte boards: the same ``(size, seed)`` gives the same board everywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.rng import SplitMix64
from core.rules import MAX_SEED, SIZES, Order

__all__ = ["EASY_SCATTER", "Board", "fisher_yates"]

EASY_SCATTER = 0.32
"""Boards whose scatter is below this are "abnormally easy".

A shuffled board's scatter averages 0.52–0.55 at every size, with a standard deviation from 0.058
(3×3) down to 0.021 (10×10), measured on 100,000 seeds of each size by
``scripts/scatter_distribution.py``; the lowest seen was 0.333 (3×3) to 0.434 (10×10). 0.32 is more
than 3.9 standard deviations below the mean at every size, so a fair seed is practically never
flagged (and the server never issues one), while a board laid out in reading order (0.304 on 5×5,
0.173 on 10×10) or as a snake (0.20 on 5×5) is. On 3×3 no layout can go below 1/3 (every step is at
least one cell), so the check never fires there, and on 4×4 only snake-like layouts do.
"""

_TWO_64 = 1 << 64
# Fisher-Yates needs one uniform index j_i in [0, i] for each i from N²-1 down to 1. Several
# consecutive indices are the mixed-radix digits of one uniform draw in [0, b_1 * b_2 * ... * b_k);
# the digits of a uniform value are independent and uniform. Grouping bounds so that their product
# stays below 2**56 lets one 64-bit output serve ~12 swaps, rejection-sampled so there is no bias
# (a redraw happens with probability below 2**-8). This is 6x faster than one output per swap.
_RADIX_LIMIT = 1 << 56


def _plan(cells: int) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    chunks: list[tuple[int, int, tuple[int, ...]]] = []
    bounds: list[int] = []
    product = 1
    for bound in range(cells, 1, -1):
        if product * bound > _RADIX_LIMIT:
            chunks.append((product, _TWO_64 - _TWO_64 % product, tuple(bounds)))
            bounds, product = [], 1
        bounds.append(bound)
        product *= bound
    chunks.append((product, _TWO_64 - _TWO_64 % product, tuple(bounds)))
    return tuple(chunks)


_PLANS = {length: _plan(length) for length in range(1, max(SIZES) ** 2 + 1)}


def fisher_yates(items: list[int], rng: SplitMix64) -> None:
    """Shuffle ``items`` in place: Durstenfeld's Fisher-Yates, its indices drawn from ``rng`` as above.

    Boards and reshuffles (``core.reshuffle``) both shuffle with this one function, so a replay of
    either is this function on the same generator. Fewer than two items draw nothing.
    """
    if len(items) < 2:
        return
    i = len(items) - 1
    for product, limit, bounds in _PLANS[len(items)]:
        draw = rng.next()
        while draw >= limit:
            draw = rng.next()
        draw %= product
        for bound in bounds:
            draw, j = divmod(draw, bound)
            items[i], items[j] = items[j], items[i]
            i -= 1


def _shuffle(size: int, seed: int) -> tuple[tuple[int, ...], SplitMix64]:
    """The tokens 1…size² shuffled by ``SplitMix64(seed)``, and that generator."""
    rng = SplitMix64(seed)
    cells = list(range(1, size * size + 1))
    fisher_yates(cells, rng)
    return tuple(cells), rng


@dataclass(frozen=True, slots=True)
class Board:
    """A shuffled Schulte table: the tokens 1…size² in row-major order.

    A token is what the player seeks; a variant (``core.label``) decides what it shows.
    """

    size: int
    """Cells per side: 3 to 10."""
    seed: int
    """The seed that reproduces this board on any machine (0 <= seed < 2**53)."""
    cells: tuple[int, ...]
    """Tokens in row-major order; ``cells[i]`` is the token in cell ``i``."""
    _index: tuple[int, ...] | None = field(init=False, repr=False, compare=False)
    _stream_state: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_size(self.size)
        _check_seed(self.seed)
        if sorted(self.cells) != list(range(1, self.size * self.size + 1)):
            raise ValueError(f"cells must be a permutation of 1..{self.size * self.size}")
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_stream_state", None)

    @classmethod
    def generate(cls, size: int, seed: int) -> Board:
        """Build the board for ``(size, seed)``; the same pair gives the same board everywhere.

        >>> Board.generate(5, 0).cells[:5]
        (7, 24, 18, 13, 8)
        """
        _check_size(size)
        _check_seed(seed)
        cells, rng = _shuffle(size, seed)
        # A shuffle is a permutation by construction: skip __post_init__'s check, it would double the cost.
        board = object.__new__(cls)
        fields = (
            ("size", size),
            ("seed", seed),
            ("cells", cells),
            ("_index", None),
            ("_stream_state", rng.state),
        )
        for name, value in fields:
            object.__setattr__(board, name, value)
        return board

    def stream(self) -> SplitMix64:
        """The board's own generator, advanced past the draws that dealt it: what reshuffles draw from.

        Continuing one stream (rather than seeding a second one) keeps a board and its reshuffles a
        single, documented sequence that any replay reproduces from the seed alone. A generated board
        remembers where its stream stood (SplitMix64's state is all of it), so asking costs no reshuffle.
        """
        if self._stream_state is None:  # a hand-made board: deal its seed again to find the place
            return _shuffle(self.size, self.seed)[1]
        return SplitMix64(self._stream_state)

    @property
    def cell_count(self) -> int:
        """How many cells the board has (size²)."""
        return self.size * self.size

    def value_at(self, cell_index: int) -> int:
        """The number shown in a cell (row-major index)."""
        if isinstance(cell_index, bool) or not isinstance(cell_index, int):
            raise TypeError(f"cell_index must be an int, got {type(cell_index).__name__}")
        if not 0 <= cell_index < self.cell_count:
            raise ValueError(f"cell_index must be in 0..{self.cell_count - 1}, got {cell_index!r}")
        return self.cells[cell_index]

    def index_of(self, number: int) -> int:
        """The row-major index of the cell showing ``number``."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"number must be an int, got {type(number).__name__}")
        if not 1 <= number <= self.cell_count:
            raise ValueError(f"number must be in 1..{self.cell_count}, got {number!r}")
        return self._lookup()[number]

    def sequence(self, order: Order | str = Order.ASC) -> tuple[int, ...]:
        """The numbers in the order they must be found."""
        numbers = range(1, self.cell_count + 1)
        return tuple(numbers) if Order(order) is Order.ASC else tuple(reversed(numbers))

    @property
    def scatter(self) -> float:
        """Mean distance between the cells of consecutive numbers, in board widths.

        The eye travels this path during a game; a short path means an easy board. It is the same for
        both orders (the path is walked backwards). About 0.52 for a shuffled board; see
        ``EASY_SCATTER``.
        """
        size, index = self.size, self._lookup()
        total = 0.0
        for number in range(1, self.cell_count):
            a, b = index[number], index[number + 1]
            total += math.hypot(a // size - b // size, a % size - b % size)
        return total / (self.cell_count - 1) / size

    @property
    def is_easy(self) -> bool:
        """True when the layout is abnormally easy (``scatter < EASY_SCATTER``)."""
        return self.scatter < EASY_SCATTER

    def _lookup(self) -> tuple[int, ...]:
        # Built on first use: generating a board for a ticket or for the screen does not need it.
        index = self._index
        if index is None:
            index = _positions(self.cells)
            object.__setattr__(self, "_index", index)
        return index

    def rows(self) -> list[list[int]]:
        """The board as a list of rows, for printing."""
        return [list(self.cells[r * self.size : (r + 1) * self.size]) for r in range(self.size)]


def _positions(cells: tuple[int, ...]) -> tuple[int, ...]:
    index = [0] * (len(cells) + 1)
    for position, number in enumerate(cells):
        index[number] = position
    return tuple(index)


def _check_size(size: object) -> None:
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError(f"grid size must be an int, got {type(size).__name__}")
    if size not in SIZES:
        raise ValueError(f"grid size must be {SIZES[0]} … {SIZES[-1]}, got {size!r}")


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < MAX_SEED:
        raise ValueError(f"seed must be in 0..2**53-1, got {seed!r}")
