"""SplitMix64: the small, fully specified generator behind every board.

Python's ``random.shuffle`` is not promised to give the same order across versions, and boards must be
identical in the browser (Pyodide, Python 3.14) and on the server (CPython 3.11+). SplitMix64
(Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the reference
code is Vigna's ``splitmix64.c``) is a few lines of 64-bit integer arithmetic, so any language can
reproduce it exactly from this file.
"""

from __future__ import annotations

__all__ = ["SplitMix64"]

_MASK64 = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplitMix64:
    """A 64-bit generator with a 64-bit state; ``next()`` returns integers in ``[0, 2**64)``."""

    __slots__ = ("state",)

    state: int
    """The current 64-bit state; advancing it by the golden gamma is the whole update step."""

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        self.state = seed & _MASK64

    def __repr__(self) -> str:
        return f"SplitMix64(state={self.state:#018x})"

    def next(self) -> int:
        """Advance the state and return the next 64-bit output."""
        self.state = z = (self.state + _GOLDEN_GAMMA) & _MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        return z ^ (z >> 31)

    def below(self, bound: int) -> int:
        """Return a uniform integer in ``[0, bound)``, without modulo bias.

        Lemire's multiply-shift ("Fast random integer generation in an interval", ACM TOMACS 2019):
        the high 64 bits of ``next() * bound`` are the result; the rare low parts below
        ``2**64 mod bound`` are redrawn so every result is exactly equally likely.
        """
        if bound <= 0:
            raise ValueError(f"bound must be positive, got {bound!r}")
        product = self.next() * bound
        if (product & _MASK64) < bound:
            threshold = (1 << 64) % bound
            while (product & _MASK64) < threshold:
                product = self.next() * bound
        return product >> 64
