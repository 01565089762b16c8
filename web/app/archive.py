"""History files: the JSON document an export writes, and the checks an import makes before storing.

Kept apart from the history screen so that it runs (and is tested) on CPython too: an import either
yields every session, each validated by ``core.TrainingSession.from_dict``, or says why none is taken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core import TrainingSession
from core.variants import check_variant_size

__all__ = ["EXPORT_KIND", "ArchiveError", "export_filename", "export_text", "parse_import"]

EXPORT_KIND = "schulte-history"
"""The ``kind`` of an export document."""


@dataclass
class ArchiveError(Exception):  # not frozen: raising sets its traceback
    """An import file nothing is taken from, with the reason as a code and its parameters."""

    code: str
    """``not_json``, ``not_history`` or ``malformed``."""
    number: int = 0
    """For ``malformed``: the first bad session, counting from 1."""
    detail: str = ""
    """What the parser or ``core`` said."""


def export_text(sessions: list[dict[str, Any]], now: datetime) -> str:
    """The export document for ``sessions`` (wire format), made at ``now`` (UTC)."""
    document = {
        "kind": EXPORT_KIND,
        "schema_version": 1,
        "exported_at": now.isoformat().replace("+00:00", "Z"),
        "sessions": sessions,
    }
    return json.dumps(document, indent=1)


def export_filename(now: datetime) -> str:
    """``schulte-history-2026-12-01.json``."""
    return f"schulte-history-{now:%Y-%m-%d}.json"


def parse_import(text: str) -> list[dict[str, Any]]:
    """Every session of an export (or a bare list of sessions), re-encoded by ``core``.

    Raises ``ArchiveError`` for a file nothing can be taken from.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ArchiveError("not_json", detail=str(error)) from None
    items = data.get("sessions") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ArchiveError("not_history")
    sessions = []
    for number, item in enumerate(items, 1):
        try:
            session = TrainingSession.from_dict(item)
            check_variant_size(session.variant, session.grid_size)  # letters on 7×7 cannot be shown
            sessions.append(session.to_dict())
        except (ValueError, TypeError) as error:
            raise ArchiveError("malformed", number, str(error)) from None
    return sessions
