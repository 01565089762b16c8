"""Make the app's Python (``web/app``, package ``app`` in the browser) importable on CPython.

Only ``app`` is registered, not the ``web`` folder, so nothing else under ``web/`` (``web/js``) can pass
for a Python module.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "web" / "app"


def register_app() -> None:
    """Import ``web/app`` as the package ``app`` (once)."""
    if "app" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        "app", APP / "__init__.py", submodule_search_locations=[str(APP)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["app"] = module
    spec.loader.exec_module(module)
