"""The results screen: time, accuracy, mistakes, status, per-number splits, personal best."""

from __future__ import annotations

from typing import Any

from app.board_view import token_name
from app.dom import announce, el, esc, format_ms, format_percent, show
from app.i18n import t
from core import labels, split_times


def board_name(size: int, order: str, variant: str = "classic") -> str:
    """A board as players read it: ``5×5 ascending``, ``7×7 descending, Gorbov red-black``."""
    return t("board.name", size=size, order=str(order), variant=str(variant))


def board_short(size: int, variant: str = "classic") -> str:
    """A grid and its variant without the order: ``5×5``, ``7×7 Gorbov red-black``."""
    return t("board.short", size=size, variant=str(variant))


def status_text(status: str) -> str:
    """A session's status in words (``completed``, ``timeout``, ``abandoned``)."""
    return t(f"status.{status}")


def render(session: dict[str, Any], previous_best: float | None, saved: bool) -> None:
    """Show ``session`` (wire format); ``previous_best`` is the best time before it, if any."""
    size = session["grid_size"]
    variant = session.get("variant", "classic")
    time_ms = session["completion_time_ms"]
    status = status_text(session["status"])
    stats = [
        (t("results.time"), format_ms(time_ms)),
        (t("results.accuracy"), format_percent(session["accuracy"])),
        (t("results.mistakes"), str(session["mistakes"])),
        (t("results.status"), status),
        (t("results.board"), board_name(size, session["order_mode"], variant)),
    ]
    el("result-stats").innerHTML = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>{esc(value)}</td></tr>' for name, value in stats
    )
    banner = el("best-banner")
    is_best = time_ms is not None and (previous_best is None or time_ms < previous_best)
    banner.hidden = not is_best
    if is_best:
        board, time = board_short(size, variant), format_ms(time_ms)
        banner.textContent = (
            t("results.best_first", board=board, time=time)
            if previous_best is None
            else t("results.best", board=board, time=time, was=format_ms(previous_best))
        )
    if not saved:
        banner.hidden = False
        banner.textContent = t("results.not_saved")
    el("splits").innerHTML = splits_svg(session)
    show("results")
    el("results-title").focus()
    accuracy, mistakes = format_percent(session["accuracy"]), session["mistakes"]
    announce(
        t("results.spoken", status=status, accuracy=accuracy, mistakes=mistakes)
        if time_ms is None
        else t(
            "results.spoken_time",
            status=status,
            time=format_ms(time_ms),
            accuracy=accuracy,
            mistakes=mistakes,
        )
    )


def token_names(session: dict[str, Any]) -> list[str]:
    """Each token's name on this session's board (index 0 unused): ``"17"``, ``"C"``, ``"red 24"``."""
    return [token_name(label) for label in labels(session.get("variant", "classic"), session["grid_size"])]


def splits_svg(session: dict[str, Any]) -> str:
    """A bar per found token: the time it took to find it (``core.split_times``), named as on the board."""
    correct = [tap for tap in session["tap_events"] if tap["correct"]]
    if not correct:
        return f'<p class="muted">{esc(t("results.none_found"))}</p>'
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
            f"<title>{esc(t('results.split', name=name, time=format_ms(split)))}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">'
            f"{esc(name.split()[-1])}</text>"
        )
    slowest = max(range(len(splits)), key=splits.__getitem__)
    label = t(
        "results.splits_label",
        count=len(splits),
        slowest=names[correct[slowest]["tapped_value"]],
        time=format_ms(splits[slowest]),
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}">'
        f'<text x="{pad}" y="14">{esc(t("units.seconds_2", seconds=top / 1000))}</text>{"".join(bars)}</svg>'
    )
