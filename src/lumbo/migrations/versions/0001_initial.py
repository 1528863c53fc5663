"""The first schema: profile versions, screens, plans, sessions and their items.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile_versions",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
    )
    op.create_table(
        "screens",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("referred", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=True),
    )
    op.create_index("ix_screens_saved_at", "screens", ["saved_at"])
    op.create_table(
        "plans",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=False),
    )
    op.create_index("ix_plans_created_at", "plans", ["created_at"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("session_index", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
    )
    op.create_index("ix_sessions_date_index", "sessions", ["date", "session_index"])
    op.create_table(
        "session_items",
        sa.Column(
            "session_id",
            sa.String(64),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("exercise", sa.String(80), nullable=False),
        sa.Column("variation", sa.String(80), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("rating", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("session_items")
    op.drop_index("ix_sessions_date_index", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index("ix_plans_created_at", table_name="plans")
    op.drop_table("plans")
    op.drop_index("ix_screens_saved_at", table_name="screens")
    op.drop_table("screens")
    op.drop_table("profile_versions")
