"""The inbox and the reminder settings in the browser (no JavaScript) and in the API."""

from __future__ import annotations

from sqlalchemy import select

from tests.webapp.reminders.test_reminders import enable_email, make_duty, run_dispatch, run_sweep


def _deliver(app, account, **duty) -> int:
    from webapp.core.db import db
    from webapp.models import InboxItem

    make_duty(app, account, **duty)
    run_sweep(app)
    run_dispatch(app)
    with app.app_context(), db.transaction() as session:
        return session.scalars(
            select(InboxItem.id).where(InboxItem.account_id == account.id).order_by(InboxItem.id)
        ).all()[-1]


def test_inbox_page_lists_marks_read_and_shows_the_unread_count(app, factories, client):
    user = factories.account("citizen")
    item = _deliver(app, user)
    factories.login(client, user)
    html = client.get("/inbox").get_data(as_text=True)
    assert "护照换发" in html
    assert 'href="/me/duties#duty-' in html
    assert 'href="/services/passport_renewal"' in html
    assert '<span class="badge">1<span class="visually-hidden">' in html  # header count
    response = client.post(f"/inbox/{item}/read")
    assert response.status_code == 302
    html = client.get("/inbox").get_data(as_text=True)
    assert '<span class="badge">1<span class="visually-hidden">' not in html


def test_inbox_api_localised_and_mark_read(app, factories, client):
    user = factories.account("citizen", locale="en")
    item = _deliver(app, user)
    headers = factories.token(client, user)
    body = client.get("/api/v1/me/inbox", headers=headers).json
    assert body["unread"] == 1
    [entry] = body["items"]
    assert entry["id"] == item and entry["title"] == "Renew your passport"
    assert "It is due in 30 days" in entry["body"] and entry["read"] is False
    assert set(entry) == {"id", "title", "body", "duty_id", "created_at", "read"}
    read = client.post(f"/api/v1/me/inbox/{item}/read", headers=headers)
    assert read.status_code == 200 and read.json["read"] is True
    assert client.get("/api/v1/me/inbox", headers=headers).json["unread"] == 0


def test_another_users_inbox_item_is_404(app, factories, client):
    owner = factories.account("citizen")
    item = _deliver(app, owner)
    other = factories.account("citizen")
    headers = factories.token(client, other)
    assert client.post(f"/api/v1/me/inbox/{item}/read", headers=headers).status_code == 404
    assert client.get("/api/v1/me/inbox", headers=headers).json == {"unread": 0, "items": []}
    factories.login(client, other)
    assert client.post(f"/inbox/{item}/read").status_code == 404
    assert "护照换发" not in client.get("/inbox").get_data(as_text=True)


def test_inbox_needs_login(client):
    assert client.get("/inbox").status_code == 302
    assert client.get("/settings/notifications").status_code == 302
    assert client.get("/api/v1/me/inbox").status_code == 401
    assert client.get("/api/v1/me/notification-settings").status_code == 401


def test_widget_helpers_for_the_personal_page(app, factories):
    from webapp.core.db import db
    from webapp.reminders import latest, unread_count

    user = factories.account("citizen")
    first = _deliver(app, user)
    second = _deliver(app, user, rule="driver_license_renewal")
    with app.app_context(), db.transaction() as session:
        assert unread_count(session, user.id) == 2
        assert [i.id for i in latest(session, user.id, 1)] == [second]
        assert [i.id for i in latest(session, user.id, 5)] == [second, first]


