"""The player's settings, as the plain-HTML settings form saved them (see ``web/js/settings.js``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import js

from app.dom import el, on
from app.i18n import t
from core import DEFAULT_MAX_TIME, DEFAULT_SIZE, MAX_TIME_RANGE, SIZES, Order, Variant


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
    variant: Variant = Variant.CLASSIC
    """How tokens look (numbers, letters, Gorbov red-black)."""
    reshuffle: bool = False
    """Deal the unfound cells again after every correct tap (practice only)."""

    @classmethod
    def current(cls) -> Settings:
        """Read the settings the form holds now, falling back to defaults on anything odd."""
        raw = json.loads(str(js.window.schulte.settings()))
        size = _int(raw.get("grid_size"), DEFAULT_SIZE)
        size = size if size in SIZES else DEFAULT_SIZE
        low, high = MAX_TIME_RANGE
        variant = next((v for v in Variant if v.value == raw.get("variant")), Variant.CLASSIC)
        return cls(
            grid_size=size,
            max_time=min(high, max(low, _int(raw.get("max_time"), DEFAULT_MAX_TIME))),
            order=Order.DESC if raw.get("order") == "DESC" else Order.ASC,
            hint=bool(raw.get("hint")),
            dot=bool(raw.get("dot")),
            variant=variant if size in variant.sizes else Variant.CLASSIC,
            reshuffle=bool(raw.get("reshuffle")),
        )


def fit_sizes(_event: Any = None) -> None:
    """Offer only the grid sizes the chosen variant has (``Variant.sizes``: letters stop at 5×5).

    Choosing letters on a larger grid moves the grid to the largest size letters allow and says so;
    the form's own ``input`` event then saves the adjusted settings like any other change.
    """
    form = el("settings-form")
    checked = form.querySelector("input[name=variant]:checked")
    variant = next((v for v in Variant if checked is not None and v.value == checked.value), Variant.CLASSIC)
    note = el("size-note")
    note.textContent = ""
    for radio in form.querySelectorAll("input[name=grid_size]"):
        allowed = int(radio.value) in variant.sizes
        radio.disabled = not allowed
        if radio.checked and not allowed:
            largest = variant.sizes[-1]
            form.querySelector(f"input[name=grid_size][value='{largest}']").checked = True
            note.textContent = t("settings.letters_moved", size=largest)
            form.dispatchEvent(js.Event.new("input"))
    if variant is Variant.LETTERS and not note.textContent:
        last = variant.sizes[-1]
        note.textContent = t("settings.letters_sizes", low=variant.sizes[0], high=last)


def listen() -> None:
    """Keep the grid sizes in step with the variant, now and on every change of the form."""
    on(el("settings-form"), "change", fit_sizes)
    on(js.window, "schulte:language", fit_sizes)  # the note, in the new language
    fit_sizes()


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default
