"""account security: verified e-mail, authentication throttle, optimistic versions

Revision ID: 5e2c7a91b4d3
Revises: e7f3a9c1d5b2
Create Date: 2026-11-30 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.core.model_base

revision: str = "5e2c7a91b4d3"
down_revision: str | Sequence[str] | None = "e7f3a9c1d5b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "blocked_until", webapp.core.model_base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("updated_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_auth_throttle_updated_at"), "auth_throttle", ["updated_at"])
    for table in ("page_layout", "citizen_profile"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("account") as batch:
        batch.add_column(
            sa.Column("email_verified_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    for table in ("page_layout", "citizen_profile"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    op.drop_index(op.f("ix_auth_throttle_updated_at"), table_name="auth_throttle")
    op.drop_table("auth_throttle")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("email_verified_at")
