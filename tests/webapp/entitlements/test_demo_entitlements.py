"""The demo citizen (born 1988, a child under 6, a parent of 64, an only child) sees the
children's education deduction and the elderly support deduction with amounts."""

from __future__ import annotations

from webapp.core.clock import local_today
from webapp.core.db import db


def test_demo_citizen_sees_deductions_with_amounts(app, client):
    """国发〔2023〕13号 第二条 (education 2,000) and 第三条 (only child 3,000 for a parent 60+)."""
    from webapp.demo import DEMO_PASSWORD, seed_demo_accounts

    with app.app_context(), db.transaction() as session:
        seed_demo_accounts(session, local_today())
    token = client.post(
        "/api/v1/tokens", json={"email": "citizen@lifepage.test", "password": DEMO_PASSWORD}
    ).json["token"]
    items = client.get(
        "/api/v1/me/entitlements", headers={"Authorization": f"Bearer {token}"}
    ).json["items"]
    by_key = {i["key"]: i for i in items}
    education = by_key["iit_child_education"]
    assert education["status"] == "eligible" and education["amount"]["value"] == 2000
    assert education["subject"]["name"] == "李小明"
    support = by_key["iit_elderly_support"]
    assert support["status"] == "eligible" and support["amount"]["value"] == 3000
    assert support["tax_saved"] == {"value": 3600, "currency": "CNY", "period": "year"}
    assert "childcare_subsidy" not in by_key  # the child is over 3


def test_the_page_widget_shows_what_the_api_computes(app, client):
    """The 您可以享受 widget on the personal page lists the same entitlements with amounts
    (it is built with the page model, which knows the person and the household)."""
    from webapp.demo import DEMO_PASSWORD, seed_demo_accounts

    with app.app_context(), db.transaction() as session:
        seed_demo_accounts(session, local_today())
    client.post("/login", data={"email": "citizen@lifepage.test", "password": DEMO_PASSWORD})
    html = client.get("/me/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    widget = html[html.index('id="w-entitlements"') :][:4000]
    assert "李小明" in widget and "李建国" in widget
    assert "2,000" in widget or "2000" in widget
