"""duels: challenges between two players on one hidden board, their results, and blocks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:10:00
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.String(length=36)


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    """Create the duel tables and mark duel tickets; no existing row changes."""
    op.create_table(
        "duels",
        sa.Column("id", ID, nullable=False),
        sa.Column("challenger_id", ID, nullable=False),
        sa.Column("opponent_id", ID, nullable=False),
        sa.Column("variant", sa.String(length=32), nullable=False, server_default="classic"),
        sa.Column("grid_size", sa.Integer(), nullable=False),
        sa.Column("order_mode", sa.String(length=4), nullable=False),
        sa.Column("board_seed", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("open_key", sa.String(length=120), nullable=True),
        sa.Column("winner_id", ID, nullable=True),
        _time("created_at"),
        _time("expires_at"),
        _time("responded_at", nullable=True),
        _time("finished_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["challenger_id"], ["users.id"], name="fk_duels_challenger_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opponent_id"], ["users.id"], name="fk_duels_opponent_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_duels"),
        sa.UniqueConstraint("open_key", name="uq_duels_open_key"),
    )
    op.create_index("ix_duels_challenger_id", "duels", ["challenger_id"])
    op.create_index("ix_duels_opponent_id", "duels", ["opponent_id"])
    op.create_table(
        "duel_results",
        sa.Column("duel_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completion_time_ms", sa.Float(), nullable=True),
        sa.Column("mistakes", sa.Integer(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        _time("finished_at"),
        sa.ForeignKeyConstraint(
            ["duel_id"], ["duels.id"], name="fk_duel_results_duel_id_duels", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_duel_results_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("duel_id", "user_id", name="pk_duel_results"),
    )
    op.create_table(
        "blocks",
        sa.Column("blocker_id", ID, nullable=False),
        sa.Column("blocked_id", ID, nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(
            ["blocker_id"], ["users.id"], name="fk_blocks_blocker_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["blocked_id"], ["users.id"], name="fk_blocks_blocked_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name="pk_blocks"),
    )
    op.create_index("ix_blocks_blocked_id", "blocks", ["blocked_id"])
    # Plain ADD COLUMN and a unique index, no batch copy of ``tickets`` on SQLite.
    op.add_column("tickets", sa.Column("duel_id", ID, nullable=True))
    op.create_index("uq_tickets_duel", "tickets", ["duel_id", "user_id"], unique=True)


def downgrade() -> None:
    """Drop the duel tables; duel sessions stay in every player's history (mode ``duel`` in them)."""
    op.drop_index("uq_tickets_duel", table_name="tickets")
    op.drop_column("tickets", "duel_id")
    op.drop_index("ix_blocks_blocked_id", table_name="blocks")
    op.drop_table("blocks")
    op.drop_table("duel_results")
    op.drop_index("ix_duels_opponent_id", table_name="duels")
    op.drop_index("ix_duels_challenger_id", table_name="duels")
    op.drop_table("duels")
