"""family reminders in the outbox; mandates for a person without an account

Revision ID: a4c8e2f6b1d3
Revises: d4e6f8a0b2c4
Create Date: 2026-11-30 12:10:00
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c8e2f6b1d3"
down_revision: str | Sequence[str] | None = "d4e6f8a0b2c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with warnings.catch_warnings():
        # SQLite's batch mode reflects the referenced account table and skips its
        # expression index on lower(email); that table is not rebuilt here.
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        _upgrade()


def downgrade() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        _downgrade()


def _upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notification_duty_channel_lead", type_="unique")
        batch_op.create_unique_constraint(
            "uq_notification_duty_account_lead", ["duty_id", "account_id", "channel", "lead"]
        )
    with op.batch_alter_table("family_mandate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grantor_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("grantor_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.alter_column("grantor_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_family_mandate_grantor_email"), ["grantor_email"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_family_mandate_member_id_household_member"),
            "household_member",
            ["member_id"],
            ["id"],
            ondelete="SET NULL",
        )


def _downgrade() -> None:
    op.execute("DELETE FROM family_mandate WHERE grantor_id IS NULL")
    with op.batch_alter_table("family_mandate", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_family_mandate_member_id_household_member"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_family_mandate_grantor_email"))
        batch_op.alter_column("grantor_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("member_id")
        batch_op.drop_column("grantor_email")
        batch_op.drop_column("grantor_name")
    op.execute(
        "DELETE FROM notification WHERE id IN (SELECT n.id FROM notification n JOIN duty d "
        "ON d.id = n.duty_id WHERE n.account_id <> d.owner_account_id "
        "AND d.subject_kind IN ('self', 'household'))"
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notification_duty_account_lead", type_="unique")
        batch_op.create_unique_constraint(
            "uq_notification_duty_channel_lead", ["duty_id", "channel", "lead"]
        )
