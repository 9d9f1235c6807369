"""Admins edit a service's conditions (the catalog's validator) with a preview, and the
local 高龄津贴 table; bad input is refused and nothing is written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from webapp.core.db import db


def _conditions(app, code):
    from webapp.catalog.models import Service

    with app.app_context():
        return db.session.scalar(select(Service).where(Service.code == code)).eligibility


def test_preview_words_and_counts_without_saving(app, client, factories, admin):
    factories.citizen(gender="female")
    headers = factories.token(client, admin)
    before = _conditions(app, "maternity_allowance")
    r = client.post(
        "/api/v1/admin/services/maternity_allowance/eligibility/preview",
        json={"eligibility": {"gender": "male"}},
        headers=headers,
    )
    assert r.status_code == 200, r.json
    assert r.json["reach"]["not_eligible"] >= 1 and r.json["audience"]
    assert _conditions(app, "maternity_allowance") == before


def test_save_uses_the_catalog_validator(app, client, factories, admin):
    headers = factories.token(client, admin)
    before = _conditions(app, "elderly_allowance")
    bad = client.put(
        "/api/v1/admin/services/elderly_allowance/eligibility",
        json={"eligibility": {"age_min": 200}},
        headers=headers,
    )
    assert bad.status_code == 400 and "age" in bad.json["error"]["message"]
    good = client.put(
        "/api/v1/admin/services/elderly_allowance/eligibility",
        json={"eligibility": {"for": ["self", "parent"], "age_min": 70, "local": True}},
        headers=headers,
    )
    assert good.status_code == 200, good.json
    assert _conditions(app, "elderly_allowance")["age_min"] == 70
    restore = client.put(  # the catalog is shared by the tests that follow
        "/api/v1/admin/services/elderly_allowance/eligibility",
        json={"eligibility": before},
        headers=headers,
    )
    assert restore.status_code == 200


def test_admin_html_form_preview_and_save(app, client, factories, admin):
    factories.login(client, admin)
    page = client.get("/admin/catalog/services/childcare_subsidy/eligibility")
    assert page.status_code == 200
    r = client.post(
        "/admin/catalog/services/childcare_subsidy/eligibility",
        data={"eligibility": "household: [{relation: child, age_under: 3}]", "action": "preview"},
    )
    assert r.status_code == 200
    r = client.post(
        "/admin/catalog/services/childcare_subsidy/eligibility",
        data={"eligibility": "gender: other", "action": "save"},
    )
    assert r.status_code == 422
    assert _conditions(app, "childcare_subsidy")["household"][0]["age_under"] == 3


def test_local_old_age_allowance_amount_reaches_the_citizen(app, client, factories, admin):
    """《老年人权益保障法》第三十三条: the amount is local; an admin enters a region's figures."""
    from webapp.entitlements import reset_params_cache

    reset_params_cache()  # the process keeps the parsed table; tests start clean
    citizen = factories.citizen(region_code="440106")
    factories.member(citizen, "parent", "奶奶", date(1940, 5, 1))
    mine = factories.token(client, citizen)
    item = [
        i
        for i in client.get("/api/v1/me/entitlements", headers=mine).json["items"]
        if i["key"] == "elderly_allowance"
    ][0]
    assert item["status"] == "unknown" and item["note"] == "local_amount_not_entered"
    headers = factories.token(client, admin)
    bad = client.put(
        "/api/v1/admin/entitlements/elderly-allowance",
        json={"regions": [{"prefix": "4401", "from": "2024-01-01", "bands": []}]},
        headers=headers,
    )
    assert bad.status_code == 400
    table = {
        "regions": [
            {
                "prefix": "4401",
                "from": "2024-01-01",
                "basis": "示例：某市高龄津贴文件",
                "bands": [{"age_min": 80, "monthly": 100}, {"age_min": 90, "monthly": 300}],
            }
        ]
    }
    r = client.put("/api/v1/admin/entitlements/elderly-allowance", json=table, headers=headers)
    assert r.status_code == 200, r.json
    item = [
        i
        for i in client.get("/api/v1/me/entitlements", headers=mine).json["items"]
        if i["key"] == "elderly_allowance"
    ][0]
    assert item["status"] == "eligible" and item["amount"]["value"] == 100
    assert "示例" in item["legal_basis"]
    reset_params_cache()
