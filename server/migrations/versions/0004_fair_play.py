"""fair play: sessions kept off the boards (late or held for review), and a moderator role

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns; every stored session stays on the boards and every user stays a player."""
    op.add_column(
        "training_sessions", sa.Column("off_board", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("training_sessions", sa.Column("review", sa.String(length=10), nullable=True))
    op.create_index("ix_training_sessions_review", "training_sessions", ["review"])
    op.add_column("users", sa.Column("role", sa.String(length=20), nullable=False, server_default="player"))


def downgrade() -> None:
    """Drop the columns; sessions kept off the boards become unverified, so that they still never rank.

    Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy: copying ``users`` on SQLite
    drops the old table, and its ON DELETE CASCADE would empty every table that refers to it.
    """
    op.execute("UPDATE training_sessions SET verified = false WHERE off_board")  # constant SQL
    op.drop_column("users", "role")
    op.drop_index("ix_training_sessions_review", table_name="training_sessions")
    op.drop_column("training_sessions", "review")
    op.drop_column("training_sessions", "off_board")
