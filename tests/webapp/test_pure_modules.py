"""The app's page-free modules run on CPython: they never import Pyodide's ``js`` bridge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = ("app.archive", "app.checkpoint", "app.records")


def test_pure_modules_import_without_the_page() -> None:
    # A fresh interpreter, so that no other test's imports can hide a `js` import.
    code = (
        "import sys\n"
        "from tests.support.webapp import register_app\n"
        "register_app()\n"
        f"for name in {PURE!r}: __import__(name)\n"
        "print(sorted(name for name in sys.modules if name == 'js' or name.startswith('pyodide')))\n"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
