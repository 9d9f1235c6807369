"""The resident ID number at rest: nothing on the row rebuilds it, the masked display shows
no more than the profile, keys rotate (MultiFernet), and the migration drops the old mask."""

from __future__ import annotations

from datetime import date

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect, select, text

from lifecycle.identifiers import make_id_number
from webapp.core.db import db

NUMBER = make_id_number("440106", date(1988, 6, 18), 351)  # GB 11643-1999: 6+8+3+1


def _save(client, headers, number=NUMBER):
    response = client.put("/api/v1/me/profile", json={"id_number": number}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_no_column_holds_the_sequence_and_check_character(app, client, factories, citizen):
    """Region (6) and birth date (8) are profile fields; the last four (sequence + check)
    must be nowhere in clear, or the row rebuilds all eighteen characters."""
    _save(client, factories.token(client, citizen))
    with app.app_context():
        row = (
            db.session.execute(
                text("SELECT * FROM citizen_profile WHERE account_id = :id"), {"id": citizen.id}
            )
            .mappings()
            .one()
        )
    clear = {k: v for k, v in row.items() if k != "id_number_encrypted" and v is not None}
    assert clear["region_code"] + str(clear["birth_date"]).replace("-", "") == NUMBER[:14]
    assert not [k for k, v in clear.items() if NUMBER[14:] in str(v)]
    assert NUMBER not in str(row["id_number_encrypted"])


def test_masked_display_shows_no_more_than_the_profile(client, factories, citizen):
    body = _save(client, factories.token(client, citizen))
    assert body["id_number_masked"] == NUMBER[:14] + "****"
    assert body["region_code"] + body["birth_date"].replace("-", "") == NUMBER[:14]


def test_export_still_gives_the_owner_the_number(client, factories, citizen):
    headers = factories.token(client, citizen)
    _save(client, headers)
    export = client.get("/api/v1/me/export", headers=headers)
    assert export.status_code == 200
    assert NUMBER in export.get_data(as_text=True)


def test_key_rotation_with_the_flask_command(app, client, factories, citizen):
    from webapp.models import CitizenProfile
    from webapp.people import services as profiles

    old_keys = app.config["ID_ENCRYPTION_KEYS"]
    _save(client, factories.token(client, citizen))
    new_key = Fernet.generate_key().decode()
    try:
        app.config["ID_ENCRYPTION_KEYS"] = f"{new_key},{old_keys}"
        result = app.test_cli_runner().invoke(args=["crypto", "rotate-id-numbers"])
        assert result.exit_code == 0, result.output
        assert "re-encrypted 1 ID numbers" in result.output
        # The old key can go now: the new one alone decrypts.
        app.config["ID_ENCRYPTION_KEYS"] = [new_key]
        with app.app_context():
            profile = db.session.get(CitizenProfile, citizen.id)
            assert profiles.id_number(profile) == NUMBER
        app.config["ID_ENCRYPTION_KEYS"] = old_keys
        with app.app_context():
            profile = db.session.get(CitizenProfile, citizen.id)
            assert profiles.id_number(profile) is None  # encrypted with the new key only
    finally:
        app.config["ID_ENCRYPTION_KEYS"] = old_keys
        with app.app_context(), db.transaction() as session:
            session.execute(select(CitizenProfile))  # keep the session usable


def test_rotation_reports_values_no_key_fits(app, client, factories, citizen):
    old_keys = app.config["ID_ENCRYPTION_KEYS"]
    _save(client, factories.token(client, citizen))
    try:
        app.config["ID_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
        result = app.test_cli_runner().invoke(args=["crypto", "rotate-id-numbers"])
        assert result.exit_code != 0 and "1 ID numbers fit none" in result.output
    finally:
        app.config["ID_ENCRYPTION_KEYS"] = old_keys


def test_migration_drops_the_stored_mask(tmp_path):
    from webapp.core.migrate import upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine, "e1c1a1a5b2d4")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, email, password_hash, role, session_token, created_at)"
                " VALUES (1, 'a@example.test', 'x', 'citizen', 't', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO citizen_profile (account_id, id_number_encrypted, id_number_masked,"
                " birth_date, region_code, updated_at) VALUES (1, 'gAAAA', :m, '1988-06-18',"
                " '440106', '2026-01-01 00:00:00')"
            ),
            {"m": NUMBER[:4] + "*" * 10 + NUMBER[-4:]},
        )
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("citizen_profile")}
    assert "id_number_masked" not in columns and "id_number_encrypted" in columns
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM citizen_profile")).mappings().one()
    assert not [k for k, v in row.items() if v is not None and NUMBER[14:] in str(v)]
    engine.dispose()
