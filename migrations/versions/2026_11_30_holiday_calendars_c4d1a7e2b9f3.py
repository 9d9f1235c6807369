"""holiday calendars published by admins; duty.computed_expiry; household ID cards

Revision ID: c4d1a7e2b9f3
Revises: 27b9b3d27de0
Create Date: 2026-11-30 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.core.model_base

revision: str = "c4d1a7e2b9f3"
down_revision: str | Sequence[str] | None = "27b9b3d27de0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "holiday_calendar",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column(
            "published_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_calendar")),
    )
    op.add_column("household_member", sa.Column("id_card_issued_on", sa.Date(), nullable=True))
    op.add_column(
        "duty",
        sa.Column("computed_expiry", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("duty", "computed_expiry")
    op.drop_column("household_member", "id_card_issued_on")
    op.drop_table("holiday_calendar")
