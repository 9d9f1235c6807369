"""profile facts: facts a person or an enterprise member told us, with source and date

Revision ID: e1f7a3c2b9d4
Revises: 5e2c7a91b4d3
Create Date: 2026-11-30 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import webapp.core.model_base

revision: str = "e1f7a3c2b9d4"
down_revision: str | Sequence[str] | None = "5e2c7a91b4d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", webapp.core.model_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_profile_fact_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_member.id"],
            name=op.f("fk_profile_fact_member_id_household_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_profile_fact_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["account.id"],
            name=op.f("fk_profile_fact_recorded_by_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_fact")),
        sa.UniqueConstraint("subject", "key", name="subject_key"),
    )
    with op.batch_alter_table("profile_fact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_fact_subject"), ["subject"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_fact_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_profile_fact_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_fact_enterprise_id"), ["enterprise_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_fact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_fact_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_profile_fact_member_id"))
        batch_op.drop_index(batch_op.f("ix_profile_fact_account_id"))
        batch_op.drop_index(batch_op.f("ix_profile_fact_subject"))
    op.drop_table("profile_fact")
