"""Database errors that are not outages are not 503 (issue item 5): invalid characters are
400/422, integrity conflicts 409, only a lost connection 503. Lost updates (item 6) are
refused with 409 through a version (ETag / If-Match, form version)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError


@pytest.mark.parametrize(
    "url", ["/services/?q=%00", "/services/?q=a%01b", "/api/v1/services?q=%00", "/services/%00"]
)
def test_nul_and_control_characters_in_queries_are_400(client, url):
    response = client.get(url)
    assert response.status_code == 400


def test_nul_in_a_form_field_is_400(client):
    response = client.post("/login", data={"email": "a\x00@example.test", "password": "x"})
    assert response.status_code == 400


def test_nul_in_a_json_body_is_422(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.put(
        "/api/v1/me/profile", json={"birth_date": "1988-06-18", "gender": "\x00"}, headers=headers
    )
    assert response.status_code == 422


def _raise(exc):
    def boom(*args, **kwargs):
        raise exc

    return boom


def test_an_integrity_conflict_is_409_not_503(client, monkeypatch, caplog):
    from webapp.accounts import recovery

    monkeypatch.setattr(
        recovery, "sign_up", _raise(IntegrityError("INSERT", {}, Exception("unique")))
    )
    body = {"email": "new@example.test", "password": "a long enough passphrase"}
    response = client.post("/api/v1/accounts", json=body)
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_an_integrity_conflict_in_a_page_is_a_friendly_409(citizen_client, monkeypatch):
    from webapp.people import services

    monkeypatch.setattr(
        services, "replace_profile", _raise(IntegrityError("INSERT", {}, Exception("pk")))
    )
    response = citizen_client.post("/settings/profile", data={"birth_date": "1988-06-18"})
    assert response.status_code == 409
    assert "Reload" in response.get_data(as_text=True) or "重新加载" in response.get_data(
        as_text=True
    )


def test_only_a_lost_connection_is_503(client, monkeypatch):
    from webapp.catalog import api

    lost = OperationalError("SELECT", {}, Exception("server closed the connection"))
    monkeypatch.setattr(api, "find", _raise(lost))
    response = client.get("/api/v1/services?q=x")
    assert response.status_code == 503
    monkeypatch.setattr(api, "find", _raise(ProgrammingError("SELECT", {}, Exception())))
    assert client.get("/api/v1/services?q=x").status_code == 500


# ------------------------------------------------------------------ lost updates (item 6)
def test_layout_put_with_a_stale_if_match_is_409(client, factories, citizen):
    headers = factories.token(client, citizen)
    first = client.get("/api/v1/me/page/layout", headers=headers)
    etag = first.headers["ETag"]
    hide = {"widgets": [{"key": "due_soon", "visible": False}]}
    ok = client.put("/api/v1/me/page/layout", json=hide, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.headers["ETag"] != etag
    stale = client.put(
        "/api/v1/me/page/layout", json={"theme": "dark"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "version_conflict"
    fresh = client.put(
        "/api/v1/me/page/layout",
        json={"theme": "dark"},
        headers={**headers, "If-Match": ok.headers["ETag"]},
    )
    assert fresh.status_code == 200


def test_two_sessions_saving_the_same_layout_version_cannot_both_win(app, citizen):
    """Both read version 1; the first save wins, the second fails instead of undoing it."""
    from sqlalchemy.orm.exc import StaleDataError

    from webapp.core.db import db
    from webapp.page import services as page
    from webapp.page.models import PageLayout

    with app.app_context():
        with db.transaction() as s:
            page.save_layout(s, citizen.id, None, "standard")
        one, two = db.new_session(), db.new_session()
        try:
            first, second = one.get(PageLayout, citizen.id), two.get(PageLayout, citizen.id)
            first.theme = "elder"
            one.commit()
            second.theme = "dark"
            with pytest.raises(StaleDataError):
                two.commit()
        finally:
            one.close()
            two.close()
        with db.transaction() as s:
            assert page.layout_of(s, citizen.id)["theme"] == "elder"


def test_profile_put_honours_if_match(client, factories, citizen):
    headers = factories.token(client, citizen)
    got = client.get("/api/v1/me/profile", headers=headers)
    etag = got.headers["ETag"]
    body = {"birth_date": "1988-06-18", "gender": "male", "region_code": "440106"}
    ok = client.put("/api/v1/me/profile", json=body, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200
    stale = client.put(
        "/api/v1/me/profile", json={**body, "employment": "employed"},
        headers={**headers, "If-Match": etag},
    )  # fmt: skip
    assert stale.status_code == 409


def test_profile_form_carries_its_version(citizen_client):
    page = citizen_client.get("/settings/profile").get_data(as_text=True)
    assert 'name="version"' in page
    old = {"birth_date": "1988-06-18", "gender": "male", "region_code": "440106"}
    import re

    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert (
        citizen_client.post("/settings/profile", data={**old, "version": version}).status_code
        == 302
    )
    again = citizen_client.post("/settings/profile", data={**old, "version": version})
    assert again.status_code == 409


# ------------------------------------------------------------------ JSON limits (Low)
def test_deeply_nested_json_is_422_not_500(client, factories, citizen):
    headers = factories.token(client, citizen)
    deep = "[" * 5000 + "]" * 5000
    response = client.put(
        "/api/v1/me/page/layout",
        data=deep,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_a_deep_widget_setting_is_refused_and_an_old_one_no_longer_breaks_the_page(
    app, client, factories, citizen
):
    headers = factories.token(client, citizen)
    deep: dict = {}
    node = deep
    for _ in range(10):
        node["x"] = {}
        node = node["x"]
    body = {"widgets": [{"key": "due_soon", "settings": deep}]}
    assert client.put("/api/v1/me/page/layout", json=body, headers=headers).status_code == 422
    huge = {"widgets": [{"key": "due_soon", "settings": {"x": "y" * 5000}}]}
    assert client.put("/api/v1/me/page/layout", json=huge, headers=headers).status_code == 422
    # A row stored before the limit existed: the page API still answers.
    from webapp.core.db import db
    from webapp.page.models import PageLayout

    with app.app_context(), db.transaction() as s:
        s.add(
            PageLayout(
                account_id=citizen.id,
                widgets=[{"key": "due_soon", "visible": True, "settings": deep}],
                theme="standard",
            )
        )
    assert client.get("/api/v1/me/page/layout", headers=headers).status_code == 200
    assert client.get("/api/v1/me/page", headers=headers).status_code == 200


def test_hsts_only_when_cookies_are_secure(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "max-age=" in client.get("/").headers["Strict-Transport-Security"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
