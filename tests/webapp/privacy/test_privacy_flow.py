"""The issue's "done when", tried as a new user would, through the browser and the API."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from webapp.core.clock import local_today
from webapp.core.db import db
from webapp.models import AuditEntry, Interaction, RuleVersion, Service, utcnow

PASSWORD = "a-long-pass-phrase"
CHILD_RULE = {
    "id": 7,
    "name": "Childcare subsidy for parents of young children",
    "enabled": True,
    "action": "boost",
    "weight": 5.0,
    "targets": {"services": ["childcare_subsidy"]},
    "segment": {"child_age_min": 0, "child_age_max": 6},
}


@pytest.fixture
def child_rule(app):
    """An admin rule published for parents of a child aged 0–6."""
    from webapp.recommend import recommendations

    recommendations.reset_caches()
    with app.app_context(), db.transaction() as session:
        session.add(RuleVersion(version=1, rules=[CHILD_RULE], blend_params={}, is_current=True))
    yield
    recommendations.reset_caches()


def _sign_up(client, email):
    response = client.post("/signup", data={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    from tests.factories import mailed_link

    assert client.get(mailed_link(client.application, email, "/verify/")).status_code == 302
    client.post("/language", data={"locale": "en"})
    response = client.post(
        "/settings/profile",
        data={
            "full_name": "林晓红",
            "birth_date": "1990-03-01",
            "gender": "female",
            "region_code": "440106",
            "retirement_category": "female_worker",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    response = client.post(
        "/settings/household",
        data={
            "relation": "child",
            "name": "林小宝",
            # under 3, so the childcare subsidy (《育儿补贴制度实施方案》) applies
            "birth_date": (local_today() - timedelta(days=400)).isoformat(),
            "gender": "male",
            "guardian_consent": "on",
        },
    )
    assert response.status_code == 302


def _codes(api, headers):
    got = api.get("/api/v1/me/recommendations?limit=10", headers=headers)
    assert got.status_code == 200
    return got.json["personalized"], [i["service_code"] for i in got.json["items"]]


def test_done_when(app, factories, admin, child_rule):
    browser, api = app.test_client(), app.test_client()
    email = "lin.xiaohong@example.test"
    _sign_up(browser, email)
    token = api.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}

    # Personalised, with the rule for parents of young children.
    personalized, codes = _codes(api, headers)
    assert personalized is True and "childcare_subsidy" in codes
    assert "Not personalised" not in browser.get("/me/").get_data(as_text=True)
    why = browser.get("/privacy/why/childcare_subsidy").get_data(as_text=True)
    assert "not currently recommended" not in why
    assert "Childcare subsidy for parents" in why or "rule" in why.lower() or "#7" in why

    # Switch off "has a child aged 0–6": those recommendations go at once.
    tags = api.get("/api/v1/me/tags", headers=headers).json["items"]
    child = next(t for t in tags if t["key"].startswith("child:"))
    assert child["source"] == "household"
    assert (
        browser.post("/privacy/tags", data={"key": child["key"], "enabled": "0"}).status_code == 302
    )
    personalized, codes = _codes(api, headers)
    assert personalized is True and "childcare_subsidy" not in codes
    why = browser.get("/privacy/why/childcare_subsidy").get_data(as_text=True)
    assert "not currently recommended" in why
    assert api.put(f"/api/v1/me/tags/{child['key']}", json={"enabled": True}, headers=headers).json[
        "enabled"
    ]
    assert "childcare_subsidy" in _codes(api, headers)[1]

    # Switch personalisation off: the page and the API say so at once, and why.
    browser.post("/privacy/consents/personalized_recommendations", data={"granted": "0"})
    personalized, codes = _codes(api, headers)
    assert personalized is False and "childcare_subsidy" not in codes
    assert "Not personalised." in browser.get("/privacy/").get_data(as_text=True)
    why = browser.get("/privacy/why/childcare_subsidy").get_data(as_text=True)
    assert "Not personalised." in why and "not currently recommended" in why
    assert api.get("/api/v1/me/tags", headers=headers).json["personalized"] is False
    page = browser.get("/me/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Not personalised" in html and "Services most used in general" in html
    assert ">Recommended for you<" not in html  # the heading tells the truth
    tags = browser.get("/privacy/tags").get_data(as_text=True)
    assert "Not now: personalised recommendations are off" in tags
    assert "<td>Yes</td>" not in tags
    api.put("/api/v1/me/consents", json={"personalized_recommendations": True}, headers=headers)
    assert _codes(api, headers)[0] is True

    # The admin opens the citizen's profile, stating a purpose; the citizen sees it.
    citizen_id = api.get("/api/v1/me", headers=headers).json["account"]["id"]
    console = app.test_client()
    factories.login(console, admin)
    read = console.post(
        f"/admin/citizens/{citizen_id}",
        data={"what": "profile", "purpose": "Complaint 2026-118: checking the address"},
    )
    assert read.status_code == 200
    log = browser.get("/privacy/access-log").get_data(as_text=True)
    assert "Complaint 2026-118: checking the address" in log
    items = api.get("/api/v1/me/access-log", headers=headers).json["items"]
    assert items[0]["what"] == "profile" and items[0]["purpose"].startswith("Complaint 2026-118")

    # Export the data and read it.
    export = browser.get("/privacy/export")
    assert "attachment" in export.headers["Content-Disposition"]
    data = json.loads(export.data)
    assert data["account"]["email"] == email
    assert data["profile"]["full_name"] == "林晓红"
    assert data["household"][0]["name"] == "林小宝"
    assert data["access_log"][0]["purpose"].startswith("Complaint 2026-118")
    assert [h["purpose"] for h in data["consents"]["history"]].count(
        "personalized_recommendations"
    ) == 3
    assert any(t["key"] == child["key"] for t in data["tags"])

    # Delete the account: token, calendar feed and session stop working; only the
    # pseudonymous audit trail is left.
    feed = browser.get("/settings/notifications")
    assert feed.status_code == 200
    calendar = api.get("/api/v1/me/calendar", headers=headers).json["url"]
    feed_path = "/" + calendar.split("://", 1)[1].split("/", 1)[1]
    assert app.test_client().get(feed_path).status_code == 200
    gone = browser.post("/privacy/delete", data={"confirm": "yes", "password": PASSWORD})
    assert gone.status_code == 302
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert app.test_client().get(feed_path).status_code == 404
    assert browser.get("/privacy/").status_code == 302
    with app.app_context():
        trail = db.session.scalars(select(AuditEntry)).all()
        text = json.dumps(
            [[e.actor, e.action, e.target_id, e.before, e.after] for e in trail],
            ensure_ascii=False,
        )
        assert email not in text and "林晓红" not in text and "林小宝" not in text
        assert str(citizen_id) not in [e.target_id for e in trail]
        assert {"account.deleted", "personal_data.read"} <= {e.action for e in trail}


def test_training_leaves_out_withdrawn_consent_and_switched_off_tags(app, factories, client):
    training = pytest.importorskip("webapp.recommend.training")
    keep, leave, tagged = factories.citizen(), factories.citizen(), factories.citizen()
    factories.member(tagged, "child", "小明", date(2022, 5, 1))
    with app.app_context(), db.transaction() as session:
        service_id = session.scalar(select(Service.id).order_by(Service.id).limit(1))
        for account in (keep, leave, tagged):
            session.add(
                Interaction(
                    account_id=account.id, service_id=service_id, kind="view", created_at=utcnow()
                )
            )
    for account in (keep, tagged):
        client.put(
            "/api/v1/me/consents",
            json={"training_data": True},
            headers=factories.token(client, account),
        )
    headers = factories.token(client, tagged)
    child = next(
        t["key"]
        for t in client.get("/api/v1/me/tags", headers=headers).json["items"]
        if t["key"].startswith("child:")
    )
    client.put(f"/api/v1/me/tags/{child}", json={"enabled": False}, headers=headers)
    with app.app_context():
        inter, users, *_rest, excluded = training.load_training_data(db.session, date.today())
        features = users.as_mapping()
        assert excluded == 1
        assert f"a{leave.id}" not in features and f"a{keep.id}" in features
        assert child not in features[f"a{tagged.id}"]
        total = db.session.scalar(select(func.count()).select_from(Interaction))
        assert total == 3
