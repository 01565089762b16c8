"""Speed of the core: board generation (7×7, 10×10), and verify against json.loads of the same payload.

Prints medians of several runs, all measured in this one process. The verify/json.loads ratio is
taken pair by pair (each verify run right after its json.loads run), so a machine whose load
changes during the benchmark still gives a fair ratio. Targets: >= 50,000 7×7 boards/s on one core
(issue 3); verify <= 3x json.loads, for a 7×7 game (issue 3) and a reshuffled 10×10 game (issue 11).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import timeit
from collections.abc import Callable

from core import Board, verify
from tests.core.players import human_dict

RUNS = 9


def seconds_per_call(function: Callable[[], object], number: int) -> float:
    """Seconds per call of one run of ``number`` calls."""
    return timeit.timeit(function, number=number) / number


def main() -> None:
    print(f"Python {sys.version.split()[0]}, median of {RUNS} runs")

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


if __name__ == "__main__":
    main()
