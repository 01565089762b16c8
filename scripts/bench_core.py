"""Speed of the core: board generation for 7×7, and verify against json.loads of the same payload.

Prints medians of several runs, all measured in this one process, so the ratio is fair on any
machine. Targets (issue 3): >= 50,000 boards/s; verify <= 3x json.loads.
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit

from core import Board, verify
from tests.core.players import human_dict

RUNS = 7


def per_call(statement: object, number: int) -> float:
    """Median seconds per call over RUNS repeats of ``number`` calls."""
    times = timeit.repeat(statement, number=number, repeat=RUNS)  # type: ignore[arg-type]
    return statistics.median(times) / number


def main() -> None:
    print(f"Python {sys.version.split()[0]}, median of {RUNS} runs")

    seeds = iter(range(10**9))
    board = per_call(lambda: Board.generate(7, next(seeds)), 20_000)
    print(f"board generation 7x7: {1 / board:,.0f} boards/s ({board * 1e6:.1f} us each; target >= 50,000/s)")

    payload = json.dumps(human_dict(size=7, mistakes=4, player=7))
    session = json.loads(payload)
    if not verify(session).ok:
        raise SystemExit("the benchmark session does not verify: fix the core before timing it")
    loads = per_call(lambda: json.loads(payload), 5_000)
    check = per_call(lambda: verify(session), 2_000)
    both = per_call(lambda: verify(json.loads(payload)), 2_000)
    print(f"payload: {len(payload):,} bytes, {len(session['tap_events'])} taps")
    print(f"json.loads: {loads * 1e6:.1f} us")
    print(f"verify:     {check * 1e6:.1f} us  = {check / loads:.2f}x json.loads (target <= 3x)")
    print(f"json.loads + verify: {both * 1e6:.1f} us")


if __name__ == "__main__":
    main()
