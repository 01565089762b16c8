"""Player-facing text from the page's catalogs (web/i18n/), so Python never spells a string itself."""

from __future__ import annotations

import js
from pyodide.ffi import to_js


def t(message_id: str, **params: object) -> str:
    """The message ``message_id`` in the player's language, with ``params`` filled in."""
    return str(js.schulte.t(message_id, to_js(params, dict_converter=js.Object.fromEntries)))
