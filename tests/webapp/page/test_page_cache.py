"""The cached page model: a second view is served from the cache; every change that the
page shows rebuilds it at the next view (profile, household, duty status, rules publish,
model activation, catalog, consents, pins and hides, layout)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.core.clock import local_today


@pytest.fixture
def viewer(app, factories):
    account = factories.citizen()
    factories.member(account, "child", "小明", local_today() - timedelta(days=5 * 365 + 100))
    client = app.test_client()
    factories.login(client, account)
    return client, account


def _misses(app) -> int:
    with app.app_context():
        from webapp.page.page_model import page_cache

        return page_cache().misses


def _rebuilt_after(app, client, change) -> bool:
    """Whether the page is rebuilt at the view after ``change`` (and not before it)."""
    assert client.get("/me/").status_code == 200
    before = _misses(app)
    assert client.get("/me/").status_code == 200
    assert _misses(app) == before, "an unchanged page is served from the cache"
    change()
    html = client.get("/me/").get_data(as_text=True)
    assert "<h1" in html
    return _misses(app) == before + 1


def test_profile_change_rebuilds_the_page(app, viewer):
    from webapp.core.db import db
    from webapp.models import CitizenProfile

    client, account = viewer

    def change():
        with app.app_context(), db.transaction() as s:
            s.get(CitizenProfile, account.id).employment = "retired"

    assert _rebuilt_after(app, client, change)


def test_household_change_rebuilds_the_page(app, factories, viewer):
    client, account = viewer
    assert _rebuilt_after(
        app, client, lambda: factories.member(account, "parent", "老王", date(1950, 1, 1))
    )
    assert "老王" in client.get("/me/").get_data(as_text=True)


def test_duty_status_change_rebuilds_the_page(app, viewer):
    from webapp.core.db import db
    from webapp.models import Duty

    client, account = viewer
    with app.app_context():
        duty_id = db.session.scalar(
            select(Duty.id).where(Duty.owner_account_id == account.id, Duty.status == "open")
        )
    assert duty_id is not None

    def change():
        assert client.post(f"/me/duties/{duty_id}/done").status_code == 302

    assert _rebuilt_after(app, client, change)


def test_rules_publish_rebuilds_the_page(app, admin, viewer):
    from webapp.admin import rules_admin
    from webapp.core.db import db

    client, _account = viewer

    def change():
        with app.app_context(), db.transaction() as s:
            rules_admin.publish(s, admin.id, "new rules")

    assert _rebuilt_after(app, client, change)


def test_model_activation_rebuilds_the_page(app, viewer):
    from webapp.core.db import db
    from webapp.models import ModelVersion
    from webapp.recommend import activate

    client, _account = viewer
    with app.app_context(), db.transaction() as s:
        row = ModelVersion(version="v-cache", path="/nonexistent", status="inactive")
        s.add(row)
        s.flush()
        version_id = row.id

    def change():
        with app.app_context(), db.transaction() as s:
            activate(s, version_id, "test")

    assert _rebuilt_after(app, client, change)


def test_catalog_change_rebuilds_the_page(app, viewer):
    from webapp.core.db import db
    from webapp.models import Service

    client, _account = viewer

    def change():
        with app.app_context(), db.transaction() as s:
            svc = s.scalar(select(Service).where(Service.code == "passport_renewal"))
            svc.name = {**svc.name, "en": "Passport renewal (new)"}

    assert _rebuilt_after(app, client, change)


def test_consent_change_rebuilds_the_page(app, viewer):
    from webapp.core.db import db
    from webapp.privacy.consents import set_consents

    client, account = viewer

    def change():
        with app.app_context(), db.transaction() as s:
            set_consents(s, account.id, {"personalized_recommendations": False})

    assert _rebuilt_after(app, client, change)


def test_pin_unpin_and_layout_rebuild_the_page(app, viewer):
    client, _account = viewer
    pin = {"service_code": "passport_renewal"}
    assert _rebuilt_after(app, client, lambda: client.post("/me/pins", data=pin))
    assert _rebuilt_after(
        app, client, lambda: client.post("/me/pins", data={**pin, "action": "unpin"})
    )
    hide = {"key": "bundles", "visible": "0"}
    assert _rebuilt_after(app, client, lambda: client.post("/me/layout/visibility", data=hide))


def test_inbox_delivery_and_reading_rebuild_the_page(app, viewer):
    from tests.webapp.reminders.test_reminders_web import _deliver

    client, account = viewer
    assert _rebuilt_after(app, client, lambda: _deliver(app, account))

    def read_all():
        assert client.post("/inbox/read-all").status_code in (302, 303)

    assert _rebuilt_after(app, client, read_all)


def test_viewing_a_service_updates_recent_activity_without_rebuilding_the_model(app, viewer):
    client, _account = viewer
    client.get("/me/")
    client.get("/me/")
    before = _misses(app)
    assert client.get("/services/passport_renewal").status_code == 200
    html = client.get("/me/").get_data(as_text=True)
    recent = html[html.index('id="widget-recent"') :]
    assert "/services/passport_renewal?src=page" in recent
    assert _misses(app) == before  # the page model (ranking, stage, …) was kept


def test_stated_facts_rebuild_the_page(app, viewer):
    """The eligibility gate and the entitlement signal of the cached recommendations read
    the stated facts: a fact about the person or a household member, stated or cleared,
    rebuilds the page (directly in the fact store, without the subject-changed signal)."""
    from webapp.core.db import db
    from webapp.entitlements import facts as fact_store
    from webapp.models import HouseholdMember

    client, account = viewer
    with app.app_context():
        member_id = db.session.scalar(
            select(HouseholdMember.id).where(HouseholdMember.account_id == account.id)
        )
    today = local_today()

    def state(subject: str, key: str, value):
        def change():
            with app.app_context(), db.transaction() as s:
                fact_store.save(s, subject, key, value, today, by_account=account.id)

        return change

    def clear(subject: str, key: str):
        def change():
            with app.app_context(), db.transaction() as s:
                assert fact_store.clear(s, subject, key)

        return change

    assert _rebuilt_after(app, client, state(f"self:{account.id}", "only_child", True))
    assert _rebuilt_after(app, client, clear(f"self:{account.id}", "only_child"))
    assert _rebuilt_after(app, client, state(f"household:{member_id}", "only_child", True))


def test_a_new_sign_in_gets_forms_it_can_submit(request, tmp_path, app, factories):
    """With CSRF on: a second sign-in (another device, or after signing out) must not be
    served the first session's cached page, whose forms carry the first session's token."""
    import re

    from webapp import create_app

    strict = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path),
            "RATELIMIT_ENABLED": False,
        }
    )
    request.addfinalizer(strict.extensions["db_engine"].dispose)
    account = factories.citizen()

    def sign_in():
        client = strict.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={"email": account.email, "password": account.password, "csrf_token": token},
        )
        assert response.status_code == 302
        return client

    first = sign_in()
    assert first.get("/me/").status_code == 200  # the page is now cached
    second = sign_in()
    page = second.get("/me/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = second.post("/language", data={"locale": "en", "next": "/me/", "csrf_token": token})
    assert response.status_code == 302, "the language form on the page is accepted"
    assert 'lang="en"' in second.get("/me/").get_data(as_text=True)
