"""Speed of the core: board generation, verify, and the dashboard, each against an in-run baseline.

Prints medians of several runs, all measured in this one process. Each ratio is taken pair by pair
(each run right after its baseline's run), so a machine whose load changes during the benchmark
still gives a fair ratio. Targets: >= 50,000 7×7 boards/s on one core (issue 3); verify <= 3x
json.loads, for a 7×7 game (issue 3) and a reshuffled 10×10 game (issue 11); the dashboard's
figures for 5,000 sessions within 150 ms in the browser (issue 12: run ``node
scripts/bench_pyodide.mjs``, which runs ``--only dashboard`` of this script under Pyodide).

usage: python scripts/bench_core.py [--only boards|verify|dashboard|coach]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import timeit
from collections.abc import Callable

from core import Board, Configuration, DateRange, Order, Variant, dashboard, fit_difficulties, suggest, verify
from core.coach import DEFAULT_MODEL
from tests.core.players import human_dict, long_history

RUNS = 9
HISTORY = 5_000


def seconds_per_call(function: Callable[[], object], number: int) -> float:
    """Seconds per call of one run of ``number`` calls."""
    return timeit.timeit(function, number=number) / number


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    print(f"Python {sys.version.split()[0]} on {sys.platform}, median of runs")
    parts = {"boards": boards, "verify": verifies, "dashboard": dashboards, "coach": coach}
    for name, part in parts.items():
        if only in (None, name):
            part()


def boards() -> None:
    """Board generation against random.shuffle of as many numbers."""
    seeds = iter(range(10**9))
    stdlib = random.Random(1)  # baseline only: random.shuffle is not reproducible across versions
    for size in (7, 10):
        numbers = list(range(1, size * size + 1))
        board_pairs = [
            (
                seconds_per_call(lambda: stdlib.shuffle(numbers), 20_000),  # noqa: B023 -- timed at once
                seconds_per_call(lambda: Board.generate(size, next(seeds)), 20_000),  # noqa: B023
            )
            for _ in range(RUNS)
        ]
        board = statistics.median(pair[1] for pair in board_pairs)
        versus = statistics.median(pair[1] / pair[0] for pair in board_pairs)
        print(f"board generation {size}x{size}: {1 / board:,.0f} boards/s ({board * 1e6:.1f} us each)")
        print(f"  = {versus:.2f}x the time of random.shuffle of {size * size} numbers (baseline)")


def verifies() -> None:
    """Verify against json.loads of the same payload."""
    verify_against_loads("a 7x7 game", human_dict(size=7, mistakes=4, player=7))
    verify_against_loads("a reshuffled 10x10 game", human_dict(size=10, mistakes=4, player=7, reshuffle=True))


def verify_against_loads(name: str, wire: dict[str, object]) -> None:
    """Print verify's time next to json.loads of the same payload, and their ratio."""
    payload = json.dumps(wire)
    session = json.loads(payload)
    if not verify(session).ok:
        raise SystemExit("the benchmark session does not verify: fix the core before timing it")
    pairs = [
        (
            seconds_per_call(lambda: json.loads(payload), 2_000),
            seconds_per_call(lambda: verify(session), 1_000),
        )
        for _ in range(RUNS)
    ]
    loads = statistics.median(pair[0] for pair in pairs)
    check = statistics.median(pair[1] for pair in pairs)
    ratio = statistics.median(pair[1] / pair[0] for pair in pairs)
    taps = len(session["tap_events"])
    print(f"\n{name}: {len(payload):,} bytes, {taps} taps (4 mistakes)")
    print(f"json.loads: {loads * 1e6:.1f} us")
    print(f"verify:     {check * 1e6:.1f} us")
    print(f"verify / json.loads: {ratio:.2f}x (median of per-run ratios; target <= 3x)")


def dashboards() -> None:
    """The dashboard's figures for a long history against json.loads of that history."""
    started = time.perf_counter()
    history = long_history(HISTORY)
    print(f"\ndashboard of {HISTORY:,} sessions (history made in {time.perf_counter() - started:.1f} s)")
    payload = json.dumps([session.to_dict() for session in history])
    ids = {session.id for session in history}  # as the app keeps the server's verdicts by id
    last_30_days = DateRange.last_days(30, history[-1].started_at)
    first = seconds_per_call(lambda: dashboard(history), 1)  # replays the games that set a best
    runs = 9
    rows = [
        (
            seconds_per_call(lambda: json.loads(payload), 1),
            seconds_per_call(lambda: dashboard(history), 1),
            seconds_per_call(lambda: dashboard(history, verified=lambda s: s.id in ids), 1),
            seconds_per_call(lambda: dashboard(history, last_30_days), 1),
        )
        for _ in range(runs)
    ]
    ratio = statistics.median(row[1] / row[0] for row in rows)
    names = [
        f"json.loads of the history ({len(payload) / 1e6:.1f} MB, baseline)",
        f"dashboard, full range (= {ratio:.2f}x json.loads)",
        "dashboard, with the server's verdicts",
        "dashboard, last 30 days",
    ]
    print(f"{'':46} median    best of {runs}")
    for index, name in enumerate(names):
        times = [row[index] for row in rows]
        print(f"{name:46} {statistics.median(times) * 1e3:6.0f} ms {min(times) * 1e3:6.0f} ms")
    print(f"{'dashboard, first call (replays its bests)':46} {first * 1e3:6.0f} ms")
    print("target: <= 150 ms in the browser (node scripts/bench_pyodide.mjs); the best of the runs is the")
    print("least disturbed by other load on the machine, the median what a player may meet")


def coach() -> None:
    """The coach's suggestion over a long history, and the difficulty fit over a million rows."""
    history = long_history(1_000)
    runs = [seconds_per_call(lambda: suggest(history), 1) for _ in range(5)]
    print(f"\nsuggest over {len(history):,} sessions: {statistics.median(runs) * 1e3:.0f} ms")
    rng = random.Random(3)
    keys = sorted(DEFAULT_MODEL.difficulties)
    rows = []
    for player in range(10_000):
        ability = rng.gauss(0.0, 1.0)
        for _ in range(100):
            key = keys[rng.randrange(len(keys))]
            parts = key.split("-")
            variant = Variant(parts[0]) if len(parts) == 3 else Variant.CLASSIC
            config = Configuration(variant, int(parts[-2]), Order(parts[-1]), rng.choice((30, 60, 120)))
            rows.append((player, key, config.max_time, rng.random() < DEFAULT_MODEL.chance(ability, config)))
    started = time.perf_counter()
    fitted = fit_difficulties(rows)
    print(f"fit_difficulties over {len(rows):,} rows of {fitted.players:,} players: "
          f"{time.perf_counter() - started:.1f} s (one run)")  # fmt: skip


if __name__ == "__main__":
    main()
