"""one open mandate granted by a member to one holder

Revision ID: b8f1c3d5e7a9
Revises: e7d2a9c4b618
Create Date: 2026-11-30 13:40:00

Granting again now updates or extends the member's mandate to that holder, and a partial
unique index keeps it to one. Existing duplicates (several mandates granted by the same
member to the same holder, none revoked) are reduced to one before the index is created:
the newest still valid today is kept (else the newest), with the scopes of all the
duplicates still valid, so nobody loses access they hold now; the others are revoked.
"""

import json
from collections.abc import Sequence
from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op

revision: str = "b8f1c3d5e7a9"
down_revision: str | Sequence[str] | None = "e7d2a9c4b618"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANTED_OPEN = "kind = 'granted' AND revoked_at IS NULL"
SCOPES = ("view", "reminders", "act")


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _scopes(value) -> list:
    if isinstance(value, str):
        return json.loads(value)
    return list(value or [])


def _merge_duplicates() -> None:
    conn = op.get_bind()
    mandate = sa.table(
        "family_mandate",
        sa.column("id", sa.Integer),
        sa.column("grantor_id", sa.Integer),
        sa.column("grantee_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("scopes", sa.JSON),
        sa.column("valid_until", sa.Date),
        sa.column("revoked_at", sa.DateTime(timezone=True)),
        sa.column("revoked_by", sa.Integer),
    )
    rows = conn.execute(
        sa.select(mandate.c.id, mandate.c.grantor_id, mandate.c.grantee_id)
        .add_columns(mandate.c.scopes, mandate.c.valid_until)
        .where(mandate.c.kind == "granted", mandate.c.revoked_at.is_(None))
        .order_by(mandate.c.id)
    ).all()
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row.grantor_id, row.grantee_id), []).append(row)
    today = datetime.now(timezone.utc).date()
    now = datetime.now(timezone.utc)
    for (grantor_id, _grantee_id), group in groups.items():
        if len(group) < 2:
            continue
        valid = [r for r in group if (_as_date(r.valid_until) or date.max) >= today]
        keep = (valid or group)[-1]
        scopes = {s for r in (valid or [keep]) for s in _scopes(r.scopes)}
        conn.execute(
            mandate.update()
            .where(mandate.c.id == keep.id)
            .values(scopes=[s for s in SCOPES if s in scopes])
        )
        conn.execute(
            mandate.update()
            .where(mandate.c.id.in_([r.id for r in group if r.id != keep.id]))
            .values(revoked_at=now, revoked_by=grantor_id)
        )


def upgrade() -> None:
    _merge_duplicates()
    with op.batch_alter_table("family_mandate", schema=None) as batch_op:
        batch_op.create_index(
            "uq_family_mandate_granted_open",
            ["grantor_id", "grantee_id"],
            unique=True,
            sqlite_where=sa.text(GRANTED_OPEN),
            postgresql_where=sa.text(GRANTED_OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("family_mandate", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_family_mandate_granted_open",
            sqlite_where=sa.text(GRANTED_OPEN),
            postgresql_where=sa.text(GRANTED_OPEN),
        )
