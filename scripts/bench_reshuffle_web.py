"""Speed of a tap on a reshuffled 10×10 board in the app, next to a tap on a plain 10×10 board.

usage: npm run build && python3 scripts/bench_reshuffle_web.py [--games N]

Both columns are whole 10×10 games played with the pointer in the built app (Debian's Chromium),
alternating reshuffled and plain games in one page so that load from elsewhere on the machine hits
them alike. Two figures per tap:

- handler: from the start of the ``pointerdown`` dispatch (a capturing listener on the document) to
  its end (a listener on the window, which runs after the board's own): the Python work of a tap,
  ``core.Game.tap`` and the reshuffle's deal included, plus painting the changed cells;
- tap -> painted: from the event's time stamp to the next animation frame (as ``bench_web.py``).

Prints medians and p90s and the ratio reshuffled / plain. The machine is shared: read ratios, not
absolute numbers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, open_app  # noqa: E402  # after the sys.path line
from tests.web.static_server import serve_app  # noqa: E402  # after the sys.path line

SIZE = 10
PROBE = """
window.__handler = []; window.__painted = [];
let started = 0;
document.addEventListener("pointerdown", () => { started = performance.now(); }, { capture: true });
addEventListener("pointerdown", (event) => {
  if (!event.target.closest || !event.target.closest("#board [data-i]")) return;
  window.__handler.push(performance.now() - started);
  const t0 = event.timeStamp;
  requestAnimationFrame(() => window.__painted.push(performance.now() - t0));
});
"""


def play(page: Page, reshuffle: bool) -> tuple[list[float], list[float]]:
    """One whole 10×10 game; the handler and tap -> painted times of its taps."""
    page.get_by_role("radio", name=f"{SIZE}×{SIZE}", exact=True).check()
    page.get_by_label("Reshuffle").set_checked(reshuffle)
    page.evaluate("window.__handler = []; window.__painted = []")
    page.get_by_role("button", name="Start").click()
    board = page.get_by_role("group", name="Board")
    for number in range(1, SIZE * SIZE + 1):
        board.get_by_role("button", name=str(number), exact=True).click()
        page.wait_for_function(f"window.__painted.length >= {number}")
    page.get_by_role("heading", name="Results").wait_for()
    page.get_by_role("button", name="Settings").click()
    return list(page.evaluate("window.__handler")), list(page.evaluate("window.__painted"))


def p90(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.9)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=3, help="games per column (default 3)")
    args = parser.parse_args()
    columns: dict[str, tuple[list[float], list[float]]] = {"plain": ([], []), "reshuffled": ([], [])}
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        context.add_init_script(PROBE)
        page = context.new_page()
        open_app(page, url)
        play(page, False)  # warm-up, not counted
        for _ in range(args.games):
            for name in columns:
                handler, painted = play(page, name == "reshuffled")
                columns[name][0].extend(handler)
                columns[name][1].extend(painted)
        browser.close()
    print(f"10×10 taps in the app, {args.games} games per column (shared machine: read the ratios)")
    for index, figure in enumerate(("handler", "tap -> painted")):
        plain, shuffled = columns["plain"][index], columns["reshuffled"][index]
        for stat, fn in (("median", statistics.median), ("p90", p90)):
            a, b = fn(plain), fn(shuffled)
            print(f"  {figure} {stat}: plain {a:.2f} ms, reshuffled {b:.2f} ms, ratio {b / a:.2f}x")


if __name__ == "__main__":
    main()
