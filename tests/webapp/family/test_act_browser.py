"""Acting for a member in the browser with the "act" scope: mark done, snooze, profile and
reminder settings from the acting-as view; each recorded with both names."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.webapp.family.conftest import TODAY, grant


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _son_browser(app, factories, family):
    son_c = app.test_client()
    factories.login(son_c, family.son)
    return son_c


def _father_duty_id(client, family) -> int:
    rows = client.get("/api/v1/me/duties", headers=family.father_h).json["items"]
    return next(d["id"] for d in rows if d["subject"]["kind"] == "self")


def _log(client, family) -> list[dict]:
    return client.get("/api/v1/me/access-log", headers=family.father_h).json["items"]


def test_act_scope_shows_forms_and_marks_done_with_both_names(app, client, factories, family):
    grant(client, family, ["view", "act"])
    son_c = _son_browser(app, factories, family)
    duty_id = _father_duty_id(client, family)
    page = son_c.get(f"/family/as/{family.father.id}")
    assert f'data-testid="as-done-{duty_id}"' in page.text
    done = son_c.post(
        f"/family/as/{family.father.id}/duties/{duty_id}/done",
        data={"csrf_token": _csrf(page.text)},
    )
    assert done.status_code == 302
    own = client.get("/api/v1/me/duties?status=all", headers=family.father_h).json["items"]
    assert next(d for d in own if d["id"] == duty_id)["status"] == "done"
    done_rows = [r for r in _log(client, family) if r["what"] == "family_done"]
    assert len(done_rows) == 1 and "李明" in done_rows[0]["who"]
    # The father's family page says who did it: 由 李明 代为标记完成.
    father_c = app.test_client()
    factories.login(father_c, family.father)
    assert "由 李明 代为标记完成" in father_c.get("/family/").text


def test_view_scope_alone_shows_no_forms_and_refuses_actions(app, client, factories, family):
    grant(client, family, ["view"])
    son_c = _son_browser(app, factories, family)
    duty_id = _father_duty_id(client, family)
    page = son_c.get(f"/family/as/{family.father.id}")
    assert page.status_code == 200 and 'data-testid="act-for"' not in page.text
    token = _csrf(son_c.get("/family/").text)
    base = f"/family/as/{family.father.id}"
    for url in (f"{base}/duties/{duty_id}/done", f"{base}/duties/{duty_id}/snooze"):
        assert son_c.post(url, data={"csrf_token": token, "until": "2027-01-01"}).status_code == 404
    assert son_c.get(f"{base}/profile").status_code == 404
    assert son_c.get(f"{base}/notification-settings").status_code == 404
    assert not [r for r in _log(client, family) if r["what"] in ("family_done", "family_snooze")]


def test_revoked_or_expired_act_mandate_is_a_404(app, client, factories, family, monkeypatch):
    mandate_id = grant(client, family, ["view", "act"], valid_until=TODAY)
    son_c = _son_browser(app, factories, family)
    duty_id = _father_duty_id(client, family)
    token = _csrf(son_c.get("/family/").text)
    url = f"/family/as/{family.father.id}/duties/{duty_id}/done"
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY + timedelta(days=1))
    assert son_c.post(url, data={"csrf_token": token}).status_code == 404
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)
    client.delete(f"/api/v1/me/mandates/{mandate_id}", headers=family.father_h)
    assert son_c.post(url, data={"csrf_token": token}).status_code == 404


def test_another_members_duty_cannot_be_closed_through_a_mandate(app, client, factories, family):
    grant(client, family, ["view", "act"])
    son_c = _son_browser(app, factories, family)
    stranger = factories.citizen()
    stranger_h = factories.token(client, stranger)
    other = client.get("/api/v1/me/duties", headers=stranger_h).json["items"][0]["id"]
    token = _csrf(son_c.get("/family/").text)
    url = f"/family/as/{family.father.id}/duties/{other}/done"
    assert son_c.post(url, data={"csrf_token": token}).status_code == 404
    url = f"/family/as/{stranger.id}/duties/{other}/done"
    assert son_c.post(url, data={"csrf_token": token}).status_code == 404


def test_snooze_for_the_member_and_bad_dates(app, client, factories, family):
    grant(client, family, ["view", "act"])
    son_c = _son_browser(app, factories, family)
    duty_id = _father_duty_id(client, family)
    token = _csrf(son_c.get("/family/").text)
    url = f"/family/as/{family.father.id}/duties/{duty_id}/snooze"
    bad = son_c.post(url, data={"csrf_token": token, "until": "nope"}, follow_redirects=True)
    assert bad.status_code == 200
    past = son_c.post(url, data={"csrf_token": token, "until": TODAY.isoformat()})
    assert past.status_code == 302
    assert not [r for r in _log(client, family) if r["what"] == "family_snooze"]
    until = (TODAY + timedelta(days=10)).isoformat()
    assert son_c.post(url, data={"csrf_token": token, "until": until}).status_code == 302
    own = client.get("/api/v1/me/duties?status=all", headers=family.father_h).json["items"]
    assert next(d for d in own if d["id"] == duty_id)["status"] == "snoozed"
    assert [r["what"] for r in _log(client, family)].count("family_snooze") == 1


def test_fill_the_members_profile(app, client, factories, family):
    grant(client, family, ["view", "act"])
    son_c = _son_browser(app, factories, family)
    url = f"/family/as/{family.father.id}/profile"
    form = son_c.get(url)
    assert form.status_code == 200 and 'data-testid="acting-as"' in form.text
    assert 'value="张父"' in form.text
    data = {
        "csrf_token": _csrf(form.text),
        "full_name": "张建国",
        "birth_date": "1975-02-01",
        "gender": "male",
        "region_code": "440106",
        "retirement_category": "male",
    }
    bad = son_c.post(url, data={**data, "birth_date": "2999-01-01"})
    assert bad.status_code == 422
    saved = son_c.post(url, data=data)
    assert saved.status_code == 302, saved.text[:2000]
    from webapp.core.db import db
    from webapp.models import CitizenProfile

    with app.app_context():
        assert db.session.get(CitizenProfile, family.father.id).full_name == "张建国"
    assert [r["what"] for r in _log(client, family)].count("family_profile") == 1


def test_manage_the_members_reminder_settings(app, client, factories, family):
    grant(client, family, ["view", "act"])
    son_c = _son_browser(app, factories, family)
    url = f"/family/as/{family.father.id}/notification-settings"
    form = son_c.get(url)
    assert form.status_code == 200
    data = {"csrf_token": _csrf(form.text), "quiet_start": "21:00", "quiet_end": "07:30"}
    data |= {"digest": "none", "weekly_email_budget": "3"}
    # E-mail needs the member's own consent.
    refused = son_c.post(url, data={**data, "email_enabled": "on"})
    assert refused.status_code == 422
    assert son_c.post(url, data=data).status_code == 302
    settings = client.get("/api/v1/me/notification-settings", headers=family.father_h).json
    assert settings["quiet_start"].startswith("21:00") and settings["weekly_email_budget"] == 3
    assert settings["email_enabled"] is False
    assert [r["what"] for r in _log(client, family)].count("family_settings") == 1
    # The son's own settings are untouched.
    own = client.get("/api/v1/me/notification-settings", headers=family.son_h).json
    assert own["weekly_email_budget"] != 3
