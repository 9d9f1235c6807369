"""The migration to one open granted mandate per member and holder keeps, of duplicates,
the newest still valid (with every valid duplicate's scopes) and revokes the others."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from webapp.core.migrate import upgrade

BEFORE = "e7d2a9c4b618"


def _account(conn, n: int) -> None:
    conn.exec_driver_sql(
        "INSERT INTO account (id, email, password_hash, role, session_token, created_at, "
        "data_version, activity_version) VALUES (?, ?, 'x', 'citizen', ?, '2026-01-01', 0, 0)",
        (n, f"u{n}@example.test", f"t{n}"),
    )


def _mandate(conn, n, grantor, grantee, scopes, until=None, kind="granted", revoked=None):
    conn.exec_driver_sql(
        "INSERT INTO family_mandate (id, grantor_id, grantee_id, scopes, kind, valid_until, "
        "elder_mode, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, 0, '2026-01-01', ?)",
        (n, grantor, grantee, json.dumps(scopes), kind, until, revoked),
    )


def test_duplicates_are_merged_before_the_unique_index(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine, BEFORE)
    past = (date.today() - timedelta(days=10)).isoformat()
    future = (date.today() + timedelta(days=100)).isoformat()
    with engine.begin() as conn:
        for n in (1, 2, 3):
            _account(conn, n)
        _mandate(conn, 1, 1, 2, ["view"], until=future)
        _mandate(conn, 2, 1, 2, ["act"])
        _mandate(conn, 3, 1, 2, ["reminders"], until=past)  # expired: not merged in
        _mandate(conn, 4, 1, 2, ["view"], revoked="2026-02-01")  # revoked: untouched
        _mandate(conn, 5, 1, 2, ["view"], kind="in_person")  # another kind: untouched
        _mandate(conn, 6, 1, 3, ["view"], until=past)  # expired duplicates only
        _mandate(conn, 7, 1, 3, ["act"], until=past)
    upgrade(engine)
    with engine.connect() as conn:
        rows = {
            r.id: r
            for r in conn.exec_driver_sql(
                "SELECT id, scopes, revoked_at, revoked_by FROM family_mandate"
            ).mappings()
        }
        open_ids = sorted(
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM family_mandate WHERE kind = 'granted' AND revoked_at IS NULL"
            )
        )
        assert open_ids == [2, 7]
        assert json.loads(rows[2]["scopes"]) == ["view", "act"]
        assert json.loads(rows[7]["scopes"]) == ["act"]
        assert rows[1]["revoked_by"] == 1 and rows[3]["revoked_at"] is not None
        assert rows[4]["revoked_at"].startswith("2026-02-01")
        assert rows[5]["revoked_at"] is None
        index = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'uq_family_mandate_granted_open'"
        ).scalar()
        assert "UNIQUE" in index
