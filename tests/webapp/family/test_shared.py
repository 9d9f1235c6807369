"""Family reminders: the "reminders" scope of a mandate and spouses sharing their children's."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.webapp.family.conftest import grant


def _reminders(client, headers) -> list[dict]:
    response = client.get("/api/v1/me/family-reminders", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_reminders_scope_brings_the_parents_id_card_reminder(client, family):
    """《居民身份证法》第五条: a card issued at 31 is valid 20 years (here to 2027-01-20)."""
    assert _reminders(client, family.son_h) == []
    mandate_id = grant(client, family, ["view", "reminders"])
    items = _reminders(client, family.son_h)
    assert any(r["for_name"] == "张父" and r["due_date"] == "2027-01-20" for r in items), items
    client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.father_h)
    assert _reminders(client, family.son_h) == []


def test_view_scope_alone_brings_no_reminders(client, family):
    grant(client, family, ["view"])
    assert _reminders(client, family.son_h) == []


def test_expired_reminders_mandate_brings_none(client, family, monkeypatch):
    grant(client, family, ["reminders"], valid_until=date(2026, 12, 1))
    assert _reminders(client, family.son_h)
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 2))
    assert _reminders(client, family.son_h) == []


def test_marking_done_needs_the_act_scope(client, family):
    grant(client, family, ["reminders"])
    duty_id = _reminders(client, family.son_h)[0]["duty_id"]
    url = f"/api/v1/me/family-reminders/{duty_id}/done"
    assert client.post(url, headers=family.son_h).status_code == 404
    grant(client, family, ["act"])
    assert client.post(url, headers=family.son_h).status_code == 204
    assert all(r["duty_id"] != duty_id for r in _reminders(client, family.son_h))
    log = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    assert [r["what"] for r in log] == ["family_done"]
    assert "李明" in log[0]["who"]


def _spouses(client, factories):
    """Husband keeps the child; wife is linked as his spouse and asks for the child's reminders."""
    husband = factories.citizen(full_name="李明")
    wife = factories.citizen(birth_date=date(1990, 5, 5), gender="female", full_name="王芳")
    spouse_id = factories.member(husband, "spouse", "王芳", date(1990, 5, 5))
    factories.member(husband, "child", "小明", date(2020, 6, 1))
    h_h, w_h = factories.token(client, husband), factories.token(client, wife)
    token = client.post(f"/api/v1/me/household/{spouse_id}/invitation", headers=h_h).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=w_h).status_code == 200
    return husband, wife, h_h, w_h


def test_spouse_shares_the_childs_reminders_and_done_closes_for_both(client, factories):
    husband, wife, h_h, w_h = _spouses(client, factories)
    assert _reminders(client, w_h) == []
    body = {"spouse_account_id": husband.id, "share": True}
    assert client.put("/api/v1/me/reminder-shares", json=body, headers=w_h).status_code == 204
    items = _reminders(client, w_h)
    assert items and all(r["subject_name"] == "小明" and r["via"] == "spouse" for r in items)
    assert len({r["duty_id"] for r in items}) == len(items)  # one per duty
    duty_id = items[0]["duty_id"]
    done = client.post(f"/api/v1/me/family-reminders/{duty_id}/done", headers=w_h)
    assert done.status_code == 204
    own = client.get("/api/v1/me/duties?status=all", headers=h_h).json["items"]
    assert next(d for d in own if d["id"] == duty_id)["status"] == "done"
    assert all(r["duty_id"] != duty_id for r in _reminders(client, w_h))


def test_spouse_share_needs_a_spouse_link(client, family, factories):
    # The father is linked to the son, but not as a spouse.
    body = {"spouse_account_id": family.son.id, "share": True}
    response = client.put("/api/v1/me/reminder-shares", json=body, headers=family.father_h)
    assert response.status_code == 404
    stranger = factories.citizen()
    body = {"spouse_account_id": stranger.id, "share": True}
    assert (
        client.put("/api/v1/me/reminder-shares", json=body, headers=family.son_h).status_code == 404
    )


def test_a_stranger_cannot_close_a_family_duty(client, family, factories):
    grant(client, family, ["reminders"])
    duty_id = _reminders(client, family.son_h)[0]["duty_id"]
    other = factories.token(client, factories.citizen())
    assert (
        client.post(f"/api/v1/me/family-reminders/{duty_id}/done", headers=other).status_code == 404
    )


def test_admin_records_a_mandate_given_in_person(app, client, factories, admin):
    from webapp.core.db import db
    from webapp.models import AuditEntry

    son = factories.citizen(full_name="李明")
    father = factories.citizen(birth_date=date(1975, 2, 1), full_name="张父")
    admin_h = factories.token(client, admin)
    body = {
        "grantor_account_id": father.id,
        "grantee_account_id": son.id,
        "scopes": ["view", "reminders"],
        "evidence": "居民身份证原件，本人到场签字",
        "purpose": "代为查看办事提醒",
    }
    created = client.post("/api/v1/admin/mandates", json=body, headers=admin_h)
    assert created.status_code == 201, created.json
    assert created.json["kind"] == "in_person" and created.json["elder_mode"] is True
    son_h = factories.token(client, son)
    assert client.post("/api/v1/admin/mandates", json=body, headers=son_h).status_code == 403
    missing = {**body, "evidence": " "}
    assert client.post("/api/v1/admin/mandates", json=missing, headers=admin_h).status_code == 422
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "citizen"))
        assert [e.target_id for e in entries] == [str(father.id)]
    # Shown to the father on first sign-in, once.
    factories.login(client, father)
    assert "服务窗口" in client.get("/me/").text
    first = client.get("/family/")
    assert first.status_code == 200 and 'data-testid="unseen-mandate"' in first.text
    assert 'data-testid="unseen-mandate"' not in client.get("/family/").text
    assert "服务窗口" not in client.get("/me/").text
