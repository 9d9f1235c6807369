"""A citizen records that a household member has died (《户口登记条例》第八条)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

TODAY = date(2026, 11, 30)
DIED = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


@pytest.fixture
def family(factories):
    """A citizen and a spouse (born 1968, with resident medical insurance duties of her own)."""
    account = factories.citizen()
    spouse = factories.member(account, "spouse", "李华", date(1968, 3, 2), gender="female")
    return account, spouse


def _duties(client, headers) -> dict:
    response = client.get("/api/v1/me/duties?status=all&lang=zh_Hans", headers=headers)
    assert response.status_code == 200, response.json
    return {
        (d["rule"], d["occurrence"]): d
        for d in response.json["items"]
        if d["subject"]["kind"] == "household"
    }


def _queue_reminder(app, account, member_id, rule) -> int:
    from webapp.core.db import db
    from webapp.duties.models import Duty
    from webapp.models import Notification

    with app.app_context():
        duty = db.session.scalar(
            select(Duty).where(
                Duty.subject_kind == "household", Duty.subject_id == member_id, Duty.rule == rule
            )
        )
        row = Notification(
            duty_id=duty.id, account_id=account.id, channel="inbox", lead="window",
            status="pending", next_attempt_at=datetime(2026, 11, 30, tzinfo=UTC),
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()
        return row.id


def _status(app, notification_id) -> str:
    from webapp.core.db import db
    from webapp.models import Notification

    with app.app_context():
        return db.session.get(Notification, notification_id).status


def test_recording_a_death_via_api_closes_duties_and_opens_death_registration_art_8(
    app, factories, family
):
    """《户口登记条例》第八条: the death registration appears, due within a month."""
    account, spouse = family
    client = app.test_client()
    headers = factories.token(client, account)
    before = _duties(client, headers)
    assert ("resident_medical_insurance", "2027") in before
    queued = _queue_reminder(app, account, spouse, "resident_medical_insurance")

    response = client.put(
        f"/api/v1/me/household/{spouse}/death", json={"deceased_on": DIED.isoformat()},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 200, response.json
    assert response.json["deceased_on"] == DIED.isoformat()
    assert response.json["bundle"] == "bundle_death"

    after = _duties(client, headers)
    assert list(after) == [("death_registration", "death")]
    death = after[("death_registration", "death")]
    assert death["due_date"] == "2026-12-21"  # one month: 20 December is a Sunday
    assert death["legal_basis"].endswith("第八条") and death["status"] == "open"
    assert _status(app, queued) == "cancelled"  # no more reminders about her
    # Kept for the family's history, with the bundle to follow.
    [member] = client.get("/api/v1/me/household", headers=headers).json["items"]
    assert member["id"] == spouse and member["deceased_on"] == DIED.isoformat()
    assert client.get("/services/bundles/bundle_death").status_code == 200
    # The personal page offers the 身后一件事 bundle.
    page = client.get("/api/v1/me/page", headers=headers).json
    [bundles] = [w for w in page["widgets"] if w["key"] == "bundles"]
    assert "bundle_death" in [b["code"] for b in bundles["content"]["items"]]


def test_undo_brings_the_duties_back(app, factories, family):
    account, spouse = family
    client = app.test_client()
    headers = factories.token(client, account)
    url = f"/api/v1/me/household/{spouse}/death"
    client.put(url, json={"deceased_on": DIED.isoformat()}, headers=headers)
    response = client.delete(url, headers=headers)
    assert response.status_code == 200 and response.json["deceased_on"] is None
    after = _duties(client, headers)
    assert ("resident_medical_insurance", "2027") in after and (
        "death_registration",
        "death",
    ) not in after


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deceased_on": "2026-12-01"}, "deceased_on"),  # future
        ({"deceased_on": "1960-01-01"}, "deceased_on"),  # before birth
        ({"deceased_on": "not a date"}, "deceased_on"),
        ({}, "deceased_on"),
    ],
)
def test_bad_date_is_refused_and_nothing_written(app, factories, family, body, field):
    account, spouse = family
    client = app.test_client()
    headers = factories.token(client, account)
    response = client.put(f"/api/v1/me/household/{spouse}/death", json=body, headers=headers)
    assert response.status_code in (400, 422), response.json
    assert field in str(response.json)
    [member] = client.get("/api/v1/me/household", headers=headers).json["items"]
    assert member["deceased_on"] is None


def test_another_user_cannot_record_a_death_in_my_household(app, factories, family):
    account, spouse = family
    stranger = factories.citizen()
    client = app.test_client()
    headers = factories.token(client, stranger)
    url = f"/api/v1/me/household/{spouse}/death"
    assert (
        client.put(url, json={"deceased_on": DIED.isoformat()}, headers=headers).status_code == 404
    )
    assert client.delete(url, headers=headers).status_code == 404
    other = app.test_client()
    factories.login(other, stranger)
    assert (
        other.post(
            f"/settings/household/{spouse}/death", data={"deceased_on": DIED.isoformat()}
        ).status_code
        == 404
    )
    assert other.post(f"/settings/household/{spouse}/death/undo").status_code == 404
    owner = factories.token(client, account)
    [member] = client.get("/api/v1/me/household", headers=owner).json["items"]
    assert member["deceased_on"] is None


def test_recording_a_death_in_the_html_household_page(app, factories, family):
    account, spouse = family
    client = app.test_client()
    factories.login(client, account)
    page = client.get(f"/settings/household/{spouse}").get_data(as_text=True)
    assert f"/settings/household/{spouse}/death" in page
    bad = client.post(f"/settings/household/{spouse}/death", data={"deceased_on": "2030-01-01"})
    assert bad.status_code == 422
    response = client.post(
        f"/settings/household/{spouse}/death", data={"deceased_on": DIED.isoformat()}
    )
    assert response.status_code == 302
    household = client.get("/settings/household").get_data(as_text=True)
    assert "李华" in household and "/services/bundles/bundle_death" in household
    duties = client.get("/me/duties/?status=all&period=all").get_data(as_text=True)
    assert "户口注销" in duties, duties[duties.find("<main") :][:3000]
    undo = client.post(f"/settings/household/{spouse}/death/undo")
    assert undo.status_code == 302
