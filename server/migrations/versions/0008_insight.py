"""insight: premium until a date, Stripe customers, processed billing events, fitted coach models

``users.premium_until`` comes with 0007; this adds ``users.stripe_customer_id`` with its index, then
the two new tables. Downgrade drops them; a premium player stays premium (``is_premium`` is
untouched), only the Stripe customer and the billing log go.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the Stripe customer, the billing log and the coach models."""
    # Plain ALTER TABLE, never a batch copy of ``users``: on SQLite, dropping the old copy would
    # cascade (ON DELETE CASCADE, foreign keys on) to every session, ticket and board row.
    op.add_column("users", sa.Column("stripe_customer_id", sa.String(length=255), nullable=True))
    op.create_index("ix_users_stripe_customer_id", "users", ["stripe_customer_id"])
    op.create_table(
        "billing_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_billing_events_user_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_billing_events"),
    )
    op.create_table(
        "coach_models",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.Column("sessions", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coach_models"),
    )


def downgrade() -> None:
    """Drop the coach models, the billing log and the Stripe customer (``is_premium`` stays)."""
    op.drop_table("coach_models")
    op.drop_table("billing_events")
    op.drop_index("ix_users_stripe_customer_id", table_name="users")
    # Native DROP COLUMN (SQLite >= 3.35, PostgreSQL): no copy of ``users``, so nothing cascades.
    op.execute("ALTER TABLE users DROP COLUMN stripe_customer_id")
