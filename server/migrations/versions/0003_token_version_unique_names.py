"""accounts: a per-user token version, one forgiven refresh replay, display names unique regardless of case

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    """The comparison key at this revision: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def upgrade() -> None:
    """Add ``token_version`` and ``replayed_at``; re-key display names.

    Of two names that now collide, the later account's gets its id as a suffix.
    """
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("refresh_tokens") as batch_op:
        batch_op.add_column(sa.Column("replayed_at", sa.DateTime(), nullable=True))
    bind = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.String),
        sa.column("display_name", sa.String),
        sa.column("display_name_key", sa.String),
        sa.column("created_at", sa.DateTime),
    )
    rows = bind.execute(sa.select(users.c.id, users.c.display_name).order_by(users.c.created_at, users.c.id))
    seen: set[str] = set()
    for user_id, display_name in rows.all():
        name = unicodedata.normalize("NFKC", display_name)
        if _key(name) in seen:  # the older account keeps the name; the id suffix makes this one unique
            name = f"{name[:40]} {user_id[:8]}"
        seen.add(_key(name))
        bind.execute(
            sa.update(users)
            .where(users.c.id == user_id)
            .values(display_name=name, display_name_key=_key(name))
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_display_name_key"))
        batch_op.create_index(batch_op.f("ix_users_display_name_key"), ["display_name_key"], unique=True)


def downgrade() -> None:
    """Drop the version, the replay mark and the uniqueness (normalised names were valid before too).

    Plain ``DROP COLUMN``, never a batch copy: on SQLite, copying ``users`` drops the old table, and
    its ``ON DELETE CASCADE`` children (sessions, tokens, boards) would go with it.
    """
    op.drop_column("refresh_tokens", "replayed_at")
    op.drop_index("ix_users_display_name_key", table_name="users")
    op.create_index("ix_users_display_name_key", "users", ["display_name_key"], unique=False)
    op.drop_column("users", "token_version")
