"""variants: tickets, sessions and boards carry the variant; each (variant, size, order) is its own board

Every existing row was played on a classic board, so the new columns default to ``classic`` and
no row is lost. Downgrade keeps every session and every classic row; the boards of other variants
and their challenge tickets have no place in the older schema and are removed (their sessions stay
in the history, with the variant in their payload).

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None

BOARD = ["board", "period", "grid_size", "order_mode"]
"""The columns naming a board before this revision."""
RANK = [*BOARD, "best_time_ms", "achieved_at", "user_id"]
ATTEMPT_KEY = "uq_tickets_attempt"
"""The new unique key of challenge attempts (the convention's name would pass PostgreSQL's 63 characters)."""
TICKET_ATTEMPT = ["user_id", "mode", "period", "grid_size", "order_mode", "attempt"]


def _with_variant(columns: list[str]) -> list[str]:
    """``columns`` with ``variant`` after ``period``: a board is kind, period, variant, size, order."""
    at = columns.index("period") + 1
    return [*columns[:at], "variant", *columns[at:]]


def _variant(primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(
        "variant", sa.String(length=32), nullable=False, server_default="classic", primary_key=primary_key
    )


def upgrade() -> None:
    """Add ``variant`` (``classic`` for every existing row) and key the boards and attempts by it."""
    with op.batch_alter_table("training_sessions") as batch:
        batch.add_column(_variant())
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(_variant())
        batch.drop_constraint("uq_tickets_user_id_mode_period_grid_size_order_mode_attempt", type_="unique")
        batch.create_unique_constraint(ATTEMPT_KEY, _with_variant(TICKET_ATTEMPT))
    with op.batch_alter_table("board_entries") as batch:
        batch.add_column(_variant())
        batch.drop_index("ix_board_entries_rank")
        batch.drop_constraint("pk_board_entries", type_="primary")
        batch.create_primary_key("pk_board_entries", _with_variant([*BOARD, "user_id"]))
        batch.create_index("ix_board_entries_rank", _with_variant(RANK))
    with op.batch_alter_table("board_histogram") as batch:
        batch.add_column(_variant())
        batch.drop_constraint("pk_board_histogram", type_="primary")
        batch.create_primary_key("pk_board_histogram", _with_variant([*BOARD, "bucket"]))


def downgrade() -> None:
    """Back to boards of grid size × order: only classic entries remain on them."""
    op.execute("DELETE FROM board_entries WHERE variant <> 'classic'")
    op.execute("DELETE FROM board_histogram WHERE variant <> 'classic'")
    with op.batch_alter_table("board_histogram") as batch:
        batch.drop_constraint("pk_board_histogram", type_="primary")
        batch.create_primary_key("pk_board_histogram", [*BOARD, "bucket"])
        batch.drop_column("variant")
    with op.batch_alter_table("board_entries") as batch:
        batch.drop_index("ix_board_entries_rank")
        batch.drop_constraint("pk_board_entries", type_="primary")
        batch.create_primary_key("pk_board_entries", [*BOARD, "user_id"])
        batch.create_index("ix_board_entries_rank", RANK)
        batch.drop_column("variant")
    # Challenge attempts of other variants would collide with classic ones under the old unique key.
    op.execute("DELETE FROM tickets WHERE variant <> 'classic' AND attempt IS NOT NULL")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_constraint(ATTEMPT_KEY, type_="unique")
        batch.create_unique_constraint(
            "uq_tickets_user_id_mode_period_grid_size_order_mode_attempt", TICKET_ATTEMPT
        )
        batch.drop_column("variant")
    with op.batch_alter_table("training_sessions") as batch:
        batch.drop_column("variant")
