"""An index on the plans' first day.

The progress page's calendar reads only the plans that can reach its four weeks
(``plans.start`` in a window). Plans are kept whenever the plan shown changes, about one a
day, so after years the table holds thousands; with the index that read stays a short range
scan. Going back drops it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plans_start", "plans", ["start"])


def downgrade() -> None:
    op.drop_index("ix_plans_start", table_name="plans")
