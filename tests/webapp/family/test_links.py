"""Invitations: single-use, expiring, only for members aged 14 or older; either side unlinks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests.webapp.family.conftest import grant


def _invite(client, headers, member_id):
    return client.post(f"/api/v1/me/household/{member_id}/invitation", headers=headers)


def test_before_acceptance_the_entry_is_not_confirmed(client, factories):
    son = factories.citizen()
    member_id = factories.member(son, "spouse", "王芳", date(1990, 3, 3))
    headers = factories.token(client, son)
    state = client.get(f"/api/v1/me/household/{member_id}/invitation", headers=headers).json
    assert state["status"] == "none" and state["confirmed"] is False
    created = _invite(client, headers, member_id).json
    assert created["status"] == "pending" and created["token"] and created["url"]
    again = client.get(f"/api/v1/me/household/{member_id}/invitation", headers=headers).json
    assert again["status"] == "pending" and again.get("token") is None


def test_accepted_entry_refers_to_the_members_account(client, family):
    state = client.get(
        f"/api/v1/me/household/{family.member_id}/invitation", headers=family.son_h
    ).json
    assert state == {**state, "status": "accepted", "confirmed": True}
    assert state["linked_account_id"] == family.father.id
    links = client.get("/api/v1/me/links", headers=family.father_h).json["items"]
    assert [(x["account_id"], x["linked_account_id"]) for x in links] == [
        (family.son.id, family.father.id)
    ]


def test_an_invitation_is_single_use(client, factories):
    son = factories.citizen()
    member_id = factories.member(son, "parent", "张母", date(1960, 3, 3))
    token = _invite(client, factories.token(client, son), member_id).json["token"]
    first = factories.token(client, factories.citizen())
    second = factories.token(client, factories.citizen())
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=first).status_code == 200
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=second).status_code == 404


def test_an_expired_invitation_is_refused(app, client, factories):
    from webapp.core.db import db
    from webapp.models import FamilyInvitation

    son = factories.citizen()
    member_id = factories.member(son, "parent", "张母", date(1960, 3, 3))
    token = _invite(client, factories.token(client, son), member_id).json["token"]
    with app.app_context():
        row = db.session.scalar(
            select(FamilyInvitation).where(FamilyInvitation.member_id == member_id)
        )
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    other = factories.token(client, factories.citizen())
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=other).status_code == 404


def test_a_new_invitation_withdraws_the_old_one(client, factories):
    son = factories.citizen()
    headers = factories.token(client, son)
    member_id = factories.member(son, "parent", "张母", date(1960, 3, 3))
    old = _invite(client, headers, member_id).json["token"]
    _invite(client, headers, member_id)
    other = factories.token(client, factories.citizen())
    assert client.post(f"/api/v1/invitations/{old}/accept", headers=other).status_code == 404


def test_own_and_unknown_tokens(client, factories):
    son = factories.citizen()
    headers = factories.token(client, son)
    member_id = factories.member(son, "parent", "张母", date(1960, 3, 3))
    token = _invite(client, headers, member_id).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=headers).status_code == 400
    assert client.post("/api/v1/invitations/nope/accept", headers=headers).status_code == 404


def test_child_under_14_is_not_invited_pipl_art_31(client, factories):
    """《个人信息保护法》第三十一条: the guardian keeps a child under 14 with their consent."""
    son = factories.citizen()
    child = factories.member(son, "child", "小明", date(2015, 1, 1))
    response = _invite(client, factories.token(client, son), child)
    assert response.status_code == 400 and response.json["error"]["code"] == "too_young"


def test_someone_elses_member_is_404(client, family, factories):
    other = factories.token(client, factories.citizen())
    url = f"/api/v1/me/household/{family.member_id}/invitation"
    assert client.get(url, headers=other).status_code == 404
    assert client.post(url, headers=other).status_code == 404
    link = f"/api/v1/me/household/{family.member_id}/link"
    assert client.delete(link, headers=other).status_code == 404


def test_either_side_unlinks_and_the_mandates_end(client, family):
    grant(client, family, ["view"])
    headers = {**family.son_h, "Act-As": str(family.father.id)}
    assert client.get("/api/v1/me/page", headers=headers).status_code == 200
    link = f"/api/v1/me/household/{family.member_id}/link"
    assert client.delete(link, headers=family.father_h).status_code == 204
    assert client.get("/api/v1/me/page", headers=headers).status_code == 404
    listed = client.get("/api/v1/me/mandates", headers=family.father_h).json
    assert [m["status"] for m in listed["granted"]] == ["revoked"]
    assert client.delete(link, headers=family.son_h).status_code == 404


def test_minor_14_to_17_links_and_guardian_access_ends_at_18(app, client, factories, monkeypatch):
    from webapp import jobs
    from webapp.core.db import db
    from webapp.models import InboxItem

    parent = factories.citizen()
    teen = factories.citizen(birth_date=date(2010, 12, 15))
    member_id = factories.member(parent, "child", "小红", date(2010, 12, 15))
    parent_h, teen_h = factories.token(client, parent), factories.token(client, teen)
    token = _invite(client, parent_h, member_id).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=teen_h).status_code == 200
    guardian = client.get("/api/v1/me/mandates", headers=parent_h).json["received"]
    assert [(m["kind"], m["valid_until"]) for m in guardian] == [("guardian", "2028-12-14")]
    acting = {**parent_h, "Act-As": str(teen.id)}
    assert client.get("/api/v1/me/page", headers=acting).status_code == 200
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2028, 12, 15))
    with app.app_context():
        assert jobs.guardian_age_job().startswith("guardian access ended for 1 ")
        assert client.get("/api/v1/me/page", headers=acting).status_code == 404
        assert jobs.guardian_age_job().startswith("guardian access ended for 0 ")  # notified once
        notices = db.session.scalars(select(InboxItem.account_id)).all()
    assert sorted(notices) == sorted([parent.id, teen.id])


def _linked_teen(client, factories):
    parent = factories.citizen()
    teen = factories.citizen(birth_date=date(2010, 12, 15))
    member_id = factories.member(parent, "child", "小红", date(2010, 12, 15))
    parent_h, teen_h = factories.token(client, parent), factories.token(client, teen)
    token = _invite(client, parent_h, member_id).json["token"]
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=teen_h).status_code == 200
    mandate = client.get("/api/v1/me/mandates", headers=teen_h).json["granted"][0]
    return parent, teen, parent_h, teen_h, mandate


def test_a_minor_sees_but_cannot_revoke_the_guardians_mandate(client, factories):
    """《民法典》第二十七条、第三十四条: the guardian keeps parental responsibility until 18."""
    parent, teen, parent_h, teen_h, mandate = _linked_teen(client, factories)
    assert mandate["kind"] == "guardian" and mandate["status"] == "active"
    refused = client.delete(f"/api/v1/me/mandates/{mandate['id']}", headers=teen_h)
    assert refused.status_code == 403, refused.json
    assert refused.json["error"]["code"] == "guardian_until_18"
    still = client.get("/api/v1/me/mandates", headers=teen_h).json["granted"][0]
    assert still["status"] == "active"
    factories.login(client, teen)
    html = client.get("/family/").get_data(as_text=True)
    assert f'data-testid="granted-{mandate["id"]}"' in html
    assert f'data-testid="revoke-{mandate["id"]}"' not in html


def test_the_guardian_may_give_up_the_minors_mandate(client, factories):
    """《民法典》第三十四条 binds the guardian, who may still end their own portal access."""
    parent, teen, parent_h, teen_h, mandate = _linked_teen(client, factories)
    ended = client.delete(f"/api/v1/me/mandates/{mandate['id']}", headers=parent_h)
    assert ended.status_code in (200, 204), ended.json
    assert client.get("/api/v1/me/mandates", headers=teen_h).json["granted"][0]["status"] == (
        "revoked"
    )
