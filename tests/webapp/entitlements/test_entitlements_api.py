"""Entitlements and facts through the JSON API and the pages; nobody sees another's."""

from __future__ import annotations

from datetime import date, timedelta

from webapp.core.clock import local_today


def _items(client, headers, path="/api/v1/me/entitlements"):
    r = client.get(path, headers=headers)
    assert r.status_code == 200, r.json
    return r.json["items"]


def test_newborn_brings_infant_care_and_childcare_subsidy(client, factories):
    """国发〔2023〕13号 第一条 (2,000 a month); 《育儿补贴制度实施方案》 (3,600 a year)."""
    citizen = factories.citizen()
    factories.member(citizen, "child", "宝宝", local_today() - timedelta(days=20))
    items = _items(client, factories.token(client, citizen))
    by_key = {i["key"]: i for i in items}
    infant = by_key["iit_infant_care"]
    assert infant["amount"] == {"value": 2000, "currency": "CNY", "period": "month"}
    assert infant["status"] == "eligible" and infant["subject"]["name"] == "宝宝"
    assert infant["subject"]["kind"] == "household"
    assert "from" in infant and infant["legal_basis"]
    subsidy = by_key["childcare_subsidy"]
    assert subsidy["amount"]["value"] == 3600 and subsidy["amount"]["period"] == "year"
    assert subsidy["kind"] == "cash" and subsidy["service_code"] == "childcare_subsidy"


def test_parent_born_1965_only_child_gets_3000(client, factories):
    """国发〔2023〕13号 第三条: an only child deducts 3,000 a month for a parent aged 60+."""
    citizen = factories.citizen()
    factories.member(citizen, "parent", "妈妈", date(1965, 3, 1), gender="female")
    headers = factories.token(client, citizen)
    support = [i for i in _items(client, headers) if i["key"] == "iit_elderly_support"]
    assert support[0]["status"] == "unknown" and support[0]["missing_facts"] == ["only_child"]
    r = client.put("/api/v1/me/facts/self/only_child", json={"value": True}, headers=headers)
    assert r.status_code == 200, r.json
    assert r.json["source"] == "questionnaire" and r.json["recorded_on"]
    support = [i for i in _items(client, headers) if i["key"] == "iit_elderly_support"]
    assert support[0]["status"] == "eligible"
    assert support[0]["amount"] == {"value": 3000, "currency": "CNY", "period": "month"}
    assert "only_child" in support[0]["facts_used"]
    facts = client.get("/api/v1/me/facts", headers=headers).json
    assert [f["key"] for f in facts["items"]] == ["only_child"]
    assert client.delete("/api/v1/me/facts/self/only_child", headers=headers).status_code == 204
    support = [i for i in _items(client, headers) if i["key"] == "iit_elderly_support"]
    assert support[0]["status"] == "unknown"


def test_bad_fact_values_are_422_or_400_and_nothing_written(client, factories):
    citizen = factories.citizen()
    headers = factories.token(client, citizen)
    r = client.put("/api/v1/me/facts/self/only_child", json={"value": "maybe"}, headers=headers)
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_fact"
    r = client.put("/api/v1/me/facts/self/nonsense", json={"value": True}, headers=headers)
    assert r.status_code == 400
    r = client.put(
        "/api/v1/me/facts/self/only_child", json={"value": True, "x": 1}, headers=headers
    )
    assert r.status_code == 422
    assert client.get("/api/v1/me/facts", headers=headers).json["items"] == []


def test_nobody_reads_or_writes_anothers_facts_or_entitlements(client, factories):
    alice = factories.citizen()
    member = factories.member(alice, "parent", "外婆", date(1950, 1, 1))
    bob = factories.citizen()
    headers = factories.token(client, bob)
    r = client.put(
        f"/api/v1/me/facts/household:{member}/insured", json={"value": []}, headers=headers
    )
    assert r.status_code == 404
    r = client.delete(f"/api/v1/me/facts/self:{alice.id}/only_child", headers=headers)
    assert r.status_code == 404
    assert all(i["subject"]["name"] != "外婆" for i in _items(client, headers))


