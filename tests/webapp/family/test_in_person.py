"""A mandate given in person by a parent without an account: recorded by an admin with the
evidence and purpose (audited); it becomes the parent's when they sign up with that e-mail
and verify it, is shown on their first sign-in, and they confirm or revoke it."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

BODY = {
    "grantor_name": "张父",
    "grantor_email": "zhang.fu@example.test",
    "scopes": ["view", "reminders"],
    "evidence": "居民身份证原件，本人到场签字",
    "purpose": "代为查看办事提醒",
}


def _record(client, factories, admin, son, **extra):
    body = {**BODY, "grantee_account_id": son.id, **extra}
    return client.post("/api/v1/admin/mandates", json=body, headers=factories.token(client, admin))


def _verify(app, account_id: int, verified: bool = True) -> None:
    from webapp.core.db import db
    from webapp.core.model_base import utcnow
    from webapp.models import Account

    with app.app_context():
        db.session.get(Account, account_id).email_verified_at = utcnow() if verified else None
        db.session.commit()


def test_recorded_for_name_and_email_then_attached_on_verified_sign_up(
    app, client, factories, admin
):
    from webapp.core.db import db
    from webapp.models import AuditEntry

    son = factories.citizen(full_name="李明")
    created = _record(client, factories, admin, son)
    assert created.status_code == 201, created.json
    assert created.json["grantor_id"] is None and created.json["grantor_name"] == "张父"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_type == "citizen"))
        assert entry.target_id == f"pending:{created.json['id']}"
    son_h = factories.token(client, son)
    received = client.get("/api/v1/me/mandates", headers=son_h).json["received"]
    assert [m["grantor_name"] for m in received] == ["张父"]
    # Nobody can act for a person who has no account yet.
    father = factories.account("citizen", email="Zhang.Fu@example.test")
    _verify(app, father.id, verified=False)
    father_h = factories.token(client, father)
    # An unverified address gets nothing: anybody can type an address.
    assert client.get("/api/v1/me/mandates", headers=father_h).json["granted"] == []
    assert client.get("/api/v1/me", headers={**son_h, "Act-As": str(father.id)}).status_code == 404
    _verify(app, father.id)
    granted = client.get("/api/v1/me/mandates", headers=father_h).json["granted"]
    assert [(m["id"], m["grantee_id"]) for m in granted] == [(created.json["id"], son.id)]
    acting = client.get("/api/v1/me/page", headers={**son_h, "Act-As": str(father.id)})
    assert acting.status_code == 200


def test_shown_on_first_sign_in_until_confirmed(app, client, factories, admin):
    son = factories.citizen(full_name="李明")
    mandate_id = _record(client, factories, admin, son).json["id"]
    father = factories.account("citizen", email="zhang.fu@example.test")
    browser = app.test_client()
    factories.login(browser, father)
    assert "服务窗口" in browser.get("/me/").text
    page = browser.get("/family/").text
    assert f'data-testid="confirm-mandate-{mandate_id}"' in page
    # Still shown on the next visit: it waits for an answer.
    page = browser.get("/family/").text
    assert f'data-testid="confirm-mandate-{mandate_id}"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = browser.post(f"/family/mandates/{mandate_id}/confirm", data={"csrf_token": token})
    assert done.status_code == 302
    assert f'data-testid="confirm-mandate-{mandate_id}"' not in browser.get("/family/").text
    father_h = factories.token(client, father)
    assert client.get("/api/v1/me/mandates", headers=father_h).json["granted"][0]["status"] == (
        "active"
    )


def test_the_parent_can_revoke_it_instead(app, client, factories, admin):
    son = factories.citizen(full_name="李明")
    mandate_id = _record(client, factories, admin, son).json["id"]
    father = factories.account("citizen", email="zhang.fu@example.test")
    father_h = factories.token(client, father)
    client.get("/api/v1/me/mandates", headers=father_h)
    assert client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=father_h).status_code in (
        200,
        204,
    )
    son_h = factories.token(client, son)
    assert client.get("/api/v1/me", headers={**son_h, "Act-As": str(father.id)}).status_code == 404


def test_confirm_is_only_for_the_grantor(app, client, factories, admin):
    son = factories.citizen(full_name="李明")
    mandate_id = _record(client, factories, admin, son).json["id"]
    son_h = factories.token(client, son)
    other_h = factories.token(client, factories.citizen())
    for headers in (son_h, other_h):
        url = f"/api/v1/me/mandates/{mandate_id}/confirm"
        assert client.post(url, headers=headers).status_code == 404


def test_recorded_for_the_household_entry_then_attached_on_link(app, client, factories, admin):
    son = factories.citizen(full_name="李明")
    member_id = factories.member(son, "parent", "张母", date(1950, 3, 3))
    created = _record(
        client,
        factories,
        admin,
        son,
        grantor_member_id=member_id,
        grantor_name=None,
        grantor_email=None,
    )
    assert created.status_code == 201, created.json
    assert created.json["grantor_name"] == "张母"
    mother = factories.citizen(birth_date=date(1950, 3, 3), full_name="张母")
    son_h, mother_h = factories.token(client, son), factories.token(client, mother)
    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=mother_h).status_code == 200
    granted = client.get("/api/v1/me/mandates", headers=mother_h).json["granted"]
    assert [m["id"] for m in granted] == [created.json["id"]]


def test_bad_input_writes_nothing(app, client, factories, admin):
    from webapp.core.db import db
    from webapp.models import Mandate

    son = factories.citizen()
    stranger = factories.citizen()
    others_member = factories.member(stranger, "parent", "王父", date(1950, 1, 1))
    cases = [
        {"grantor_email": "not-an-address"},
        {"grantor_account_id": son.id, "grantor_email": None, "grantor_name": None},
        {"grantor_member_id": others_member, "grantor_email": None, "grantor_name": None},
        {"evidence": " "},
        {"grantor_account_id": son.id},  # two ways at once
    ]
    for extra in cases:
        response = _record(client, factories, admin, son, **extra)
        assert 400 <= response.status_code < 500, (extra, response.json)
    assert _record(client, factories, son, son).status_code == 403  # not an admin
    with app.app_context():
        assert db.session.scalars(select(Mandate)).all() == []


def test_admin_form_records_it_in_the_browser(app, client, factories, admin):
    son = factories.citizen(full_name="李明")
    browser = app.test_client()
    factories.login(browser, admin)
    form = browser.get("/family/admin/mandates")
    assert form.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    data = {
        "csrf_token": token,
        "grantor_name": "张父",
        "grantor_email": "zhang.fu@example.test",
        "grantee": str(son.id),
        "scopes": ["view"],
        "evidence": "户口簿",
        "purpose": "代为查看",
    }
    assert browser.post("/family/admin/mandates", data={**data, "grantee": "x"}).status_code == 422
    assert browser.post("/family/admin/mandates", data=data).status_code == 302
    son_h = factories.token(client, son)
    assert len(client.get("/api/v1/me/mandates", headers=son_h).json["received"]) == 1
    citizen = app.test_client()
    factories.login(citizen, son)
    assert citizen.get("/family/admin/mandates").status_code == 403
