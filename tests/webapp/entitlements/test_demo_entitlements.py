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
