"""Measured items: what the camera coach counted and saw.

``session_items`` gains ``measured`` (false for every existing row: those results were
reported by the person), ``form_score`` (the share of the time in position, 0-1, null
unless measured) and ``faults`` (a JSON list of the form faults seen, by id; null when
none). The planner reads none of them. Going back simply drops them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("session_items") as batch:
        batch.add_column(sa.Column("measured", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("form_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("faults", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_items") as batch:
        batch.drop_column("faults")
        batch.drop_column("form_score")
        batch.drop_column("measured")
