"""The results screen: time, accuracy, mistakes, status, per-number splits, personal best."""

from __future__ import annotations

from typing import Any

import js

from app.dom import announce, el, esc, format_ms, format_percent, show
from core import labels, split_times

STATUS_TEXT = {"completed": "Completed", "timeout": "Time out", "abandoned": "Abandoned"}


def board_name(size: int, order: str, variant: str = "classic") -> str:
    """A board as players read it: ``5×5 ascending``, ``7×7 descending, Gorbov red-black`` (format.js)."""
    return js.window.schulte.format.boardName(size, order, variant)


def variant_text(variant: str) -> str:
    """A variant as players read it: ``numbers``, ``letters``, ``Gorbov red-black`` (format.js)."""
    return js.window.schulte.format.variantText(variant)


def render(session: dict[str, Any], previous_best: float | None, saved: bool) -> None:
    """Show ``session`` (wire format); ``previous_best`` is the best time before it, if any."""
    size = session["grid_size"]
    variant = session.get("variant", "classic")
    time_ms = session["completion_time_ms"]
    status = STATUS_TEXT.get(session["status"], session["status"])
    stats = [
        ("Time", format_ms(time_ms)),
        ("Accuracy", format_percent(session["accuracy"])),
        ("Mistakes", str(session["mistakes"])),
        ("Status", status),
        ("Board", board_name(size, session["order_mode"], variant)),
    ]
    el("result-stats").innerHTML = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>{esc(value)}</td></tr>' for name, value in stats
    )
    banner = el("best-banner")
    is_best = time_ms is not None and (previous_best is None or time_ms < previous_best)
    banner.hidden = not is_best
    if is_best:
        was = "" if previous_best is None else f" (was {format_ms(previous_best)})"
        board = f"{size}×{size}" if variant == "classic" else f"{size}×{size} {variant_text(variant)}"
        banner.textContent = f"★ New personal best for {board}: {format_ms(time_ms)}{was}"
    if not saved:
        banner.hidden = False
        banner.textContent = "This session could not be saved yet; it will be retried on the next start."
    el("splits").innerHTML = splits_svg(session)
    show("results")
    el("results-title").focus()
    spoken = f"{status}. Time {format_ms(time_ms)}. " if time_ms is not None else f"{status}. "
    announce(f"{spoken}Accuracy {format_percent(session['accuracy'])}, {session['mistakes']} mistakes.")


def token_names(session: dict[str, Any]) -> list[str]:
    """Each token's name on this session's board (index 0 unused): ``"17"``, ``"C"``, ``"red 24"``."""
    return [
        f"{label.colour} {label.text}" if label.colour else label.text
        for label in labels(session.get("variant", "classic"), session["grid_size"])
    ]


def splits_svg(session: dict[str, Any]) -> str:
    """A bar per found token: the time it took to find it (``core.split_times``), named as on the board."""
    correct = [tap for tap in session["tap_events"] if tap["correct"]]
    if not correct:
        return '<p class="muted">No number was found.</p>'
    splits = split_times([tap["timestamp_ms"] for tap in correct])
    names = token_names(session)
    width, height, pad = 600, 180, 22
    step = (width - 2 * pad) / len(splits)
    top = max(splits) or 1.0
    slow = sorted(splits)[int(len(splits) * 0.9)] if len(splits) >= 10 else top
    bars = []
    for i, (tap, split) in enumerate(zip(correct, splits, strict=True)):
        h = (height - 2 * pad) * split / top
        x = pad + i * step
        y = height - pad - h
        cls = "bar-rect slow" if split >= slow and split > 0 else "bar-rect"
        name = names[tap["tapped_value"]]
        bars.append(
            f'<rect class="{cls}" x="{x + 1:.1f}" y="{y:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{h:.1f}">'
            f"<title>{esc(name)}: {split / 1000:.3f} s</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">'
            f"{esc(name.split()[-1])}</text>"
        )
    slowest = max(range(len(splits)), key=splits.__getitem__)
    label = (
        f"Time to find each of {len(splits)} numbers; slowest was {names[correct[slowest]['tapped_value']]} "
        f"at {splits[slowest] / 1000:.3f} s"
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">'
        f'<text x="{pad}" y="14">{top / 1000:.2f} s</text>{"".join(bars)}</svg>'
    )