def test_settings_page_saves_and_records_email_consent(app, factories, client):
    from webapp.core.db import db
    from webapp.privacy.consents import current_consents

    user = factories.account("citizen")
    factories.login(client, user)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert '<label for="f-email_enabled">' in page and 'name="csrf_token"' in page
    response = client.post(
        "/settings/notifications",
        data={
            "email_enabled": "on",
            "quiet_start": "21:30",
            "quiet_end": "07:00",
            "digest": "weekly",
            "weekly_email_budget": "3",
            "muted_rules": ["passport_renewal"],
        },
    )
    assert response.status_code == 302
    headers = factories.token(client, user)
    saved = client.get("/api/v1/me/notification-settings", headers=headers).json
    assert saved == {
        "email_enabled": True,
        "email_consent": True,
        "quiet_start": "21:30",
        "quiet_end": "07:00",
        "digest": "weekly",
        "weekly_email_budget": 3,
        "muted_rules": ["passport_renewal"],
    }
    with app.app_context(), db.transaction() as session:
        assert current_consents(session, user.id)["email_reminders"] is True


def test_settings_form_errors_are_shown_and_nothing_is_saved(app, factories, client):
    user = factories.account("citizen")
    factories.login(client, user)
    response = client.post(
        "/settings/notifications",
        data={"quiet_start": "25:99", "digest": "hourly", "weekly_email_budget": "-1"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    headers = factories.token(client, user)
    saved = client.get("/api/v1/me/notification-settings", headers=headers).json
    assert saved["quiet_start"] == "22:00" and saved["digest"] == "none"


def test_settings_api_validates(app, factories, client):
    user = factories.account("citizen")
    headers = factories.token(client, user)
    ok = client.put(
        "/api/v1/me/notification-settings",
        json={"email_enabled": False, "quiet_start": "23:00", "quiet_end": "06:30"},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json["quiet_end"] == "06:30"
    for bad in (
        {"email_enabled": True, "quiet_start": "7pm"},
        {"email_enabled": True, "muted_rules": ["no_such_rule"]},
        {"email_enabled": True, "weekly_email_budget": 1000},
        {"email_enabled": True, "calendar_token": "x"},
        {},
    ):
        response = client.put("/api/v1/me/notification-settings", json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.json["error"]["code"]


def test_unsubscribe_page_without_login_and_all_emails(app, factories, client):
    from flask import current_app

    from webapp.reminders.channels.email import unsubscribe_token

    user = factories.account("citizen")
    enable_email(app, user)
    with app.app_context():
        assert current_app
        token = unsubscribe_token(user, "*")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    headers = factories.token(client, user)
    assert (
        client.get("/api/v1/me/notification-settings", headers=headers).json["email_enabled"]
        is False
    )


def test_settings_page_says_when_consent_was_withdrawn(app, factories, client):
    from tests.webapp.reminders.test_reminders import consent

    user = factories.account("citizen")
    enable_email(app, user)
    consent(app, user, False)
    factories.login(client, user)
    html = client.get("/settings/notifications").get_data(as_text=True)
    assert 'role="status"' in html


def test_unsubscribe_tokens_expire_and_do_not_fit_a_later_account_with_the_same_id(
    app, factories, client
):
    """An old link must not point at a new person (ids can be reused after deletion)."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    from webapp.accounts.models import Account
    from webapp.core.db import db
    from webapp.reminders.channels.email import unsubscribe_token

    user = factories.account("citizen")
    with app.app_context():
        token = unsubscribe_token(user, "*")
        with db.transaction() as session:  # as if the id now belonged to someone newer
            session.get(Account, user.id).created_at = datetime.now(UTC) + timedelta(seconds=5)
    assert client.get(f"/unsubscribe/{token}").status_code == 404
    with app.app_context(), db.transaction() as session:
        fresh = session.get(Account, user.id)
        token = unsubscribe_token(fresh, "*")
    assert client.get(f"/unsubscribe/{token}").status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=200)):
        assert client.get(f"/unsubscribe/{token}").status_code == 404


def test_calendar_and_email_links_use_public_url_not_the_host_header(app, factories):
    user = factories.account("citizen")
    headers = factories.token(app.test_client(), user)
    response = app.test_client().get(
        "/api/v1/me/calendar", headers={**headers, "Host": "evil.example"}
    )
    assert response.status_code == 200
    assert response.json["url"].startswith(app.config["PUBLIC_URL"])
    assert "evil.example" not in response.json["url"]
