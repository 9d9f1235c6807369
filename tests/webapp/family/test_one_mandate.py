"""Granting again to the same holder changes their mandate (what it allows, its end) instead
of adding a second one; the database keeps it to one; bad input changes nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.webapp.family.conftest import TODAY, grant


def _granted(client, family) -> list[dict]:
    return client.get("/api/v1/me/mandates", headers=family.father_h).json["granted"]


def _post(client, family, **body):
    body = {"grantee_account_id": family.son.id, **body}
    return client.post("/api/v1/me/mandates", json=body, headers=family.father_h)


def test_granting_again_updates_the_one_mandate(client, family):
    first = _post(client, family, scopes=["view"])
    assert first.status_code == 201
    again = _post(client, family, scopes=["view", "act"], valid_until="2027-06-30")
    assert again.status_code == 200, again.json
    assert again.json["id"] == first.json["id"]
    assert again.json["scopes"] == ["view", "act"] and again.json["valid_until"] == "2027-06-30"
    rows = _granted(client, family)
    assert len(rows) == 1 and rows[0]["scopes"] == ["view", "act"]
    # The same again: idempotent.
    same = _post(client, family, scopes=["view", "act"], valid_until="2027-06-30")
    assert same.status_code == 200 and same.json == again.json
    held = client.get("/api/v1/me/mandates", headers=family.son_h).json["received"]
    assert [m["id"] for m in held] == [first.json["id"]]


def test_the_openapi_document_declares_the_update(client):
    doc = client.get("/api/v1/openapi.json").json
    responses = doc["paths"]["/me/mandates"]["post"]["responses"]
    assert {"200", "201", "404"} <= set(responses)


def test_an_expired_mandate_is_extended(client, family, monkeypatch):
    mandate_id = grant(client, family, ["view"], valid_until=TODAY)
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 5))
    assert _granted(client, family)[0]["status"] == "expired"
    again = _post(client, family, scopes=["view"], valid_until="2027-01-31")
    assert again.status_code == 200 and again.json["id"] == mandate_id
    assert again.json["status"] == "active"
    headers = {**family.son_h, "Act-As": str(family.father.id)}
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_after_a_revocation_a_new_mandate_is_made(client, family):
    old = grant(client, family, ["view"])
    client.delete(f"/api/v1/me/mandates/{old}", headers=family.father_h)
    new = _post(client, family, scopes=["act"])
    assert new.status_code == 201 and new.json["id"] != old
    assert sorted(m["status"] for m in _granted(client, family)) == ["active", "revoked"]


@pytest.mark.parametrize(
    "body",
    [
        {"scopes": []},
        {"scopes": ["view", "everything"]},
        {"scopes": ["act"], "valid_until": "2020-01-01"},
        {"scopes": ["act"], "valid_until": "not a date"},
    ],
)
def test_bad_input_leaves_the_mandate_as_it_was(client, family, body):
    grant(client, family, ["view"], valid_until=date(2027, 1, 1))
    before = _granted(client, family)
    response = _post(client, family, **body)
    assert 400 <= response.status_code < 500 and "error" in response.json
    assert _granted(client, family) == before


def test_nobody_else_changes_the_mandate(client, factories, family):
    mandate_id = grant(client, family, ["view"])
    stranger = factories.citizen(full_name="王五")
    stranger_h = factories.token(client, stranger)
    for who in (family.son_h, stranger_h):
        body = {"grantee_account_id": family.son.id, "scopes": ["view", "act"]}
        assert client.post("/api/v1/me/mandates", json=body, headers=who).status_code == 404
    assert _granted(client, family)[0]["scopes"] == ["view"]
    assert _granted(client, family)[0]["id"] == mandate_id


def test_the_browser_form_says_the_mandate_was_changed(app, client, factories, family):
    grant(client, family, ["view"])
    father_c = app.test_client()
    factories.login(father_c, family.father)
    page = father_c.get("/family/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "grantee": str(family.son.id), "scopes": ["view", "act"]}
    done = father_c.post("/family/mandates", data=form, follow_redirects=True)
    assert "已有您的授权" in done.text or "already had a mandate" in done.text
    rows = _granted(client, family)
    assert len(rows) == 1 and rows[0]["scopes"] == ["view", "act"]
    bad = father_c.post(
        "/family/mandates", data={**form, "valid_until": "2020-01-01"}, follow_redirects=True
    )
    assert "选择今天或之后的日期" in bad.text or "Choose today or a later date" in bad.text
    assert _granted(client, family) == rows


def test_the_database_refuses_a_second_open_grant(app, family, client):
    from sqlalchemy.exc import IntegrityError

    from webapp.core.db import db
    from webapp.family.models import Mandate

    grant(client, family, ["view"])
    with app.app_context(), pytest.raises(IntegrityError), db.transaction() as session:
        session.add(Mandate(grantor_id=family.father.id, grantee_id=family.son.id, scopes=["act"]))


def test_a_concurrent_grant_updates_the_row_the_other_made(app, family, monkeypatch):
    """Both requests found no mandate; the second insert meets the unique index and
    updates the first one's row instead."""
    from webapp.core.db import db
    from webapp.family import mandates
    from webapp.family.models import Mandate

    with app.app_context():
        father = db.session.get(type(family.father), family.father.id)
        real = mandates._open_grant
        calls = {"n": 0}

        def racing(session, grantor_id, grantee_id):
            calls["n"] += 1
            if calls["n"] == 1:  # the other request inserts between our read and write
                with db.transaction() as other:
                    other.add(
                        Mandate(grantor_id=grantor_id, grantee_id=grantee_id, scopes=["view"])
                    )
                return None
            return real(session, grantor_id, grantee_id)

        monkeypatch.setattr(mandates, "_open_grant", racing)
        granted = mandates.grant(db.session, father, family.son.id, ["act"], today=TODAY)
        db.session.commit()
        assert not granted.created and granted.mandate.scopes == ["act"]
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Mandate).where(Mandate.revoked_at.is_(None))
        )
        assert count == 1
