"""service delivery: how a service is done (online, in person, both), its own online
address, where and when to go, and the fee

Revision ID: d4e6f8a0b2c4
Revises: c3d5e7f9a1b2
Create Date: 2026-11-30 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e6f8a0b2c4"
down_revision: str | Sequence[str] | None = "c3d5e7f9a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.add_column(
            sa.Column(
                "delivery", sa.String(length=16), nullable=False, server_default="in_person"
            )
        )
        batch.add_column(sa.Column("apply_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("office", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("fee", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.drop_column("fee")
        batch.drop_column("office")
        batch.drop_column("apply_url")
        batch.drop_column("delivery")
