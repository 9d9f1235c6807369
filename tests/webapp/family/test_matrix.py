"""Each route that acts for a member, against each way a mandate can be missing: none, expired,
revoked, or of a narrower scope. All answer 404 and change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.webapp.family.conftest import grant

# (method, path template, scope it needs, how it is called)
ROUTES = [
    ("GET", "/api/v1/me", "view", "act_as"),
    ("GET", "/api/v1/me/page", "view", "act_as"),
    ("GET", "/api/v1/me/duties", "view|act", "act_as"),  # acting needs seeing the duties
    ("POST", "/api/v1/me/duties/{duty}/done", "act", "act_as"),
    ("POST", "/api/v1/me/duties/{duty}/snooze", "act", "act_as"),
    ("GET", "/api/v1/me/notification-settings", "act", "act_as"),
    ("PUT", "/api/v1/me/notification-settings", "act", "act_as"),
    ("PUT", "/api/v1/me/profile", "act", "act_as"),
    ("POST", "/api/v1/me/family-reminders/{duty}/done", "act", "own"),
    ("GET", "/family/as/{father}", "view|act", "browser"),
]
NARROWER = {"view": ["reminders", "act"], "act": ["view", "reminders"], "view|act": ["reminders"]}
BODIES = {
    "/api/v1/me/duties/{duty}/snooze": {"until": "2026-12-20"},
    "/api/v1/me/notification-settings": {"email_enabled": False, "digest": "weekly"},
    "/api/v1/me/profile": {"full_name": "改名"},
}


def _setup(client, family, state, scope, monkeypatch):
    if state == "expired":
        grant(client, family, scope.split("|"), valid_until=date(2026, 11, 30))
        monkeypatch.setattr("webapp.core.clock.local_today", lambda: date(2026, 12, 1))
    elif state == "revoked":
        mandate_id = grant(client, family, scope.split("|"))
        client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.father_h)
    elif state == "narrower":
        grant(client, family, NARROWER[scope])


def _duty_id(client, family) -> int:
    rows = client.get("/api/v1/me/duties", headers=family.father_h).json["items"]
    return next(d["id"] for d in rows if d["subject"]["kind"] == "self")


@pytest.mark.parametrize("state", ["none", "expired", "revoked", "narrower"])
@pytest.mark.parametrize(("method", "path", "scope", "how"), ROUTES)
def test_refused_without_a_valid_mandate(
    app, client, factories, family, monkeypatch, state, method, path, scope, how
):
    duty_id = _duty_id(client, family)
    before = client.get("/api/v1/me/duties?status=all", headers=family.father_h).json
    _setup(client, family, state, scope, monkeypatch)
    url = path.format(duty=duty_id, father=family.father.id)
    if how == "browser":
        browser = app.test_client()
        factories.login(browser, family.son)
        response = browser.open(url, method=method)
    else:
        headers = dict(family.son_h)
        if how == "act_as":
            headers["Act-As"] = str(family.father.id)
        response = client.open(url, method=method, headers=headers, json=BODIES.get(path))
    assert response.status_code == 404
    after = client.get("/api/v1/me/duties?status=all", headers=family.father_h).json
    assert after == before
    log = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    assert [row for row in log if row["what"].startswith("family_")] == []


@pytest.mark.parametrize(("method", "path", "scope", "how"), ROUTES)
def test_allowed_with_the_scope(app, client, factories, family, method, path, scope, how):
    """Each scope that allows the route does, alone ("view|act": either); granting again
    changes the holder's one mandate."""
    duty_id = _duty_id(client, family)
    for alone in scope.split("|"):
        body = {"grantee_account_id": family.son.id}
        body["scopes"] = [alone] if how != "own" else ["act", "reminders"]
        granted = client.post("/api/v1/me/mandates", json=body, headers=family.father_h)
        assert granted.status_code in (200, 201), granted.json
        url = path.format(duty=duty_id, father=family.father.id)
        if how == "browser":
            browser = app.test_client()
            factories.login(browser, family.son)
            response = browser.open(url, method=method)
        else:
            headers = dict(family.son_h)
            if how == "act_as":
                headers["Act-As"] = str(family.father.id)
            response = client.open(url, method=method, headers=headers, json=BODIES.get(path))
        assert response.status_code in (200, 204), (alone, response.data[:300])
    log = client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]
    assert [row for row in log if row["what"].startswith("family_")]
