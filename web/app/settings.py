"""The player's settings, as the plain-HTML settings form saved them (see ``web/js/boot.js``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the page

from core import MAX_TIME_RANGE, SIZES, Order


@dataclass(frozen=True, slots=True)
class Settings:
    """What a new game is played with."""

    grid_size: int
    """Cells per side."""
    max_time: int
    """Seconds, from the first correct tap."""
    order: Order
    """ASC or DESC."""
    hint: bool
    """Highlight the next cell."""
    dot: bool
    """Show the centre fixation dot."""

    @classmethod
    def current(cls) -> Settings:
        """Read the settings the form holds now, falling back to defaults on anything odd."""
        raw = json.loads(str(js.window.schulte.settings()))
        size = _int(raw.get("grid_size"), 5)
        low, high = MAX_TIME_RANGE
        return cls(
            grid_size=size if size in SIZES else SIZES[0],
            max_time=min(high, max(low, _int(raw.get("max_time"), 120))),
            order=Order.DESC if raw.get("order") == "DESC" else Order.ASC,
            hint=bool(raw.get("hint")),
            dot=bool(raw.get("dot")),
        )


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default
