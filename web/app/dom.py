"""Small DOM helpers shared by the views."""

from __future__ import annotations

import html
from typing import Any

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the page
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]  # only exists in Pyodide

SCREENS = ("settings", "game", "results", "history", "account", "boards", "dashboard")

_listeners: list[Any] = []  # proxies stay alive as long as the page does


def el(element_id: str) -> Any:
    """The element with this id (it must exist)."""
    return js.document.getElementById(element_id)


def on(target: Any, event: str, handler: Any) -> None:
    """Listen for ``event`` on ``target`` for the life of the page."""
    proxy = create_proxy(handler)
    _listeners.append(proxy)
    target.addEventListener(event, proxy)


def show(screen: str) -> None:
    """Show one screen and mark the matching navigation button."""
    for name in SCREENS:
        el(f"screen-{name}").hidden = name != screen
    play, history = el("nav-play"), el("nav-history")
    el("nav-account").removeAttribute("aria-current")
    el("nav-boards").removeAttribute("aria-current")
    el("nav-dashboard").removeAttribute("aria-current")
    if screen == "dashboard":
        play.removeAttribute("aria-current")
        history.removeAttribute("aria-current")
        el("nav-dashboard").setAttribute("aria-current", "page")
        return
    if screen == "history":
        play.removeAttribute("aria-current")
        history.setAttribute("aria-current", "page")
    else:
        history.removeAttribute("aria-current")
        play.setAttribute("aria-current", "page")


def announce(text: str) -> None:
    """Say ``text`` through the polite live region."""
    el("live").textContent = text


def esc(value: object) -> str:
    """HTML-escape any value for innerHTML templates."""
    return html.escape(str(value), quote=True)


def format_ms(ms: float | None) -> str:
    """A duration to the millisecond, e.g. ``23.456 s``; an em dash when unknown."""
    return "—" if ms is None else f"{ms / 1000:.3f} s"


def format_clock(ms: float) -> str:
    """Remaining time as m:ss."""
    seconds = max(0, int(-(-ms // 1000)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_percent(value: float) -> str:
    """96.0 -> ``96%``, 97.96 -> ``97.96%``."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"
