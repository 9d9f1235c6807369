"""The privacy centre: consents, personalisation off, my tags, access log, export, delete."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.core.db import db
from webapp.models import (
    AccessLog,
    Account,
    ApiToken,
    AuditEntry,
    CitizenProfile,
    Consent,
    Duty,
    HouseholdMember,
    InboxItem,
    Interaction,
    Notification,
    NotificationSettings,
    PinnedService,
    Service,
    TagPreference,
)
from webapp.privacy import services as privacy
from webapp.privacy.models import PURPOSES

ID_NUMBER = "11010519491231002X"


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _access(app, citizen, purpose="Checking a complaint (ticket 42)", what="profile"):
    """An admin's read of the citizen's data, as the admin console logs it."""
    with app.app_context(), db.transaction() as session:
        session.add(
            AccessLog(
                subject_account_id=citizen.id,
                actor_account_id=None,
                actor_label="Admin Wang",
                what=what,
                purpose=purpose,
            )
        )


# --- consents -------------------------------------------------------------------------------


def test_privacy_page_explains_each_purpose_with_one_button(citizen_client):
    page = citizen_client.get("/privacy/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for purpose in PURPOSES:
        assert f'action="/privacy/consents/{purpose}"' in html
        assert f'id="consent-{purpose}"' in html


def test_withdraw_and_give_consent_in_one_click_each_with_history(app, citizen_client, citizen):
    response = citizen_client.post(
        "/privacy/consents/personalized_recommendations", data={"granted": "0"}
    )
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            select(Consent)
            .where(
                Consent.account_id == citizen.id,
                Consent.purpose == "personalized_recommendations",
            )
            .order_by(Consent.id)
        ).all()
    assert [r.granted for r in rows] == [True, False]
    assert rows[-1].version and rows[-1].created_at
    citizen_client.post("/language", data={"locale": "en"})
    assert "Not personalised." in citizen_client.get("/privacy/").get_data(as_text=True)
    citizen_client.post("/privacy/consents/personalized_recommendations", data={"granted": "1"})
    assert _count(app, Consent, Consent.account_id == citizen.id) == 6


def test_unknown_purpose_is_404(citizen_client):
    assert (
        citizen_client.post("/privacy/consents/selling_data", data={"granted": "1"}).status_code
        == 404
    )


def test_consents_api_get_put_and_history(client, factories, citizen):
    headers = factories.token(client, citizen)
    got = client.get("/api/v1/me/consents", headers=headers)
    assert got.json == {
        "personalized_recommendations": True,
        "email_reminders": False,
        "household_data": True,
        "training_data": False,
    }
    put = client.put(
        "/api/v1/me/consents",
        json={"training_data": True, "household_data": False},
        headers=headers,
    )
    assert put.status_code == 200
    assert put.json["training_data"] is True and put.json["household_data"] is False
    assert put.json["personalized_recommendations"] is True
    history = client.get("/api/v1/me/consents/history", headers=headers).json["items"]
    assert {h["purpose"] for h in history[:2]} == {"training_data", "household_data"}
    assert all(h["version"] and h["at"] for h in history)


@pytest.mark.parametrize(
    "body", [{"training_data": "yes"}, {"selling": True}, {"training_data": 1}, []]
)
def test_consents_api_refuses_bad_input(client, factories, citizen, body):
    headers = factories.token(client, citizen)
    response = client.put("/api/v1/me/consents", json=body, headers=headers)
    assert response.status_code == 422
    assert "error" in response.json


def test_withdrawing_household_consent_keeps_the_core_service_working(
    app, citizen_client, factories, citizen
):
    factories.member(citizen, "child", "小明", date(2021, 5, 1))
    citizen_client.post("/privacy/consents/household_data", data={"granted": "0"})
    with app.app_context():
        open_household = db.session.scalar(
            select(func.count())
            .select_from(Duty)
            .where(
                Duty.owner_account_id == citizen.id,
                Duty.subject_kind == "household",
                Duty.status == "open",
            )
        )
    assert open_household == 0
    assert citizen_client.get("/settings/household").status_code == 200
    assert citizen_client.get("/services/").status_code == 200


# --- my tags ---------------------------------------------------------------------------------


def test_tags_in_words_with_source_and_switch_off(app, client, factories):
    citizen = factories.citizen()
    factories.member(citizen, "child", "小明", date(2021, 5, 1))
    headers = factories.token(client, citizen)
    got = client.get("/api/v1/me/tags", headers=headers).json
    assert got["personalized"] is True
    keys = {t["key"]: t for t in got["items"]}
    child = next(k for k in keys if k.startswith("child:"))
    assert keys[child]["source"] == "household" and keys[child]["text"]
    assert any(k.startswith("age:") for k in keys)
    put = client.put(f"/api/v1/me/tags/{child}", json={"enabled": False}, headers=headers)
    assert put.status_code == 200 and put.json["enabled"] is False
    after = {t["key"]: t for t in client.get("/api/v1/me/tags", headers=headers).json["items"]}
    assert after[child]["enabled"] is False
    from webapp.recommend import context as rec_context

    with app.app_context():
        acc = db.session.get(Account, citizen.id)
        ctx = rec_context.citizen_context(db.session, acc, date.today())
        assert child not in ctx.feature_keys()
        assert ctx.effective().child_ages == ()


def test_tag_that_is_not_mine_is_404(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.put("/api/v1/me/tags/child:0-6", json={"enabled": False}, headers=headers)
    assert response.status_code == 404
    assert _count(client.application, TagPreference) == 0


def test_tags_page_switches_a_tag_off_without_javascript(app, citizen_client, citizen):
    page = citizen_client.get("/privacy/tags")
    assert page.status_code == 200
    key = next(t["key"] for t in client_tags(app, citizen) if t["key"].startswith("age:"))
    response = citizen_client.post("/privacy/tags", data={"key": key, "enabled": "0"})
    assert response.status_code == 302
    assert _count(app, TagPreference, TagPreference.enabled.is_(False)) == 1
    assert (
        citizen_client.post("/privacy/tags", data={"key": "nope", "enabled": "0"}).status_code
        == 404
    )


def client_tags(app, citizen):
    from webapp.recommend import tags

    with app.app_context():
        return tags.my_tags(db.session, db.session.get(Account, citizen.id), date.today())


# --- who looked at my data --------------------------------------------------------------------


def test_access_log_shows_who_when_what_and_purpose(
    app, citizen_client, citizen, client, factories
):
    _access(app, citizen)
    page = citizen_client.get("/privacy/access-log").get_data(as_text=True)
    assert "Admin Wang" in page and "Checking a complaint (ticket 42)" in page
    headers = factories.token(client, citizen)
    items = client.get("/api/v1/me/access-log", headers=headers).json["items"]
    assert items[0]["who"] == "Admin Wang" and items[0]["what"] == "profile"
    assert items[0]["purpose"] == "Checking a complaint (ticket 42)" and items[0]["when"]


def test_another_users_access_log_is_not_shown(app, factories, client):
    one, two = factories.citizen(), factories.citizen()
    _access(app, one)
    headers = factories.token(client, two)
    assert client.get("/api/v1/me/access-log", headers=headers).json["items"] == []
    browser = app.test_client()
    factories.login(browser, two)
    assert "Admin Wang" not in browser.get("/privacy/access-log").get_data(as_text=True)


# --- export -----------------------------------------------------------------------------------


def _heavy_citizen(app, factories):
    citizen = factories.citizen(
        id_number=ID_NUMBER,
        birth_date=date(1949, 12, 31),
        gender="female",
        retirement_category="female_worker",
        full_name="王芳",
    )
    factories.member(citizen, "child", "小明", date(1980, 5, 1))
    with app.app_context(), db.transaction() as session:
        service = session.scalars(select(Service).order_by(Service.id)).first()
        session.add(Interaction(account_id=citizen.id, service_id=service.id, kind="view"))
        session.add(PinnedService(account_id=citizen.id, service_id=service.id))
        session.add(NotificationSettings(account_id=citizen.id, calendar_token="cal-secret-token"))
        session.add(InboxItem(account_id=citizen.id, title={"en": "Due"}, body={"en": "Soon"}))
        session.add(TagPreference(account_id=citizen.id, tag_key="gender:female", enabled=False))
    _access(app, citizen)
    return citizen


SECTIONS = (
    "account",
    "profile",
    "household",
    "enterprises",
    "duties",
    "interactions",
    "notifications",
    "inbox",
    "consents",
    "tags",
    "tag_preferences",
    "page",
    "access_log",
)


def test_export_downloads_readable_json_with_every_section(app, factories):
    citizen = _heavy_citizen(app, factories)
    browser = app.test_client()
    factories.login(browser, citizen)
    response = browser.get("/privacy/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    for section in SECTIONS:
        assert section in data
    assert data["account"]["email"] == citizen.email
    assert data["profile"]["id_number"] == ID_NUMBER  # the owner's own data, decrypted
    assert data["profile"]["full_name"] == "王芳"
    assert data["household"][0]["name"] == "小明"
    assert data["interactions"][0]["kind"] == "view"
    assert data["inbox"][0]["title"] == {"en": "Due"}
    assert data["page"]["pinned"]
    assert data["consents"]["current"]["personalized_recommendations"] is True
    assert len(data["consents"]["history"]) == 4
    assert {"tag_key": "gender:female", "enabled": False}.items() <= data["tag_preferences"][
        0
    ].items()
    assert data["access_log"][0]["purpose"] == "Checking a complaint (ticket 42)"
    assert "cal-secret-token" not in response.get_data(as_text=True)
    assert "password_hash" not in data["account"]


def test_export_api_is_the_callers_data_only(app, factories, client):
    one = _heavy_citizen(app, factories)
    two = factories.citizen()
    headers = factories.token(client, two)
    data = client.get("/api/v1/me/export", headers=headers).json
    assert data["account"]["email"] == two.email
    assert data["access_log"] == [] and data["interactions"] == []
    assert one.email not in json.dumps(data)
    download = client.get("/api/v1/me/export?download=true", headers=headers)
    assert "attachment" in download.headers["Content-Disposition"]


def test_export_of_a_business_user_lists_memberships(client, factories, business):
    headers = factories.token(client, business)
    data = client.get("/api/v1/me/export", headers=headers).json
    assert data["enterprises"][0]["credit_code"] == business.credit_code
    assert data["profile"] is None


# --- delete -----------------------------------------------------------------------------------


def test_delete_needs_the_password(app, factories, client):
    citizen = factories.citizen()
    headers = factories.token(client, citizen)
    response = client.delete("/api/v1/me", json={"password": "not-my-password"}, headers=headers)
    assert response.status_code == 403
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    browser = app.test_client()
    factories.login(browser, citizen)
    page = browser.post("/privacy/delete", data={"confirm": "yes", "password": "wrong-one!!"})
    assert page.status_code == 422
    nobox = browser.post("/privacy/delete", data={"password": citizen.password})
    assert nobox.status_code == 422
    assert _count(app, Account, Account.id == citizen.id) == 1


def test_delete_erases_personal_data_and_keeps_a_pseudonymous_audit_trail(app, factories, client):
    citizen = _heavy_citizen(app, factories)
    other = factories.citizen()
    other_member = factories.member(other, "child", "小红", date(2020, 1, 1))
    headers = factories.token(client, citizen)
    with app.app_context(), db.transaction() as session:
        session.add(
            AuditEntry(
                actor="admin-0000000000",
                action="citizen.view",
                target_type="citizen",
                target_id=str(citizen.id),
                after={"email": citizen.email, "name": "王芳"},
            )
        )
        duty = session.scalars(select(Duty).where(Duty.owner_account_id == citizen.id)).first()
        if duty is not None:
            session.add(
                Notification(
                    duty_id=duty.id,
                    account_id=citizen.id,
                    channel="email",
                    lead="7",
                    status="pending",
                )
            )
    browser = app.test_client()
    factories.login(browser, citizen)
    response = browser.post(
        "/privacy/delete", data={"confirm": "yes", "password": citizen.password}
    )
    assert response.status_code == 302
    # session, token and calendar feed no longer work
    assert browser.get("/privacy/").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    feed = app.test_client().get("/calendar/cal-secret-token.ics")
    assert feed.status_code == 404
    # nothing personal left
    for model, column in (
        (Account, Account.id),
        (CitizenProfile, CitizenProfile.account_id),
        (HouseholdMember, HouseholdMember.account_id),
        (Interaction, Interaction.account_id),
        (TagPreference, TagPreference.account_id),
        (Consent, Consent.account_id),
        (PinnedService, PinnedService.account_id),
        (InboxItem, InboxItem.account_id),
        (Notification, Notification.account_id),
        (NotificationSettings, NotificationSettings.account_id),
        (ApiToken, ApiToken.account_id),
        (Duty, Duty.owner_account_id),
        (AccessLog, AccessLog.subject_account_id),
    ):
        assert _count(app, model, column == citizen.id) == 0, model.__name__
    # the audit trail stays, with the pseudonym only
    with app.app_context():
        pseudo = privacy.pseudonym(citizen.id)
        trail = db.session.scalars(select(AuditEntry)).all()
        dump = json.dumps(
            [[e.actor, e.target_id, e.before, e.after] for e in trail], ensure_ascii=False
        )
    assert pseudo in dump
    assert citizen.email not in dump and "王芳" not in dump and ID_NUMBER not in dump
    assert {e.action for e in trail} >= {"account.deleted", "personal_data.read", "citizen.view"}
    # others untouched; the e-mail is free again
    assert _count(app, HouseholdMember, HouseholdMember.id == other_member) == 1
    again = app.test_client().post(
        "/api/v1/accounts", json={"email": citizen.email, "password": "a-brand-new-phrase"}
    )
    assert again.status_code == 201


def test_delete_by_api_keeps_the_enterprise(app, factories, client, business):
    headers = factories.token(client, business)
    response = client.delete("/api/v1/me", json={"password": business.password}, headers=headers)
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    from webapp.models import Enterprise

    assert _count(app, Enterprise, Enterprise.credit_code == business.credit_code) == 1


def test_delete_refuses_unknown_fields(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.delete(
        "/api/v1/me", json={"password": citizen.password, "role": "admin"}, headers=headers
    )
    assert response.status_code == 422
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_privacy_centre_is_linked_from_the_header_and_settings(citizen_client):
    settings = citizen_client.get("/settings/").get_data(as_text=True)
    assert settings.count('href="/privacy/"') >= 2  # header and the settings list


def test_withdrawing_every_consent_blocks_no_core_service(app, client, factories):
    citizen = factories.citizen()
    factories.member(citizen, "child", "小明", date(2021, 5, 1))
    headers = factories.token(client, citizen)
    response = client.put(
        "/api/v1/me/consents", json=dict.fromkeys(PURPOSES, False), headers=headers
    )
    assert response.json == dict.fromkeys(PURPOSES, False)
    browser = app.test_client()
    factories.login(browser, citizen)
    for path in ("/me/", "/me/duties/", "/inbox", "/services/", "/settings/profile", "/privacy/"):
        assert browser.get(path).status_code == 200, path
    for path in (
        "/api/v1/me",
        "/api/v1/me/duties",
        "/api/v1/me/recommendations",
        "/api/v1/me/page",
    ):
        assert client.get(path, headers=headers).status_code == 200, path
    assert client.get("/api/v1/me/recommendations", headers=headers).json["personalized"] is False


def test_why_for_an_unknown_service_is_404(citizen_client):
    assert citizen_client.get("/privacy/why/no_such_service").status_code == 404
    assert citizen_client.get("/privacy/why/child_immunization").status_code == 200
