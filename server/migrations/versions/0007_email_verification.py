"""accounts: email verification, premium end, OpenID identities and sign-in states

Users carry ``email_verified`` and ``premium_until``; ``identities`` keys each OpenID identity by
(issuer, subject); ``oidc_states`` keeps each sign-in's state, nonce and PKCE verifier on the server.

Existing accounts keep their rows; their emails start unverified (nothing proved them yet), so no
OpenID identity is linked to them automatically until their owner verifies. Columns are added and
dropped in place, never by copying ``users``: on SQLite a copy drops the old table, and its
``ON DELETE CASCADE`` children (sessions, tokens, boards) with it.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns (every email unverified, no premium end) and the table of mailed codes."""
    op.add_column("users", sa.Column("premium_until", sa.DateTime(), nullable=True))
    op.add_column(
        "users", sa.Column("email_verified", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "email_verifications",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_email_verifications_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code_hash", name="pk_email_verifications"),
    )
    op.create_index("ix_email_verifications_user_id", "email_verifications", ["user_id"])
    op.create_table(
        "identities",
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_identities_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("issuer", "subject", name="pk_identities"),
        sa.UniqueConstraint("user_id", "provider", name="uq_identities_user_id_provider"),
    )
    op.create_index("ix_identities_user_id", "identities", ["user_id"])
    op.create_table(
        "oidc_states",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("link_user_id", sa.String(length=36), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_user_id"], ["users.id"], name="fk_oidc_states_link_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("state_hash", name="pk_oidc_states"),
    )
    op.create_index("ix_oidc_states_expires_at", "oidc_states", ["expires_at"])


def downgrade() -> None:
    """Drop them (SQLite 3.35+ drops a plain column in place); every account keeps its row.

    Password-less accounts keep their unusable hash: after an upgrade again they sign in through a
    provider once it is re-linked, or get a password by reset.
    """
    op.drop_index("ix_oidc_states_expires_at", table_name="oidc_states")
    op.drop_table("oidc_states")
    op.drop_index("ix_identities_user_id", table_name="identities")
    op.drop_table("identities")
    op.drop_index("ix_email_verifications_user_id", table_name="email_verifications")
    op.drop_table("email_verifications")
    op.drop_column("users", "email_verified")
    op.drop_column("users", "premium_until")
