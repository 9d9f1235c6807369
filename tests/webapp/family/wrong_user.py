"""Every family route called by a stranger: nothing shown, nothing changed (run from
tests/webapp/test_route_inventory.py, which lists the routes)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

FAMILY_ROUTES = (
    "/api/v1/me/household/<int:member_id>/invitation",
    "/api/v1/me/household/<int:member_id>/link",
    "/api/v1/invitations/<token>/accept",
    "/api/v1/me/links",
    "/api/v1/me/mandates",
    "/api/v1/me/mandates/<int:mandate_id>",
    "/api/v1/me/mandates/<int:mandate_id>/confirm",
    "/api/v1/me/family-reminders",
    "/api/v1/me/family-reminders/<int:duty_id>/done",
    "/api/v1/me/reminder-shares",
    "/family/",
    "/family/as/<int:account_id>",
    "/family/as/<int:account_id>/duties/<int:duty_id>/done",
    "/family/as/<int:account_id>/duties/<int:duty_id>/snooze",
    "/family/as/<int:account_id>/profile",
    "/family/as/<int:account_id>/notification-settings",
    "/family/admin/mandates",
    "/family/mandates/<int:mandate_id>/confirm",
    "/family/household/<int:member_id>/invite",
    "/family/household/<int:member_id>/unlink",
    "/family/invitations/<token>",
    "/family/mandates",
    "/family/mandates/<int:mandate_id>/revoke",
    "/family/reminders/<int:duty_id>/done",
    "/family/shares",
)


def _counts(app) -> dict:
    from webapp.core.db import db
    from webapp.models import Duty, FamilyInvitation, FamilyLink, Mandate, ReminderShare

    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {
            "links": count(FamilyLink),
            "invitations": count(FamilyInvitation),
            "mandates": count(Mandate),
            "active": db.session.scalar(
                select(func.count()).select_from(Mandate).where(Mandate.revoked_at.is_(None))
            ),
            "shares": count(ReminderShare),
            "done": db.session.scalar(
                select(func.count()).select_from(Duty).where(Duty.status == "done")
            ),
        }


def check_family_routes(app, factories, client, monkeypatch) -> None:
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 11, 30))
    son = factories.citizen(full_name="李明")
    father = factories.citizen(
        birth_date=date(1975, 2, 1), full_name="张父", id_card={"issued_on": date(2007, 1, 20)}
    )
    member_id = factories.member(son, "parent", "张父", date(1975, 2, 1))
    son_h, father_h = factories.token(client, son), factories.token(client, father)
    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json["token"]
    client.post(f"/api/v1/invitations/{token}/accept", headers=father_h)
    body = {"grantee_account_id": son.id, "scopes": ["view", "reminders"]}
    mandate_id = client.post("/api/v1/me/mandates", json=body, headers=father_h).json["id"]
    duty_id = client.get("/api/v1/me/family-reminders", headers=son_h).json["items"][0]["duty_id"]

    stranger = factories.citizen(full_name="路人")
    h = factories.token(client, stranger)
    before = _counts(app)
    invitation = f"/api/v1/me/household/{member_id}/invitation"
    assert client.get(invitation, headers=h).status_code == 404
    assert client.post(invitation, headers=h).status_code == 404
    assert client.delete(f"/api/v1/me/household/{member_id}/link", headers=h).status_code == 404
    assert client.post(f"/api/v1/invitations/{token}/accept", headers=h).status_code == 404
    assert client.get("/api/v1/me/links", headers=h).json == {"items": []}
    assert client.get("/api/v1/me/mandates", headers=h).json == {"granted": [], "received": []}
    assert client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=h).status_code == 404
    confirm = f"/api/v1/me/mandates/{mandate_id}/confirm"
    assert client.post(confirm, headers=h).status_code == 404
    assert client.get("/api/v1/me/family-reminders", headers=h).json == {"items": []}
    done = client.post(f"/api/v1/me/family-reminders/{duty_id}/done", headers=h)
    assert done.status_code == 404
    share = {"spouse_account_id": son.id, "share": True}
    assert client.put("/api/v1/me/reminder-shares", json=share, headers=h).status_code == 404

    browser = app.test_client()
    factories.login(browser, stranger)
    page = browser.get("/family/")
    assert page.status_code == 200 and "张父" not in page.text and "李明" not in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert browser.get(f"/family/as/{father.id}").status_code == 404
    as_base = f"/family/as/{father.id}"
    assert browser.get(f"{as_base}/profile").status_code == 404
    assert browser.get(f"{as_base}/notification-settings").status_code == 404
    for url in (f"{as_base}/duties/{duty_id}/done", f"{as_base}/duties/{duty_id}/snooze"):
        data = {"csrf_token": csrf, "until": "2027-01-01"}
        assert browser.post(url, data=data).status_code == 404, url
    for url in (f"{as_base}/profile", f"{as_base}/notification-settings"):
        assert browser.post(url, data={"csrf_token": csrf, "full_name": "x"}).status_code == 404
    assert browser.get("/family/admin/mandates").status_code == 403
    admin_data = {"csrf_token": csrf, "grantor_account": str(father.id), "grantee": str(son.id)}
    assert browser.post("/family/admin/mandates", data=admin_data).status_code == 403
    assert browser.get(f"/family/invitations/{token}").status_code == 200  # the form only
    for url, data in (
        (f"/family/household/{member_id}/invite", {}),
        (f"/family/household/{member_id}/unlink", {}),
        (f"/family/invitations/{token}", {}),
        ("/family/mandates", {"grantee": str(son.id), "scopes": "view"}),
        (f"/family/mandates/{mandate_id}/revoke", {}),
        (f"/family/mandates/{mandate_id}/confirm", {}),
        (f"/family/reminders/{duty_id}/done", {}),
        ("/family/shares", {"spouse": str(son.id), "share": "1"}),
    ):
        assert browser.post(url, data={**data, "csrf_token": csrf}).status_code == 302, url
    assert _counts(app) == before
