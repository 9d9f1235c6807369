"""The personal page through the API: GET /me/page, PUT /me/page/layout, pins, hides."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from webapp.core.clock import local_today


def test_page_as_data(app, factories, client):
    account = factories.citizen()
    factories.member(account, "child", "小明", local_today() - relativedelta(years=5, months=6))
    headers = factories.token(client, account)
    data = client.get("/api/v1/me/page", headers=headers).json
    assert "education" in data["stage"]["events"]
    assert any(e["status"] == "future" for e in data["timeline"])
    keys = [w["key"] for w in data["widgets"]]
    assert keys[:2] == ["due_soon", "recommended"]
    rec = data["widgets"][1]["content"]
    assert all(item["reasons"] for item in rec["items"])


def test_put_layout_round_trip(factories, citizen, client):
    headers = factories.token(client, citizen)
    body = {
        "widgets": [
            {"key": "pinned", "visible": True, "settings": {}},
            {"key": "inbox", "visible": False, "settings": {}},
        ],
        "theme": "elder",
    }
    response = client.put("/api/v1/me/page/layout", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["theme"] == "elder"
    assert [w["key"] for w in response.json["widgets"]][:2] == ["pinned", "inbox"]
    page = client.get("/api/v1/me/page", headers=headers).json
    assert page["theme"] == "elder"
    assert page["widgets"][0]["key"] == "pinned"
    assert page["widgets"][1]["visible"] is False and page["widgets"][1]["content"] is None


def test_put_layout_refuses_bad_input(factories, citizen, client):
    headers = factories.token(client, citizen)
    for body in (
        {"widgets": [{"key": "nope"}]},
        {"theme": "purple"},
        {"widgets": [], "extra": 1},
        {"widgets": [{"key": "inbox", "colour": "red"}]},
    ):
        response = client.put("/api/v1/me/page/layout", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json["error"]["code"]
    response = client.put(
        "/api/v1/me/page/layout",
        json={"widgets": [{"key": "inbox"}, {"key": "inbox"}]},
        headers=headers,
    )
    assert response.status_code == 422
    assert client.get("/api/v1/me/page/layout", headers=headers).json["theme"] == "standard"


def test_pins_and_hides_through_the_api(factories, citizen, client):
    headers = factories.token(client, citizen)
    assert client.put("/api/v1/me/pins/passport_renewal", headers=headers).status_code == 200
    assert client.get("/api/v1/me/pins", headers=headers).json["items"][0]["service_code"] == (
        "passport_renewal"
    )
    assert client.delete("/api/v1/me/pins/passport_renewal", headers=headers).status_code == 204
    assert client.get("/api/v1/me/pins", headers=headers).json["items"] == []
    assert client.put("/api/v1/me/pins/nope", headers=headers).status_code == 404
    assert client.put("/api/v1/me/hidden/passport_renewal", headers=headers).status_code == 200
    assert len(client.get("/api/v1/me/hidden", headers=headers).json["items"]) == 1
    assert client.delete("/api/v1/me/hidden/passport_renewal", headers=headers).status_code == 204


def test_page_api_needs_a_token_and_shows_only_the_callers_data(factories, client):
    assert client.get("/api/v1/me/page").status_code == 401
    one = factories.citizen()
    two = factories.citizen()
    factories.member(one, "child", "只属于一号", local_today() - relativedelta(years=3))
    client.put("/api/v1/me/pins/passport_renewal", headers=factories.token(client, one))
    page = client.get("/api/v1/me/page", headers=factories.token(client, two)).json
    assert "只属于一号" not in str(page)
    assert client.get("/api/v1/me/pins", headers=factories.token(client, two)).json["items"] == []


def test_page_in_traditional_chinese_and_by_lang(factories, client):
    account = factories.account("citizen", locale="zh_Hant")
    factories.member(account, "child", "小明", local_today() - relativedelta(years=5, months=6))
    headers = factories.token(client, account)
    data = client.get("/api/v1/me/page", headers=headers).json
    assert "上學" in data["stage"]["words"]
    assert data["widgets"][0]["title"]
    english = client.get("/api/v1/me/page?lang=en", headers=headers).json
    assert "Education" in english["stage"]["words"]
    assert client.get("/api/v1/me/page?lang=fr", headers=headers).status_code == 422
