"""bundle step progress: the steps of a 一件事 bundle a person has ticked off

Revision ID: b7e1c4a9d2f3
Revises: e1f7a3c2b9d4
Create Date: 2026-11-30 11:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.core.model_base

revision: str = "b7e1c4a9d2f3"
down_revision: str | Sequence[str] | None = "e1f7a3c2b9d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bundle_step_done",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column(
            "done_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_bundle_step_done_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["bundle.id"],
            name=op.f("fk_bundle_step_done_bundle_id_bundle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_bundle_step_done_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "bundle_id", "service_id", name=op.f("pk_bundle_step_done")
        ),
    )


def downgrade() -> None:
    op.drop_table("bundle_step_done")
