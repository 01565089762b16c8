"""``docs/analysis.ipynb`` runs against an exported history and reproduces the dashboard's figures."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import core
from tests.core.players import at, human_session

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "analysis.ipynb"


def test_the_notebook_reproduces_the_dashboard_from_an_exported_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 11, 30, 18, tzinfo=UTC)
    sessions = [
        at(human_session(seed=n + 1, player=n, size=5 + n % 2), now - timedelta(hours=7 * n))
        for n in range(60)
    ]
    history = tmp_path / "history.json"
    history.write_text(json.dumps({"kind": "schulte-history", "sessions": [s.to_dict() for s in sessions]}))
    monkeypatch.setenv("SCHULTE_HISTORY", str(history))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(NOTEBOOK.parents[1]), os.environ.get("PYTHONPATH", "")])
    )

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()

    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    expected = core.dashboard(sessions)
    board = expected.boards[0]
    assert json.loads(printed) == {
        "games": 60,
        "board": board.key,
        "best_ms": board.best_ms,
        "longest_streak": expected.streak.longest,
        "weeks": len(expected.weeks),
        "series": 0,
    }
    images = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) == 4  # time trend, practice/errors/consistency, heatmaps, weekday x hour and weeks
