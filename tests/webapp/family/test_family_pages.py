"""The family pages in the browser: invite, accept, grant, view as, revoke (no JavaScript)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _post(client: FlaskClient, url: str, data: dict):
    token = _csrf(client.get("/family/").text)
    return client.post(url, data={**data, "csrf_token": token})


def test_invite_accept_grant_view_as_and_revoke(app, factories):
    from datetime import date

    son = factories.citizen(full_name="李明")
    father = factories.citizen(birth_date=date(1975, 2, 1), full_name="张父")
    member_id = factories.member(son, "parent", "张父", date(1975, 2, 1))
    son_c, father_c = app.test_client(), app.test_client()
    factories.login(son_c, son)
    factories.login(father_c, father)
    assert "未经本人确认" in son_c.get("/family/").text
    invited = _post(son_c, f"/family/household/{member_id}/invite", {})
    assert invited.status_code == 302
    page = son_c.get(invited.headers["Location"]).text
    token = re.search(r'data-testid="invitation-code">([^<]+)<', page).group(1)
    accepted = father_c.post(
        f"/family/invitations/{token}",
        data={"csrf_token": _csrf(father_c.get(f"/family/invitations/{token}").text)},
    )
    assert accepted.status_code == 302
    granted = _post(
        father_c, "/family/mandates", {"grantee": son.id, "scopes": ["view"], "elder_mode": "1"}
    )
    assert granted.status_code == 302
    view = son_c.get(f"/family/as/{father.id}")
    assert view.status_code == 200
    assert 'data-testid="acting-as"' in view.text and "theme-elder" in view.text
    mandate_id = int(
        re.search(r'data-testid="revoke-(\d+)"', father_c.get("/family/").text).group(1)
    )
    _post(father_c, f"/family/mandates/{mandate_id}/revoke", {})
    assert son_c.get(f"/family/as/{father.id}").status_code == 404
    log = father_c.get("/privacy/access-log")
    assert log.status_code == 200
    assert log.text.count("代为查看您的页面") == 1  # the one view before the revocation


def test_view_as_without_mandate_is_404(app, factories):
    son = factories.citizen()
    other = factories.citizen()
    client = app.test_client()
    factories.login(client, son)
    assert client.get(f"/family/as/{other.id}").status_code == 404
    assert client.get(f"/family/as/{son.id}").status_code == 404


def test_bad_form_input_is_a_message_not_a_500(app, factories):
    son = factories.citizen()
    client = app.test_client()
    factories.login(client, son)
    for data in ({"grantee": "x"}, {"grantee": "1", "scopes": ["view"], "valid_until": "nope"}):
        response = _post(client, "/family/mandates", data)
        assert response.status_code == 302
    assert _post(client, "/family/shares", {"spouse": "x"}).status_code == 302
    assert _post(client, "/family/household/999/invite", {}).status_code == 302
    assert _post(client, "/family/reminders/999/done", {}).status_code == 302
