"""API tokens (sliding expiry, last use, listing, revoking), account ids never reused, and
pseudonyms keyed with a secret."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from webapp.core.db import db
from webapp.core.model_base import utcnow


def _token_row(app):
    from webapp.models import ApiToken

    with app.app_context():
        return db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))


def test_use_writes_last_used_at(app, client, factories, citizen):
    headers = factories.token(client, citizen)
    assert _token_row(app).last_used_at is None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _token_row(app).last_used_at is not None


def test_token_expires_after_idle_days_and_use_slides_it(app, client, factories, citizen):
    from webapp.models import ApiToken

    headers = factories.token(client, citizen)
    idle = timedelta(days=app.config["API_TOKEN_IDLE_DAYS"])
    with app.app_context(), db.transaction() as session:
        row = session.scalar(select(ApiToken))
        row.created_at = utcnow() - idle + timedelta(hours=1)  # one hour left
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    # The use moved the expiry a full period ahead of now.
    listed = client.get("/api/v1/tokens", headers=headers).json["items"]
    assert listed[0]["current"] is True
    with app.app_context(), db.transaction() as session:
        row = session.scalar(select(ApiToken))
        assert row.last_used_at + idle > utcnow() + idle - timedelta(minutes=5)
        row.last_used_at = utcnow() - idle - timedelta(seconds=1)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_list_and_revoke_tokens_through_the_api(client, factories, citizen):
    first = factories.token(client, citizen)
    second = factories.token(client, citizen)
    items = client.get("/api/v1/tokens", headers=first).json["items"]
    assert len(items) == 2 and "token" not in items[0] and "token_hash" not in items[0]
    other_id = next(i["id"] for i in items if not i["current"])
    # Someone else cannot revoke it.
    stranger = factories.token(client, factories.citizen())
    assert client.delete(f"/api/v1/tokens/{other_id}", headers=stranger).status_code == 404
    assert client.get("/api/v1/me", headers=second).status_code == 200
    assert client.delete(f"/api/v1/tokens/{other_id}", headers=first).status_code == 204
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert [i["current"] for i in client.get("/api/v1/tokens", headers=first).json["items"]] == [
        True
    ]


def test_tokens_settings_page_lists_creates_and_revokes(app, client, factories, citizen):
    headers = factories.token(client, citizen)
    browser = app.test_client()
    factories.login(browser, citizen)
    page = browser.get("/settings/tokens")
    assert page.status_code == 200 and "API" in page.get_data(as_text=True)
    made = browser.post("/settings/tokens")
    assert made.status_code == 302
    html = browser.get("/settings/tokens").get_data(as_text=True)
    new = html.split("<code>")[1].split("</code>")[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    token_id = _token_row(app).id
    stranger = app.test_client()
    factories.login(stranger, factories.citizen())
    assert stranger.post(f"/settings/tokens/{token_id}/revoke").status_code == 404
    assert browser.post(f"/settings/tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"}).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_account_ids_are_never_reused(app, factories):
    from webapp.models import Account

    first = factories.account()
    with app.app_context(), db.transaction() as session:
        session.delete(session.get(Account, first.id))
    second = factories.account()
    assert second.id > first.id


def test_pseudonyms_are_keyed(app):
    from webapp.core import audit
    from webapp.privacy import services as privacy

    with app.app_context():
        admin_p, deleted_p = audit.pseudonym(7), privacy.pseudonym(7)
        old = app.config["PSEUDONYM_KEY"]
        try:
            app.config["PSEUDONYM_KEY"] = "another-key"
            assert audit.pseudonym(7) != admin_p and privacy.pseudonym(7) != deleted_p
        finally:
            app.config["PSEUDONYM_KEY"] = old
    # Not the plain hash of the id anyone could compute.
    assert deleted_p != "deleted-" + hashlib.sha256(b"7").hexdigest()[:10]
    plain = hashlib.sha256(b"lifepage-admin:7").hexdigest()[:10]
    assert admin_p.startswith("admin-") and admin_p != f"admin-{plain}"
