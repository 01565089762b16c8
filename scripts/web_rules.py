"""Write ``core.rules`` as the JavaScript module the page imports (``js/rules.js``), at build time.

The settings screen, the size pickers and the sign-up form work before Python is up, so they cannot ask
``core``; this keeps ``core/rules.py`` their only source (sizes, the max-time range and its defaults,
orders, variants, the display-name limit) instead of a copy in the page.

usage: python3 scripts/web_rules.py OUT.js
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import rules  # the repository's core, whatever is installed


def render() -> str:
    """The module's text: one ``export const`` per value, in a stable order (reproducible builds)."""
    values = {
        "SIZES": list(rules.SIZES),
        "LETTER_SIZES": list(rules.LETTER_SIZES),
        "DEFAULT_SIZE": rules.DEFAULT_SIZE,
        "MAX_TIME_RANGE": list(rules.MAX_TIME_RANGE),
        "MAX_TIME_STEP": rules.MAX_TIME_STEP,
        "DEFAULT_MAX_TIME": rules.DEFAULT_MAX_TIME,
        "ORDERS": [order.value for order in rules.Order],
        "VARIANTS": [variant.value for variant in rules.Variant],
        "DISPLAY_NAME_MAX": rules.DISPLAY_NAME_MAX,
    }
    lines = [f"export const {name} = {json.dumps(value)};" for name, value in values.items()]
    return "// Generated from core/rules.py by scripts/web_rules.py at build time: edit core, not this.\n" + (
        "\n".join(lines) + "\n"
    )


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render(), encoding="utf-8")
