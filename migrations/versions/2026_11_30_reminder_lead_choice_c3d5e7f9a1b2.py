"""reminder lead choice: a citizen's own reminder lead time (or off) per duty category

Revision ID: c3d5e7f9a1b2
Revises: b7e1c4a9d2f3
Create Date: 2026-11-30 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.core.model_base

revision: str = "c3d5e7f9a1b2"
down_revision: str | Sequence[str] | None = "b7e1c4a9d2f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_lead_choice",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column(
            "updated_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_reminder_lead_choice_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "category", name=op.f("pk_reminder_lead_choice")),
    )


def downgrade() -> None:
    op.drop_table("reminder_lead_choice")
