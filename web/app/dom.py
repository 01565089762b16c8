"""Small DOM helpers shared by the views; screens and times go through the page's own (``window.schulte``)."""

from __future__ import annotations

import html
from typing import Any

import js
from pyodide.ffi import create_proxy

from app.i18n import t

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
    """Show one screen and mark its navigation button: the page's one router (web/js/screens.js)."""
    js.window.schulte.show(screen)


def announce(text: str) -> None:
    """Say ``text`` through the polite live region, once taps pause (``feedback.announce``)."""
    js.window.schulte.feedback.announce(text)


def esc(value: object) -> str:
    """HTML-escape any value for innerHTML templates."""
    return html.escape(str(value), quote=True)


def format_ms(ms: float | None) -> str:
    """A duration to the millisecond, e.g. ``23.456 s``; an em dash when unknown (web/js/format.js)."""
    return js.window.schulte.format.seconds(ms)


def format_clock(ms: float) -> str:
    """Remaining time as m:ss."""
    seconds = max(0, int(-(-ms // 1000)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_percent(value: float) -> str:
    """96.0 -> ``96%``, 97.96 -> ``97.96%`` (``97,96 %`` in Russian)."""
    return t("units.percent", value=value / 100)
