"""SVG charts drawn from ``core``'s figures: lines, bars and heatmaps as markup strings.

Colours are CSS classes over the theme's variables (``web/css/app.css``, ``/* dashboard */``), so a
chart reads in the light and the dark theme alike; lines also differ by dash, never by colour alone.
Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that says in words what it shows,
and each mark carries its own ``<title>`` for pointer users.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from app.dom import esc

WIDTH, HEIGHT, PAD = 600, 220, 40
Point = tuple[float, float]
_ids = itertools.count(1)


def _frame(title: str, desc: str, body: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    number = next(_ids)
    return (
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-t{number} chart-d{number}">'
        f'<title id="chart-t{number}">{esc(title)}</title><desc id="chart-d{number}">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def _tick(x: float, y: float, text: str, *, end: bool = False) -> str:
    anchor = ' text-anchor="end"' if end else ""
    return f'<text class="tick" x="{x:g}" y="{y:g}"{anchor}>{esc(text)}</text>'


def lines(
    title: str,
    desc: str,
    series: Sequence[tuple[str, str, Sequence[Point]]],
    y_text: Callable[[float], str],
    x_text: Callable[[float], str] = lambda x: f"{x:g}",
) -> str:
    """One polyline per ``(name, css class, points)``, on shared axes starting at zero."""
    points = [point for _name, _cls, line in series for point in line]
    if not points:
        return ""
    low_x, high_x = min(x for x, _ in points), max(x for x, _ in points)
    top = max(y for _, y in points) or 1.0
    span = (high_x - low_x) or 1.0

    def xy(x: float, y: float) -> tuple[float, float]:
        return PAD + (WIDTH - 2 * PAD) * (x - low_x) / span, HEIGHT - PAD - (HEIGHT - 2 * PAD) * y / top

    parts = [
        f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"/>',
        _tick(4, PAD - 6, y_text(top)),
        _tick(4, HEIGHT - PAD, y_text(0)),
        _tick(PAD, HEIGHT - 12, x_text(low_x)),
        _tick(WIDTH - PAD, HEIGHT - 12, x_text(high_x), end=True),
    ]
    legend_x = PAD
    for name, css, line in series:
        if not line:
            continue
        path = " ".join("{:.1f},{:.1f}".format(*xy(x, y)) for x, y in line)
        parts.append(f'<polyline class="line {css}" points="{path}"><title>{esc(name)}</title></polyline>')
        if len(line) <= 60:  # dots only where they stay apart
            for x, y in line:
                cx, cy = xy(x, y)
                parts.append(
                    f'<circle class="dot {css}" cx="{cx:.1f}" cy="{cy:.1f}" r="3">'
                    f"<title>{esc(name)}: {esc(x_text(x))}, {esc(y_text(y))}</title></circle>"
                )
        parts.append(
            f'<line class="line {css}" x1="{legend_x}" y1="14" x2="{legend_x + 18}" y2="14"/>'
            f'<text class="tick" x="{legend_x + 22}" y="18">{esc(name)}</text>'
        )
        legend_x += 30 + 8 * len(name)
    return _frame(title, desc, "".join(parts))


def bars(title: str, desc: str, values: Sequence[tuple[str, float]], y_text: Callable[[float], str]) -> str:
    """One bar per ``(label, value)``, labels under the first and the last bar."""
    if not values:
        return ""
    top = max(value for _, value in values) or 1.0
    step = (WIDTH - 2 * PAD) / len(values)
    parts = [f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"/>']
    for number, (label, value) in enumerate(values):
        height = (HEIGHT - 2 * PAD) * value / top
        parts.append(
            f'<rect class="col" x="{PAD + number * step + step * 0.1:.1f}" y="{HEIGHT - PAD - height:.1f}" '
            f'width="{step * 0.8:.1f}" height="{height:.1f}">'
            f"<title>{esc(label)}: {esc(y_text(value))}</title></rect>"
        )
    parts.append(_tick(4, PAD - 6, y_text(top)))
    parts.append(_tick(PAD, HEIGHT - 12, values[0][0]))
    parts.append(_tick(WIDTH - PAD, HEIGHT - 12, values[-1][0], end=True))
    return _frame(title, desc, "".join(parts))


def heatmap(
    title: str,
    desc: str,
    rows: Sequence[Sequence[float | None]],
    cell_title: Callable[[int, int, float | None], str],
    label: Callable[[int, int, float | None], str] = lambda _r, _c, _v: "",
    row_names: Sequence[str] = (),
    column_names: Sequence[str] = (),
) -> str:
    """A grid of squares, darker for larger values (empty: no data), with a label in each square."""
    values = [value for row in rows for value in row if value is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    columns = max(len(row) for row in rows)
    left = 44 if row_names else 4
    top_pad = 18 if column_names else 4
    size = min(60.0, (WIDTH - left - 4) / columns)
    width, height = int(left + size * columns + 4), int(top_pad + size * len(rows) + 4)
    parts = []
    for r, name in enumerate(row_names):
        parts.append(
            f'<text class="tick" x="2" y="{top_pad + size * r + size * 0.65:.1f}">{esc(name)}</text>'
        )
    for c, name in enumerate(column_names):
        if name:
            parts.append(f'<text class="tick" x="{left + size * c:.1f}" y="12">{esc(name)}</text>')
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            strength = 0.0 if value is None else 0.12 + 0.88 * ((value - low) / ((high - low) or 1.0))
            x, y = left + size * c, top_pad + size * r
            parts.append(
                f'<rect class="heat{"" if value is not None else " empty"}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{size - 2:.1f}" height="{size - 2:.1f}" fill-opacity="{strength:.2f}">'
                f"<title>{esc(cell_title(r, c, value))}</title></rect>"
            )
            text = label(r, c, value)
            if text and size >= 24:
                parts.append(
                    f'<text class="heat-label" x="{x + size / 2 - 1:.1f}" y="{y + size / 2 + 4:.1f}" '
                    f'text-anchor="middle">{esc(text)}</text>'
                )
    return _frame(title, desc, "".join(parts), width, height)
