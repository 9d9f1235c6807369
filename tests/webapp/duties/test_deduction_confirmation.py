"""The December confirmation duty lists the deductions to confirm for next year
(《个人所得税专项附加扣除操作办法（试行）》第九条), with amounts, on the page, in the API and in
the reminder text."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)


@pytest.fixture
def parent(factories):
    account = factories.citizen(employment="employed")
    factories.member(account, "child", "小宝", date(2026, 10, 31))
    return account


def _confirmation(client, headers, lang="en") -> dict:
    response = client.get(f"/api/v1/me/duties?status=all&lang={lang}", headers=headers)
    assert response.status_code == 200, response.json
    items = [d for d in response.json["items"] if d["rule"] == "iit_deduction_confirmation"]
    return next(d for d in items if d["occurrence"] == "2027")


def test_api_lists_infant_care_with_amount_for_next_year_art_9(app, factories, parent):
    """国发〔2023〕13号: infant care 2,000 a month per child, all of 2027 for a 2026 newborn."""
    client = app.test_client()
    duty = _confirmation(client, factories.token(client, parent))
    (line,) = duty["deductions"]
    assert line["key"] == "iit_infant_care"
    assert line["subject"]["name"] == "小宝"
    assert line["amount"] == {"value": 2000, "currency": "CNY", "period": "month"}
    assert (line["from"], line["to"]) == ("2027-01-01", "2027-12-31")
    assert "13号" in line["legal_basis"]
    assert line["title"] == "Infant care deduction (IIT)"


def test_without_deductions_the_list_is_empty(app, factories):
    account = factories.citizen(employment="employed")
    client = app.test_client()
    assert _confirmation(client, factories.token(client, account))["deductions"] == []


def test_page_shows_the_deductions(app, factories, parent):
    client = app.test_client()
    factories.login(client, parent)
    html = client.get("/me/duties/?status=all&period=all&lang=zh_Hans").get_data(as_text=True)
    listed = html.split('class="deductions"', 1)[1].split("</ul>", 1)[0]
    assert "小宝" in listed and "2,000" in listed


def test_reminder_text_lists_the_deductions(app, factories, parent):
    from webapp.duties.models import Duty
    from webapp.reminders.channels import reminder_text

    with app.test_request_context():
        from webapp.core.db import db

        duty = db.session.scalar(
            select(Duty).where(
                Duty.rule == "iit_deduction_confirmation",
                Duty.occurrence == "2027",
                Duty.subject_kind == "self",
                Duty.subject_id == parent.id,
            )
        )
        _title, body = reminder_text(duty, "window", TODAY, "en")
        assert "Infant care deduction (IIT) for 小宝: 2,000 yuan a month" in body
        _title, body = reminder_text(duty, "window", TODAY, "zh_Hans")
        assert "小宝" in body and "2,000" in body


def test_without_the_household_consent_members_are_not_listed(app, factories, parent):
    from webapp.core.db import db
    from webapp.privacy import consents

    with app.app_context(), db.transaction() as session:
        consents.set_consents(session, parent.id, {"household_data": False})
    client = app.test_client()
    assert _confirmation(client, factories.token(client, parent))["deductions"] == []


def test_another_account_cannot_read_the_list(app, factories, parent):
    client = app.test_client()
    own = _confirmation(client, factories.token(client, parent))
    stranger = factories.token(client, factories.citizen(employment="employed"))
    response = client.post(f"/api/v1/me/duties/{own['id']}/done", headers=stranger)
    assert response.status_code == 404
    mine = client.get("/api/v1/me/duties?status=all", headers=stranger).json["items"]
    assert all(not d["deductions"] for d in mine)
