"""History export and import files (``app.archive``): what an export writes comes back whole, and an
import takes every session or none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.archive import EXPORT_KIND, ArchiveError, export_filename, export_text, parse_import
from core import Board, Game

NOW = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


def finished(size: int = 5, variant: str = "classic", seed: int = 7) -> dict[str, Any]:
    """A completed game in the wire format, played through ``core`` at 300 ms a number."""
    board = Board.generate(size, seed)
    game = Game(board, "ASC", 120, variant=variant)
    for step in range(board.cell_count):
        next_cell = game.next_cell
        assert next_cell is not None
        game.tap(next_cell, 1000.0 + 300.0 * step)
    return game.to_session().to_dict()


def test_an_export_imports_back_to_the_same_sessions() -> None:
    sessions = [finished(), finished(4, "letters", 8), finished(7, "gorbov", 9)]
    text = export_text(sessions, NOW)
    document = json.loads(text)
    assert document["kind"] == EXPORT_KIND
    assert document["exported_at"] == "2026-12-01T18:30:00Z"
    assert parse_import(text) == sessions


def test_the_export_file_is_named_after_its_day() -> None:
    assert export_filename(NOW) == "schulte-history-2026-12-01.json"


def test_a_bare_list_of_sessions_imports_too() -> None:
    session = finished()
    assert parse_import(json.dumps([session])) == [session]


def test_a_file_that_is_not_json_is_rejected() -> None:
    with pytest.raises(ArchiveError) as rejected:
        parse_import("{not json")
    assert rejected.value.code == "not_json"
    assert rejected.value.detail


@pytest.mark.parametrize("text", ['{"kind": "schulte-history"}', '"sessions"', '{"sessions": {}}'])
def test_a_file_without_a_list_of_sessions_is_rejected(text: str) -> None:
    with pytest.raises(ArchiveError) as rejected:
        parse_import(text)
    assert rejected.value.code == "not_history"


def test_one_malformed_session_rejects_the_file_and_names_it() -> None:
    bad = finished()
    bad["mistakes"] = -1
    with pytest.raises(ArchiveError) as rejected:
        parse_import(export_text([finished(), bad, finished()], NOW))
    assert (rejected.value.code, rejected.value.number) == ("malformed", 2)
    assert "mistakes" in rejected.value.detail


def test_letters_on_a_board_larger_than_the_alphabet_are_rejected() -> None:
    session = finished(7)
    session["variant"] = "letters"
    with pytest.raises(ArchiveError) as rejected:
        parse_import(json.dumps([session]))
    assert (rejected.value.code, rejected.value.number) == ("malformed", 1)