def test_enterprise_entitlements_members_only(client, factories):
    """公告2023年第12号 第三条: an individual business halves its business-income tax."""
    owner = factories.business()
    headers = factories.token(client, owner)
    path = f"/api/v1/enterprises/{owner.credit_code}/entitlements"
    keys = {i["key"]: i for i in _items(client, headers, path)}
    assert keys["vat_small_scale_exemption"]["status"] == "unknown"
    r = client.put(
        f"/api/v1/enterprises/{owner.credit_code}/facts/legal_form",
        json={"value": "individual_business"},
        headers=headers,
    )
    assert r.status_code == 200, r.json
    keys = {i["key"]: i for i in _items(client, headers, path)}
    assert keys["individual_business_iit_halving"]["status"] == "eligible"
    assert keys["individual_business_iit_halving"]["to"] == "2027-12-31"
    assert "small_low_profit_eit" not in keys
    stranger = factories.business()
    other = factories.token(client, stranger)
    assert client.get(path, headers=other).status_code == 404
    r = client.put(
        f"/api/v1/enterprises/{owner.credit_code}/facts/vat_taxpayer",
        json={"value": "general"},
        headers=other,
    )
    assert r.status_code == 404


def test_pages_render_and_questionnaire_saves(client, factories):
    citizen = factories.citizen()
    factories.member(citizen, "parent", "妈妈", date(1960, 3, 1))
    factories.login(client, citizen)
    page = client.get("/entitlements")
    assert page.status_code == 200
    form = client.get("/entitlements/facts")
    assert form.status_code == 200
    r = client.post(
        "/entitlements/facts",
        data={"subject": "self", "key": "only_child", "value": "true", "action": "save"},
    )
    assert r.status_code == 302
    page = client.get("/entitlements").get_data(as_text=True)
    assert "3,000" in page
    r = client.post(
        "/entitlements/facts",
        data={"subject": "self", "key": "only_child", "action": "clear"},
    )
    assert r.status_code == 302
    home = client.get("/")
    assert home.status_code in (200, 302)


def test_facts_are_exported_and_deleted_with_the_account(app, client, factories):
    """《个人信息保护法》第四十五条、第四十七条: the answers are in the export and go with
    the account."""
    from sqlalchemy import select

    from webapp.core.db import db
    from webapp.entitlements.models import ProfileFact

    citizen = factories.citizen()
    member = factories.member(citizen, "parent", "妈妈", date(1960, 3, 1))
    headers = factories.token(client, citizen)
    client.put("/api/v1/me/facts/self/only_child", json={"value": True}, headers=headers)
    client.put(
        f"/api/v1/me/facts/household:{member}/insured",
        json={"value": ["resident_pension"]},
        headers=headers,
    )
    export = client.get("/api/v1/me/export", headers=headers).json
    keys = {(f["subject"], f["key"]) for f in export["facts"]}
    assert keys == {(f"self:{citizen.id}", "only_child"), (f"household:{member}", "insured")}
    r = client.delete("/api/v1/me", json={"password": citizen.password}, headers=headers)
    assert r.status_code in (200, 204), r.json
    with app.app_context():
        assert db.session.scalars(select(ProfileFact)).all() == []


def test_why_page_shows_conditions_and_the_facts_that_met_them(client, factories):
    """The “why am I seeing this” page words the conditions (面向：…) and each fact."""
    citizen = factories.citizen(gender="male")
    factories.member(citizen, "child", "宝宝", local_today() - timedelta(days=20))
    factories.login(client, citizen)
    client.post("/language", data={"locale": "zh_Hans"})
    html = client.get("/privacy/why/childcare_subsidy").get_data(as_text=True)
    assert "面向：3 周岁以下婴幼儿的父母或监护人" in html
    assert "可以享受" in html and "符合" in html
    html = client.get("/privacy/why/maternity_allowance").get_data(as_text=True)
    assert "性别：男 —— 不符合" in html


