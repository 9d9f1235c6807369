"""Every admin read of a citizen's personal data states a purpose and shows in that
citizen's access log (《个人信息保护法》第十四条、第十七条: processing for a stated purpose,
and the individual's right to know)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.models import AccessLog

PURPOSE = "工单 #501 用户询问提醒缺失"


def _log(db_session, citizen_id: int) -> list[tuple[str, str]]:
    db_session.expire_all()
    rows = db_session.scalars(
        select(AccessLog).where(AccessLog.subject_account_id == citizen_id).order_by(AccessLog.id)
    )
    return [(r.what, r.purpose) for r in rows]


def test_the_citizen_page_by_id_shows_no_email_address(admin_client, citizen, db_session):
    page = admin_client.get(f"/admin/citizens/{citizen.id}")
    assert page.status_code == 200
    assert citizen.email not in page.get_data(as_text=True)
    assert _log(db_session, citizen.id) == []


def test_reading_the_account_needs_a_purpose_and_is_logged(
    admin_client, citizen, db_session, client, factories
):
    refused = admin_client.post(f"/admin/citizens/{citizen.id}", data={"what": "account"})
    assert refused.status_code == 422 and citizen.email not in refused.get_data(as_text=True)
    assert _log(db_session, citizen.id) == []
    shown = admin_client.post(
        f"/admin/citizens/{citizen.id}", data={"what": "account", "purpose": PURPOSE}
    )
    assert shown.status_code == 200 and citizen.email in shown.get_data(as_text=True)
    assert _log(db_session, citizen.id) == [("account", PURPOSE)]
    # The citizen sees it.
    items = client.get("/api/v1/me/access-log", headers=factories.token(client, citizen)).json
    assert items["items"][0]["purpose"] == PURPOSE


def test_finding_a_citizen_by_email_needs_a_purpose_and_is_logged(
    admin_client, citizen, db_session
):
    refused = admin_client.post("/admin/citizens", data={"email": citizen.email})
    assert refused.status_code == 422
    assert f"/admin/citizens/{citizen.id}" not in refused.get_data(as_text=True)
    # A GET with the address in the URL searches nothing.
    assert f"/admin/citizens/{citizen.id}" not in admin_client.get(
        f"/admin/citizens?email={citizen.email}"
    ).get_data(as_text=True)
    assert _log(db_session, citizen.id) == []
    found = admin_client.post("/admin/citizens", data={"email": citizen.email, "purpose": PURPOSE})
    assert f"/admin/citizens/{citizen.id}" in found.get_data(as_text=True)
    assert _log(db_session, citizen.id) == [("lookup", PURPOSE)]


def test_sandbox_preview_of_a_chosen_citizen_needs_a_purpose(
    admin_client, citizen, db_session, client, admin, factories
):
    html = admin_client.post(
        "/admin/rules/sandbox", data={"email": citizen.email, "sample_size": "0"}
    )
    assert html.status_code == 422
    headers = factories.token(client, admin)
    api = client.post(
        "/api/v1/admin/rules/preview",
        json={"user_id": citizen.id, "sample_size": 0},
        headers=headers,
    )
    assert api.status_code == 400 and api.json["error"]["code"] == "purpose_required"
    assert _log(db_session, citizen.id) == []
    ok = client.post(
        "/api/v1/admin/rules/preview",
        json={"user_id": citizen.id, "sample_size": 0, "purpose": PURPOSE},
        headers=headers,
    )
    assert ok.status_code == 200
    assert _log(db_session, citizen.id) == [("recommendations", PURPOSE)]
