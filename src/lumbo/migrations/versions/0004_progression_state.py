"""The folded progression state, stored beside the logs.

``progression_state`` holds at most one row: every exercise family's state after the
finished sessions before ``horizon`` (lumbo.domain.progression.settle), so a plan reads that
row and the last four weeks of sessions instead of replaying every log. It is derived: the
logs stay the source of truth, and lumbo rebuilds it from them the next time a session is
finished (or with ``lumbo state check``). Going back simply drops it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progression_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("horizon", sa.Date(), nullable=True),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("catalogue", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("progression_state")
