"""Acting for a family member under a mandate: each scope, each expiry path, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.family.conftest import grant


def _as(fam, account=None) -> dict:
    return {**fam.son_h, "Act-As": str((account or fam.father).id)}


def _father_duty(client, fam) -> dict:
    rows = client.get("/api/v1/me/duties?status=all", headers=fam.father_h).json["items"]
    own = [d for d in rows if d["subject"]["kind"] == "self"]
    assert own, rows
    return own[0]


def test_view_scope_reads_the_members_page_and_logs_each_view(client, family):
    grant(client, family, ["view"])
    for _ in range(2):
        page = client.get("/api/v1/me/page", headers=_as(family))
        assert page.status_code == 200, page.json
    me = client.get("/api/v1/me", headers=_as(family))
    assert me.json["account"]["id"] == family.father.id
    assert me.headers["Acting-For"] == str(family.father.id)
    assert me.headers["Acting-By"] == str(family.son.id)
    assert "Acting-For" not in client.get("/api/v1/me", headers=family.son_h).headers
    log = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    views = [row for row in log if row["what"] == "family_view"]
    assert len(views) == 3
    assert all("李明" in row["who"] for row in views)


def test_view_scope_does_not_allow_acting(client, family):
    grant(client, family, ["view", "reminders"])
    duty = _father_duty(client, family)
    done = client.post(f"/api/v1/me/duties/{duty['id']}/done", headers=_as(family))
    assert done.status_code == 404
    put = client.put("/api/v1/me/notification-settings", json={}, headers=_as(family))
    assert put.status_code == 404


def test_act_scope_marks_done_and_the_member_sees_who_did_it(client, family):
    grant(client, family, ["act"])
    duty = _father_duty(client, family)
    done = client.post(f"/api/v1/me/duties/{duty['id']}/done", headers=_as(family))
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done"
    # "act" alone does not let the son read the page.
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 404
    log = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    assert [row["what"] for row in log if row["what"].startswith("family_")] == ["family_done"]


def test_no_mandate_is_a_404(client, family):
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 404
    assert client.get("/api/v1/me/duties", headers=_as(family)).status_code == 404


def test_act_as_a_stranger_or_garbage_is_a_404(client, family, factories):
    stranger = factories.citizen()
    assert client.get("/api/v1/me/page", headers=_as(family, stranger)).status_code == 404
    for raw in ("abc", "-1", "99999999999", ""):
        headers = {**family.son_h, "Act-As": raw}
        assert client.get("/api/v1/me/page", headers=headers).status_code == 404


def test_a_route_without_a_scope_refuses_act_as(client, family):
    grant(client, family, ["view", "reminders", "act"])
    # Tokens, exports and mandates themselves are never done for someone else.
    assert client.get("/api/v1/me/export", headers=_as(family)).status_code == 404
    assert client.get("/api/v1/me/mandates", headers=_as(family)).status_code == 404


def test_revoked_mandate_ends_at_once(client, family):
    mandate_id = grant(client, family, ["view"])
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 200
    assert (
        client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.father_h).status_code
        == 204
    )
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 404
    listed = client.get("/api/v1/me/mandates", headers=family.father_h).json
    assert listed["granted"][0]["status"] == "revoked"


def test_the_holder_can_give_a_mandate_back(client, family):
    mandate_id = grant(client, family, ["view"])
    assert (
        client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.son_h).status_code == 204
    )
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 404


def test_expired_mandate_is_refused_the_day_after(client, family, monkeypatch):
    grant(client, family, ["view"], valid_until=date(2026, 12, 5))
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 5))
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 200
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 6))
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 404
    listed = client.get("/api/v1/me/mandates", headers=family.son_h).json
    assert listed["received"][0]["status"] == "expired"


def test_mandate_only_for_a_linked_account(client, family, factories):
    stranger = factories.citizen()
    body = {"grantee_account_id": stranger.id, "scopes": ["view"]}
    response = client.post("/api/v1/me/mandates", json=body, headers=family.father_h)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"grantee_account_id": 1, "scopes": []},
        {"grantee_account_id": 1, "scopes": ["everything"]},
        {"grantee_account_id": "x", "scopes": ["view"]},
    ],
)
def test_bad_mandate_body_is_422(client, family, body):
    response = client.post("/api/v1/me/mandates", json=body, headers=family.father_h)
    assert response.status_code == 422


def test_a_past_end_date_is_refused(client, family):
    body = {"grantee_account_id": family.son.id, "scopes": ["view"], "valid_until": "2026-01-01"}
    response = client.post("/api/v1/me/mandates", json=body, headers=family.father_h)
    assert response.status_code == 400


def test_another_account_cannot_revoke(client, family, factories):
    mandate_id = grant(client, family, ["view"])
    other = factories.token(client, factories.citizen())
    assert client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=other).status_code == 404
    assert client.get("/api/v1/me/page", headers=_as(family)).status_code == 200


def test_openapi_documents_the_act_as_header(client):
    spec = client.get("/api/v1/openapi.json").json
    params = spec["paths"]["/me/page"]["get"]["parameters"]
    assert any(p["name"] == "Act-As" and p["in"] == "header" for p in params)


def test_only_the_member_turns_on_email_reminders_pipl_art_14(client, family):
    """《个人信息保护法》第十四条: consent is given by the person; e-mail reminders record it."""
    grant(client, family, ["act"])
    body = {"email_enabled": True}
    refused = client.put("/api/v1/me/notification-settings", json=body, headers=_as(family))
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "own_consent_required"
    settings = client.get("/api/v1/me/notification-settings", headers=family.father_h).json
    assert settings["email_enabled"] is False
    quiet = {"email_enabled": False, "digest": "weekly"}
    allowed = client.put("/api/v1/me/notification-settings", json=quiet, headers=_as(family))
    assert allowed.status_code == 200 and allowed.json["digest"] == "weekly"
