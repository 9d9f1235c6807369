"""The "done when" flow: a rule that boosts 生育登记 for parents of a child under one,
previewed, published, seen by the citizen, rolled back — and all of it in the audit log."""

from __future__ import annotations

import re

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from webapp.core.clock import local_today

SERVICE = "birth_service_registration"  # 生育登记 (lifecycle/catalog/data/services/citizen_childbirth.yaml)
RULE_NAME = "新生儿家庭优先生育登记"

RULE_FORM = {
    "name": RULE_NAME,
    "enabled": "on",
    "action": "boost",
    "weight": "5",
    "priority": "10",
    "targets.services": SERVICE,
    "segment.audience": "citizen",
    "segment.child_age_max": "0",
}


def _parent_of_newborn(factories):
    account = factories.citizen()
    factories.member(account, "child", "小宝", local_today() - relativedelta(months=2))
    return account


def _codes(client, headers):
    response = client.get("/api/v1/me/recommendations?limit=10", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_rule_flow_preview_publish_rollback_audit(app, factories, admin, admin_client):
    parent = _parent_of_newborn(factories)
    other = factories.citizen()
    parent_headers = factories.token(app.test_client(), parent)
    admin_headers = factories.token(app.test_client(), admin)

    # a first published version with no rules, to roll back to
    assert admin_client.post("/admin/rules/publish", data={"note": "baseline"}).status_code == 302
    before = _codes(app.test_client(), parent_headers)
    assert all(r["kind"] != "rule" for item in before for r in item["reasons"]), (
        "no rule applies yet"
    )

    # create the rule in the browser form
    response = admin_client.post("/admin/rules/new", data=RULE_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    rules = admin_client.get("/api/v1/admin/rules", headers=admin_headers).json["items"]
    assert [r["name"] for r in rules] == [RULE_NAME]
    assert rules[0]["segment"] == {"audience": "citizen", "child_age_max": 0}

    # nothing changed for the citizen before publishing
    assert [i["service_code"] for i in _codes(app.test_client(), parent_headers)] == [
        i["service_code"] for i in before
    ]

    # preview in the sandbox (HTML): chosen user and a sample
    page = admin_client.post(
        "/admin/rules/sandbox",
        data={"email": str(parent.id), "sample_size": "3", "purpose": "检查草稿规则的效果"},
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    reach_text = html.split('id="reach-h"')[1].split("</section>")[0]
    assert re.search(r"\b1\b", reach_text) and re.search(r"\b0\b", reach_text)
    assert SERVICE in html and RULE_NAME in html
    unknown = admin_client.post(
        "/admin/rules/sandbox", data={"email": "nobody@example.test", "purpose": "检查草稿规则"}
    )
    assert unknown.status_code == 422 and 'aria-invalid="true"' in unknown.get_data(as_text=True)

    # preview through the API: reach, before/after, NDCG
    preview = admin_client.post(
        "/api/v1/admin/rules/preview",
        headers=admin_headers,
        json={"user_id": parent.id, "sample_size": 5, "purpose": "checking the draft rule"},
    )
    assert preview.status_code == 200, preview.json
    body = preview.json
    assert body["reach"] == {"users": 1, "enterprises": 0}
    sample = next(s for s in body["samples"] if s["user_id"] == parent.id)
    assert sample["after"][0] == SERVICE
    assert sample["before"] != sample["after"]
    assert {s["user_id"] for s in body["samples"]} == {parent.id}  # the other citizen is not in it
    assert set(body["ndcg_at_10"]) >= {"before", "after"}

    # publish: the citizen's recommendations change and the reason names the rule
    assert admin_client.post("/admin/rules/publish", data={"note": "newborn"}).status_code == 302
    items = _codes(app.test_client(), parent_headers)
    assert items[0]["service_code"] == SERVICE
    reasons = [r for r in items[0]["reasons"] if r["kind"] == "rule"]
    assert reasons and RULE_NAME in str(reasons[0]["text"])
    other_items = _codes(app.test_client(), factories.token(app.test_client(), other))
    assert all(r["kind"] != "rule" for i in other_items for r in i["reasons"])

    # the diff between the versions names the added rule
    diff = admin_client.get("/admin/rules/diff?a=1&b=2").get_data(as_text=True)
    assert RULE_NAME in diff

    # roll back to version 1: the rule is gone for the citizen and from the drafts
    assert admin_client.post("/admin/rules/rollback", data={"version": "1"}).status_code == 302
    after_rollback = _codes(app.test_client(), parent_headers)
    assert all(r["kind"] != "rule" for i in after_rollback for r in i["reasons"])
    assert admin_client.get("/api/v1/admin/rules", headers=admin_headers).json["items"] == []

    # all of it is in the audit log, and the sandbox look is in the citizen's access log
    log = admin_client.get("/admin/audit").get_data(as_text=True)
    for action in (
        "rule.create",
        "rules.publish",
        "rules.rollback",
        "citizen.view_recommendations",
    ):
        assert action in log
    from webapp.core.db import db
    from webapp.models import AccessLog

    with app.app_context():
        seen = db.session.scalars(
            select(AccessLog.what).where(AccessLog.subject_account_id == parent.id)
        ).all()
        others = db.session.scalars(
            select(AccessLog.id).where(AccessLog.subject_account_id == other.id)
        ).all()
    assert seen and set(seen) == {"recommendations"} and others == []
    csv_text = admin_client.get("/admin/audit.csv?action=rules.").get_data(as_text=True)
    assert csv_text.count("rules.publish") == 2 and "rules.rollback" in csv_text
    assert "rule.create" not in csv_text


def test_rule_form_errors_are_clear_and_nothing_is_saved(admin_client, app, factories, admin):
    headers = factories.token(app.test_client(), admin)
    bad = dict(RULE_FORM, **{"targets.services": "no_such_service"})
    response = admin_client.post("/admin/rules/new", data=bad)
    assert response.status_code == 422
    assert "no_such_service" in response.get_data(as_text=True)
    pin = dict(RULE_FORM, action="pin")
    response = admin_client.post("/admin/rules/new", data=pin)
    assert response.status_code == 422
    ages = dict(RULE_FORM, **{"segment.age_min": "40", "segment.age_max": "30"})
    assert admin_client.post("/admin/rules/new", data=ages).status_code == 422
    assert admin_client.get("/api/v1/admin/rules", headers=headers).json["items"] == []


def test_rules_api_crud_and_validation(app, factories, admin):
    client = app.test_client()
    headers = factories.token(client, admin)
    rule = {
        "name": "教育局新生入学",
        "action": "pin",
        "position": 1,
        "targets": {"services": ["primary_school_enrollment"]},
        "segment": {"child_age_min": 5, "child_age_max": 6},
    }
    created = client.post("/api/v1/admin/rules", json=rule, headers=headers)
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    assert client.get(f"/api/v1/admin/rules/{rid}", headers=headers).json["position"] == 1
    changed = client.put(
        f"/api/v1/admin/rules/{rid}", json={**rule, "enabled": False}, headers=headers
    )
    assert changed.status_code == 200 and changed.json["enabled"] is False
    assert (
        client.post(
            "/api/v1/admin/rules", json={**rule, "role": "admin"}, headers=headers
        ).status_code
        == 422
    )
    bad = client.post("/api/v1/admin/rules", json={**rule, "position": None}, headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["field"] == "position"
    published = client.post("/api/v1/admin/rules/publish", headers=headers)
    assert published.status_code == 201 and published.json["version"] == 1
    again = client.post("/api/v1/admin/rules/publish", json={"note": "n"}, headers=headers)
    assert again.json["version"] == 2 and again.json["is_current"] is True
    assert (
        client.post("/api/v1/admin/rules/publish", json={"x": 1}, headers=headers).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/admin/rules/rollback", json={"version": 9}, headers=headers
        ).status_code
        == 404
    )
    back = client.post("/api/v1/admin/rules/rollback", json={"version": 1}, headers=headers)
    assert back.status_code == 200 and back.json["is_current"] is True
    restored = client.get("/api/v1/admin/rules", headers=headers).json["items"]
    assert [r["id"] for r in restored] == [rid] and restored[0]["enabled"] is False
    fresh = client.post("/api/v1/admin/rules", json={**rule, "name": "另一条"}, headers=headers)
    assert fresh.status_code == 201 and fresh.json["id"] > rid  # ids stay unique after a rollback
    assert (
        client.delete(f"/api/v1/admin/rules/{fresh.json['id']}", headers=headers).status_code == 204
    )
    assert client.delete(f"/api/v1/admin/rules/{rid}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/admin/rules/{rid}", headers=headers).status_code == 404
    # posted rules are previewed without being stored
    preview = client.post(
        "/api/v1/admin/rules/preview",
        json={"rules": [{**rule, "action": "hide", "position": None}], "sample_size": 2},
        headers=headers,
    )
    assert preview.status_code == 200, preview.json
    assert client.get("/api/v1/admin/rules", headers=headers).json["items"] == []
    bad_preview = client.post(
        "/api/v1/admin/rules/preview", json={"rules": [{"name": "x"}]}, headers=headers
    )
    assert bad_preview.status_code == 422


def test_blend_params_are_validated_and_versioned(admin_client, app, factories, admin):
    headers = factories.token(app.test_client(), admin)
    bad = admin_client.post(
        "/admin/rules/params",
        data={"w_model": "-1", "w_life": "1", "w_popularity": "0", "diversity_cap": "3"},
    )
    assert bad.status_code == 422
    ok = admin_client.post(
        "/admin/rules/params",
        data={"w_model": "0.5", "w_life": "1", "w_popularity": "0.2", "diversity_cap": "2"},
    )
    assert ok.status_code == 302
    admin_client.post("/admin/rules/publish", data={})
    listed = admin_client.get("/api/v1/admin/rules", headers=headers).json
    assert listed["blend_params"]["diversity_cap"] == 2 and listed["current_version"] == 1


def test_reach_follows_consents_and_life_stages(app, factories):
    from recommender.rules import Rule
    from webapp.admin import sandbox
    from webapp.core.db import db
    from webapp.privacy import consents

    parent = _parent_of_newborn(factories)
    factories.citizen()
    today = local_today()
    newborn = Rule.from_dict({"name": "n", "action": "hide", "targets": {"services": [SERVICE]},
                              "segment": {"child_age_max": 0}}, rule_id=1)  # fmt: skip
    staged = Rule.from_dict({"name": "s", "action": "hide", "targets": {"services": [SERVICE]},
                             "segment": {"life_stages": ["birth"]}}, rule_id=2)  # fmt: skip
    everyone = Rule.from_dict(
        {"name": "e", "action": "hide", "targets": {"themes": ["x"]}}, rule_id=3
    )
    with app.test_request_context():
        session = db.session
        assert sandbox.reach(session, [newborn], today)[:2] == (1, 0)
        assert sandbox.reach(session, [staged], today)[2] == [parent.id]
        assert sandbox.reach(session, [everyone], today)[0] == 2
        consents.set_consents(session, parent.id, {"household_data": False})
        session.commit()
        assert sandbox.reach(session, [newborn], today)[0] == 0  # household facts not used
        consents.set_consents(
            session, parent.id, {"household_data": True, "personalized_recommendations": False}
        )
        session.commit()
        assert (
            sandbox.reach(session, [newborn], today)[0] == 0
        )  # no segment rules without personalisation
        assert sandbox.reach(session, [everyone], today)[0] == 2
