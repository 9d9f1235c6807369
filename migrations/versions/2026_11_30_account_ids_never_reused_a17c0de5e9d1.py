"""account ids never reused

SQLite gives a new row the largest id plus one, so deleting the newest account handed its
id to the next sign-up, and anything still naming the old id (a pseudonym, a token, a link)
pointed at a new person. AUTOINCREMENT never reuses an id. PostgreSQL sequences never did.
The table is rebuilt (webapp.core.migrate turns foreign keys off for it, so the rebuild
does not cascade into the children) and the expression index, which reflection cannot see,
is made again.

Revision ID: a17c0de5e9d1
Revises: 1d0a1b2c3e4f
Create Date: 2026-11-30 11:09:03.363365
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a17c0de5e9d1'
down_revision: str | Sequence[str] | None = '1d0a1b2c3e4f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with warnings.catch_warnings():
        # reflection skips the expression index on lower(email); it is made again below
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        with op.batch_alter_table(
            "account", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_account_email_lower ON account (lower(email))")


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
