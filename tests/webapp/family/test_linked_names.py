"""A household entry linked to the member's own account shows the member's own name (their
profile name, else their account's display name; the typed name otherwise) on the citizen's
page, the family page, the household settings and in the API — and follows a rename."""

from __future__ import annotations

from datetime import date

from tests.webapp.family.conftest import TODAY


def _son_pages(app, factories, family) -> dict[str, str]:
    son_c = app.test_client()
    factories.login(son_c, family.son)
    return {url: son_c.get(url).text for url in ("/me/", "/family/", "/settings/household")}


def _api_names(client, family) -> list[tuple[str, str]]:
    items = client.get("/api/v1/me/household", headers=family.son_h).json["items"]
    return [(m["name"], m["display_name"]) for m in items]


def test_the_linked_members_own_name_is_shown_everywhere(app, client, factories):
    son = factories.citizen(full_name="李明")
    father = factories.citizen(birth_date=date(1960, 2, 1), full_name="李建国")
    member_id = factories.member(son, "parent", "爸爸", date(1960, 2, 1))
    son_h, father_h = factories.token(client, son), factories.token(client, father)

    class Family:
        pass

    family = Family()
    family.son, family.son_h = son, son_h
    pages = _son_pages(app, factories, family)
    assert all("爸爸" in text and "李建国" not in text for text in pages.values())
    assert _api_names(client, family) == [("爸爸", "爸爸")]

    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json
    client.post(f"/api/v1/invitations/{token['token']}/accept", headers=father_h)
    pages = _son_pages(app, factories, family)
    for url, text in pages.items():
        assert "李建国" in text, url
    assert "爸爸" not in pages["/me/"]  # the timeline too names him by his own name
    assert _api_names(client, family) == [("爸爸", "李建国")]
    me = client.get("/api/v1/me", headers=son_h).json
    assert [m["display_name"] for m in me["household"]] == ["李建国"]
    one = client.get(f"/api/v1/me/household/{member_id}", headers=son_h).json
    assert one["display_name"] == "李建国" and one["name"] == "爸爸"

    # The member renames themselves: the son's (cached) page follows at the next view.
    renamed = client.put("/api/v1/me/profile", json={"full_name": "李国强"}, headers=father_h)
    assert renamed.status_code == 200, renamed.json
    assert "李国强" in _son_pages(app, factories, family)["/me/"]
    assert _api_names(client, family) == [("爸爸", "李国强")]

    # Unlinked: the typed name again.
    client.delete(f"/api/v1/me/household/{member_id}/link", headers=son_h)
    pages = _son_pages(app, factories, family)
    assert "李国强" not in pages["/me/"] and "爸爸" in pages["/me/"]


def test_a_linked_member_without_a_profile_name_shows_the_display_name(
    app, client, factories, monkeypatch
):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)
    son = factories.citizen(full_name="李明")
    father = factories.account(email="dad@example.test")
    with app.app_context():
        from webapp.core.db import db

        db.session.get(type(father), father.id).display_name = "老李"
        db.session.commit()
    member_id = factories.member(son, "parent", "爸爸", date(1960, 2, 1))
    son_h, father_h = factories.token(client, son), factories.token(client, father)
    token = client.post(f"/api/v1/me/household/{member_id}/invitation", headers=son_h).json
    accepted = client.post(f"/api/v1/invitations/{token['token']}/accept", headers=father_h)
    assert accepted.status_code == 200, accepted.json
    items = client.get("/api/v1/me/household", headers=son_h).json["items"]
    assert [(m["name"], m["display_name"]) for m in items] == [("爸爸", "老李")]


def test_nobody_else_sees_the_names(client, factories, family):
    stranger = factories.citizen(full_name="王五")
    stranger_h = factories.token(client, stranger)
    response = client.get(f"/api/v1/me/household/{family.member_id}", headers=stranger_h)
    assert response.status_code == 404
    assert client.get("/api/v1/me/household", headers=stranger_h).json["items"] == []
