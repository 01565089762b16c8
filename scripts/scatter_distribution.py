"""Print the distribution of ``Board.scatter`` over many seeds, the evidence behind ``EASY_SCATTER``."""

from __future__ import annotations

import statistics
import sys

from core.board import Board
from core.rules import SIZES


def main(samples: int = 200_000) -> None:
    for size in SIZES:
        values = [Board.generate(size, seed).scatter for seed in range(samples)]
        print(
            f"{size}x{size}: n={samples} mean={statistics.fmean(values):.4f} "
            f"sd={statistics.pstdev(values):.4f} min={min(values):.4f} max={max(values):.4f}"
        )
    ordered = Board(5, 0, tuple(range(1, 26)))
    print(f"reading-order 5x5 board: {ordered.scatter:.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
