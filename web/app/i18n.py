"""Player-facing text from the page's catalogs (web/i18n/), so Python never spells a string itself.

The catalogs, the player's language and ``Intl`` live in ``web/js/i18n.js``; Python hands it message
ids and parameters, so both sides read the same ICU messages and format numbers and dates alike.
"""

from __future__ import annotations

import js
from pyodide.ffi import to_js


def t(message_id: str, **params: object) -> str:
    """The message ``message_id`` in the player's language, with ``params`` filled in."""
    return str(js.schulte.t(message_id, to_js(params, dict_converter=js.Object.fromEntries)))


def date_time(iso: str) -> str:
    """A moment (ISO 8601) as the player's local date and time, in their language."""
    return str(js.schulte.formatDate(iso))


def day(iso_day: str) -> str:
    """A calendar day (``2026-12-01``) as the player's language writes it."""
    return str(js.schulte.formatDay(iso_day))


def reason(code: str) -> str:
    """A verdict reason code in words (the server's English message is never shown)."""
    return str(js.schulte.reasonText(code))
