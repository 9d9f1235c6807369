"""service aliases: colloquial names per locale, searched like the name

Revision ID: dff3bc9da908
Revises: a17c0de5e9d1
Create Date: 2026-11-30 10:50:00

Adds ``service.aliases`` ({"zh_Hans": [...], "zh_Hant": [...], "en": [...]}) and fills it,
for services that are in the packaged catalog, with the packaged aliases (a database
whose catalog was loaded before aliases existed gets them without a reload).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "dff3bc9da908"
down_revision: str | Sequence[str] | None = "a17c0de5e9d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("aliases", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    _fill_packaged_aliases()


def _fill_packaged_aliases() -> None:
    from lifecycle.catalog import load_catalog

    service = sa.table("service", sa.column("code", sa.String), sa.column("aliases", sa.JSON))
    bind = op.get_bind()
    codes = set(bind.execute(sa.select(service.c.code)).scalars())
    if not codes:
        return
    for packaged in load_catalog().services.values():
        if packaged.code in codes and packaged.aliases:
            aliases = {locale: list(items) for locale, items in packaged.aliases.items()}
            bind.execute(
                service.update().where(service.c.code == packaged.code).values(aliases=aliases)
            )


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("aliases")
