"""Skipped items: recorded as skipped and never rated.

``session_items`` gains ``skipped`` (false for every existing row), and ``rating`` may be
null (only for a skipped item). Going back, skipped rows get rating ``right`` and lose
their mark: that is how the older versions stored a skip.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("session_items") as batch:
        batch.add_column(sa.Column("skipped", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.alter_column("rating", existing_type=sa.String(16), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE session_items SET rating = 'right' WHERE rating IS NULL")
    with op.batch_alter_table("session_items") as batch:
        batch.alter_column("rating", existing_type=sa.String(16), nullable=False)
        batch.drop_column("skipped")
