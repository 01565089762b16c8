"""core as a notebook user meets it: public names documented, stdlib only, a working demo."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

import core

CORE = pathlib.Path(core.__file__).parent


def test_every_public_name_imports_and_is_documented() -> None:
    for name in core.__all__:
        value = getattr(core, name)
        if callable(value):
            assert value.__doc__, f"core.{name} has no docstring"


def test_every_module_declares_its_exports_and_documents_itself() -> None:
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        if path.name not in {"__init__.py", "__main__.py"}:
            assert "__all__" in path.read_text(), f"{path.name} has no __all__"


def test_core_imports_nothing_outside_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"core", "__future__"}
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{path.name} imports {roots - allowed}"


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in the browser's Python")
def test_the_command_line_demo_plays_and_verifies_a_board() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "core", "--size", "6", "--seed", "7", "--mistakes", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "completed:" in result.stdout and "2 mistake(s)" in result.stdout and "verdict: ok" in result.stdout
    )
