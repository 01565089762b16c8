"""The five-table series ("Test: 5 tables"): five boards of one size back to back, then ER, VR, PU.

Each table is an ordinary session carrying ``series`` {id, index} (CONTRACT, schema 2), so the
series is saved, synced and verified like any game; ``core.series_results`` reads it back. A table
that is not completed, or a series left for another game, is kept and reads as incomplete.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.dashboard import series_text
from app.dom import el
from app.i18n import t
from app.settings import Settings
from core import SERIES_LENGTH, Series, TrainingSession, series_results

Start = Callable[[Settings, Series], None]


class SeriesRun:
    """The series being played, if any, and the results screen's series panel."""

    def __init__(self, start: Start) -> None:
        self._start = start
        self.series: Series | None = None
        self.settings: Settings | None = None

    def begin(self) -> None:
        """Table 1 of a new series, on the board the settings hold now (no reshuffle: a test)."""
        self.settings = replace(Settings.current(), reshuffle=False)
        self.series = Series(str(uuid.uuid4()), 1)
        self._start(self.settings, self.series)

    def next_table(self) -> None:
        """The next table of the running series, on the same board."""
        if self.series is None or self.settings is None:
            return
        self.series = Series(self.series.id, self.series.index + 1)
        self._start(self.settings, self.series)

    def drop(self) -> None:
        """Another game started: the running series stays as it is (incomplete if unfinished)."""
        self.series = None

    def after(self, session: dict[str, Any], history: list[dict[str, Any]]) -> None:
        """Fill the results screen's series panel after a table (hidden for any other game)."""
        panel, next_button = el("series-panel"), el("series-next")
        series = session.get("series")
        panel.hidden = series is None or self.series is None or series["id"] != self.series.id
        next_button.hidden = True
        if series is None or panel.hidden:
            return
        index = int(series["index"])
        if session["status"] != "completed":
            self.series = None
            text = t("series.interrupted")
        elif index < SERIES_LENGTH:
            next_button.hidden = False
            text = t("series.table_done", index=index, total=SERIES_LENGTH)
        else:
            self.series = None
            tables = [
                TrainingSession.from_dict(s)
                for s in history
                if (s.get("series") or {}).get("id") == series["id"]
            ]
            (result,) = series_results(tables)
            text = ""
            el("series-result").innerHTML = f"<p>{series_text(result.to_dict())}</p>"
        el("series-status").textContent = text
        el("series-result").hidden = bool(text)  # both are live regions: screen readers hear them
