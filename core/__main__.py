"""``python -m core``: play a seeded board with a simulated player, then verify the session.

A quick way to see the core work end to end without a browser or a server.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

from core.board import Board
from core.game import Game
from core.replay import verify
from core.rules import SIZES, Order, Variant
from core.variants import labels


def main(argv: list[str] | None = None) -> int:
    """Run the demo; the exit status is 0 when the session verifies."""
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    parser.add_argument("--size", type=int, default=5, choices=SIZES, help="cells per side")
    parser.add_argument("--seed", type=int, default=2026, help="board seed (0 <= seed < 2**53)")
    parser.add_argument("--order", default="ASC", choices=[order.value for order in Order])
    parser.add_argument("--variant", default="classic", choices=[variant.value for variant in Variant])
    parser.add_argument("--reshuffle", action="store_true", help="deal unfound cells again after each find")
    parser.add_argument("--mistakes", type=int, default=1, help="wrong taps the simulated player makes")
    parser.add_argument("--json", action="store_true", help="print the session's wire format")
    args = parser.parse_args(argv)

    board = Board.generate(args.size, args.seed)
    faces = labels(args.variant, args.size)
    shown = [faces[token].text + ("*" if faces[token].colour == "red" else "") for token in board.cells]
    width = max(len(face) for face in shown)
    print(f"Board {args.size}x{args.size} {args.variant}, seed {args.seed} (scatter {board.scatter:.3f}):")
    for row in range(args.size):
        print("  " + " ".join(f"{face:>{width}}" for face in shown[row * args.size : (row + 1) * args.size]))
    if args.variant == "gorbov":
        print("  (* = red)")

    game = Game(board, args.order, max_time=300, variant=args.variant, reshuffle=args.reshuffle)
    player = random.Random(args.seed)  # the simulated player, not the board, may use random
    now = 0.0
    wrong_left = args.mistakes
    while not game.is_over:
        now += player.uniform(250, 900)
        target_cell = game.next_cell
        assert target_cell is not None
        if wrong_left and player.random() < 0.2:
            wrong_left -= 1
            game.tap((target_cell + 1) % board.cell_count, now)
            now += player.uniform(150, 300)
        game.tap(target_cell, now)

    session = game.to_session()
    verdict = verify(session.to_dict())
    print(
        f"\n{session.status.value}: {session.completion_time_ms} ms, "
        f"{session.mistakes} mistake(s), accuracy {session.accuracy}%"
    )
    print("verdict:", "ok" if verdict.ok else ", ".join(verdict.codes))
    if args.json:
        print(json.dumps(session.to_dict(), indent=2))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
