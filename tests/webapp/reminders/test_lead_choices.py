"""Citizens choose their own reminder lead time per category (or off), over the defaults."""

from __future__ import annotations

from datetime import timedelta

from tests.webapp.reminders.test_reminders import TODAY, make_duty, rows, run_sweep
from webapp.reminders.lead_choices import effective_leads


def test_effective_leads_replace_the_earlier_defaults_only():
    defaults = ("window", "30", "7", "1")
    assert effective_leads(defaults, 14) == ("14", "7", "1")
    assert effective_leads(defaults, 60) == ("60", "30", "7", "1")
    assert effective_leads(defaults, None) == ()


def _choose(client, category, value):
    return client.post("/settings/notifications/leads", data={f"lead-{category}": value})


def test_a_longer_lead_time_reminds_earlier(app, factories):
    person = factories.account("citizen")
    client = app.test_client()
    factories.login(client, person)
    make_duty(
        app,
        person,
        rule="passport_renewal",
        due_date=TODAY + timedelta(days=60),
        window_start=TODAY + timedelta(days=5),
    )
    run_sweep(app)
    assert rows(app, account_id=person.id) == []  # the defaults (window, 30 days) have not come
    assert _choose(client, "identity", "60").status_code == 302
    run_sweep(app)
    assert [n.lead for n in rows(app, account_id=person.id, channel="inbox")] == ["60"]


def test_off_means_no_reminder_of_that_category(app, factories):
    person = factories.account("citizen")
    client = app.test_client()
    factories.login(client, person)
    _choose(client, "identity", "off")
    make_duty(app, person, rule="passport_renewal", due_date=TODAY + timedelta(days=30))
    run_sweep(app)
    assert rows(app, account_id=person.id) == []
    html = client.get("/me/duties/").get_data(as_text=True)
    assert "不提醒（已关闭）" in html


def test_bounds_are_enforced_and_nothing_is_written(app, factories):
    person = factories.account("citizen")
    client = app.test_client()
    factories.login(client, person)
    _choose(client, "identity", "365")
    headers = factories.token(client, person)
    items = client.get("/api/v1/me/reminder-leads", headers=headers).json["items"]
    assert {i["category"]: i["mode"] for i in items}["identity"] == "default"


def test_reminder_leads_through_the_api(client, factories):
    alice, bob = factories.citizen(), factories.citizen()
    a, b = factories.token(client, alice), factories.token(client, bob)
    response = client.put(
        "/api/v1/me/reminder-leads/tax", json={"mode": "days", "days": 14}, headers=a
    )
    assert response.status_code == 200
    tax = next(i for i in response.json["items"] if i["category"] == "tax")
    assert tax["mode"] == "days" and tax["days"] == 14 and "window" in tax["default_leads"]
    other = client.get("/api/v1/me/reminder-leads", headers=b).json["items"]
    assert next(i for i in other if i["category"] == "tax")["mode"] == "default"
    bad = client.put("/api/v1/me/reminder-leads/tax", json={"mode": "days", "days": 0}, headers=a)
    assert bad.status_code == 422
    assert (
        client.put("/api/v1/me/reminder-leads/tax", json={"mode": "days"}, headers=a).status_code
        == 422
    )
    assert (
        client.put("/api/v1/me/reminder-leads/nope", json={"mode": "off"}, headers=a).status_code
        == 404
    )
    assert client.get("/api/v1/me/reminder-leads").status_code == 401
