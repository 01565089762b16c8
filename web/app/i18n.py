"""Player-facing text from the page's catalogs (web/i18n/), so Python never spells a string itself."""

from __future__ import annotations

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the page
from pyodide.ffi import to_js  # type: ignore[import-not-found]  # only exists in Pyodide


def t(message_id: str, **params: object) -> str:
    """The message ``message_id`` in the player's language, with ``params`` filled in."""
    return str(js.schulte.t(message_id, to_js(params, dict_converter=js.Object.fromEntries)))
