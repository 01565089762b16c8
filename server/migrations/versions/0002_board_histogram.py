"""board histogram: per-bucket entry counts for O(buckets) ranks, totals and deep pages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the histogram and fill it from the existing entries (``BUCKET_MS`` = 100 at this revision)."""
    op.create_table(
        "board_histogram",
        sa.Column("board", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("grid_size", sa.Integer(), nullable=False),
        sa.Column("order_mode", sa.String(length=4), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "board", "period", "grid_size", "order_mode", "bucket", name=op.f("pk_board_histogram")
        ),
    )
    # Buckets are floor(best / 100 ms); PostgreSQL rounds a float cast to integer, SQLite truncates.
    bucket = (
        "CAST(FLOOR(best_time_ms / 100) AS INTEGER)"
        if op.get_bind().dialect.name == "postgresql"
        else "CAST(best_time_ms / 100 AS INTEGER)"
    )
    columns = "board, period, grid_size, order_mode"
    fill = f"INSERT INTO board_histogram ({columns}, bucket, count) SELECT {columns}, {bucket}, COUNT(*) "
    op.execute(fill + "FROM board_entries GROUP BY 1, 2, 3, 4, 5")  # constant SQL: no input reaches it


def downgrade() -> None:
    """Drop the histogram (the entries keep everything it was made from)."""
    op.drop_table("board_histogram")
