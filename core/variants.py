"""Variants are labels over tokens: what a cell shows, never what the game asks for.

Every variant plays the same permutation of tokens 1…N² in the same order, so boards, rules, replay
and scores stay one set of code; only the face of a token changes (``CONTRACT.md``, "Version 2").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.rules import Variant, parse_choice

__all__ = ["Label", "check_variant_size", "label", "labels"]

Colour = Literal["black", "red"]


@dataclass(frozen=True, slots=True)
class Label:
    """What one token shows on the board."""

    text: str
    """The characters in the cell: ``"24"``, ``"C"``."""
    colour: Colour | None = None
    """``"black"`` or ``"red"`` in the Gorbov table, ``None`` elsewhere."""


def check_variant_size(variant: Variant | str, grid_size: int) -> Variant:
    """The variant, checked against the grid size; a ``ValueError`` names both when they do not fit."""
    chosen = parse_choice(Variant, variant, "variant")
    if isinstance(grid_size, bool) or not isinstance(grid_size, int):
        raise TypeError(f"grid size must be an int, got {type(grid_size).__name__}")
    if grid_size not in chosen.sizes:
        raise ValueError(f"the {chosen.value} variant needs a grid size in {chosen.sizes}, got {grid_size!r}")
    return chosen


def label(variant: Variant | str, grid_size: int, token: int) -> Label:
    """The label of ``token`` (1…N²) on a ``grid_size`` board of ``variant``.

    Gorbov: token 2k−1 is black k and token 2k is red ⌊N²/2⌋+1−k, so finding tokens in order
    alternates black ascending with red descending.

    >>> label("classic", 5, 17)
    Label(text='17', colour=None)
    >>> label("letters", 4, 3)
    Label(text='C', colour=None)
    >>> [label("gorbov", 7, t) for t in (1, 2, 48, 49)]  # doctest: +NORMALIZE_WHITESPACE
    [Label(text='1', colour='black'), Label(text='24', colour='red'),
     Label(text='1', colour='red'), Label(text='25', colour='black')]
    """
    chosen = check_variant_size(variant, grid_size)
    cells = grid_size * grid_size
    if isinstance(token, bool) or not isinstance(token, int):
        raise TypeError(f"token must be an int, got {type(token).__name__}")
    if not 1 <= token <= cells:
        raise ValueError(f"token must be in 1..{cells} on a {grid_size}x{grid_size} board, got {token!r}")
    return _label(chosen, cells, token)


def labels(variant: Variant | str, grid_size: int) -> tuple[Label, ...]:
    """Every token's label, indexed by token (index 0 is unused), for painting a whole board at once."""
    chosen = check_variant_size(variant, grid_size)
    cells = grid_size * grid_size
    return (Label(""), *(_label(chosen, cells, token) for token in range(1, cells + 1)))


def _label(variant: Variant, cells: int, token: int) -> Label:
    if variant is Variant.LETTERS:
        return Label(chr(ord("A") + token - 1))
    if variant is Variant.GORBOV:
        half, odd = divmod(token, 2)
        if odd:
            return Label(str(half + 1), "black")
        return Label(str(cells // 2 + 1 - half), "red")
    return Label(str(token))