def test_newborn_queues_a_reminder_through_the_existing_channels(app, client, factories):
    """A child is born → infant care deduction and 育儿补贴 become available → advisory
    duties that the reminder sweep turns into inbox notifications."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from webapp.core.db import db
    from webapp.duties.models import Duty
    from webapp.reminders import run_sweep
    from webapp.reminders.models import Notification

    citizen = factories.citizen()
    factories.member(citizen, "child", "宝宝", local_today() - timedelta(days=3))
    with app.app_context():
        rules = {
            d.rule: d
            for d in db.session.scalars(select(Duty).where(Duty.owner_account_id == citizen.id))
        }
    assert {"entitlement_iit_infant_care", "entitlement_childcare_subsidy"} <= set(rules)
    subsidy = rules["entitlement_childcare_subsidy"]
    assert subsidy.advisory and subsidy.service_code == "childcare_subsidy"
    assert "3,600" in subsidy.explanation["zh_Hans"]
    with app.app_context():
        run_sweep(datetime.now(UTC), local_today())
        queued = db.session.scalars(
            select(Notification).where(Notification.account_id == citizen.id)
        ).all()
        duty_ids = {n.duty_id for n in queued}
    assert subsidy.id in duty_ids


def test_parent_turning_60_and_resync_keeps_entitlement_duties(app, client, factories):
    """国发〔2023〕13号 第三条: elderly support from the month the parent turns 60; the
    duty sync leaves the entitlement reminders alone, a removed member takes them along."""
    from sqlalchemy import select

    from webapp.core.db import db
    from webapp.duties import sync as duty_sync
    from webapp.duties.models import Duty

    citizen = factories.citizen()
    member = factories.member(citizen, "parent", "爸爸", date(1966, 12, 15))
    headers = factories.token(client, citizen)
    client.put("/api/v1/me/facts/self/only_child", json={"value": True}, headers=headers)
    with app.app_context(), db.transaction() as session:
        duty_sync.sync_account(session, citizen.id)
        rows = session.scalars(
            select(Duty).where(Duty.rule == "entitlement_iit_elderly_support")
        ).all()
        assert len(rows) == 1 and rows[0].window_start == date(2026, 12, 1)
        assert rows[0].status == "open"
    assert client.delete(f"/api/v1/me/household/{member}", headers=headers).status_code == 204
    with app.app_context():
        left = db.session.scalars(
            select(Duty).where(Duty.rule == "entitlement_iit_elderly_support")
        ).all()
    assert left == []


def test_enterprise_page_links_to_its_reliefs_and_the_form_saves(client, factories):
    """公告2023年第12号 第三条: an individual business gets the halving, no EIT relief."""
    owner = factories.business()
    factories.login(client, owner)
    page = client.get(f"/enterprises/{owner.credit_code}").get_data(as_text=True)
    assert f"/enterprises/{owner.credit_code}/entitlements" in page
    r = client.post(
        f"/enterprises/{owner.credit_code}/entitlements",
        data={"key": "legal_form", "value": "individual_business", "action": "save"},
    )
    assert r.status_code == 302
    html = client.get(f"/enterprises/{owner.credit_code}/entitlements").get_data(as_text=True)
    assert "2027-12-31" in html
    r = client.post(
        f"/enterprises/{owner.credit_code}/entitlements",
        data={"key": "headcount", "value": "many", "action": "save"},
    )
    assert r.status_code == 302  # the message is flashed; nothing is written


def test_questionnaire_asks_what_decides_a_recommended_service(client, factories):
    """Only facts that would decide something: a parent of 80 with no disability answer is
    asked about the certificate when the disability subsidy is an unknown recommendation."""
    citizen = factories.citizen()
    factories.member(citizen, "parent", "奶奶", date(1940, 1, 1))
    headers = factories.token(client, citizen)
    data = client.get("/api/v1/me/facts", headers=headers).json
    asked = {a["key"] for a in data["asked"]}
    assert "only_child" in asked  # decides elderly support
    assert asked <= {
        "only_child",
        "insured",
        "disability_certificate",
        "housing",
        "housing_fund",
        "pregnant",
        "veteran",
        "rent_city_tier",
        "school_stage",
    }


def test_service_page_says_who_it_is_for(client):
    """《育儿补贴制度实施方案》: the public service page words its conditions."""
    client.post("/language", data={"locale": "zh_Hans"})
    html = client.get("/services/childcare_subsidy").get_data(as_text=True)
    assert "面向：3 周岁以下婴幼儿的父母或监护人" in html


def test_why_api_gives_the_conditions_and_the_deciding_facts(client, factories):
    """GET /api/v1/me/why/{code}: 《社会保险法》第五十六条 — a man fails the gender condition."""
    citizen = factories.citizen(gender="male")
    headers = factories.token(client, citizen)
    r = client.get("/api/v1/me/why/maternity_allowance", headers=headers)
    assert r.status_code == 200, r.json
    el = r.json["eligibility"]
    assert el["outcome"] == "not_eligible" and el["basis"]
    assert [c["outcome"] for c in el["checks"]].count("failed") == 1
