"""The API skeleton: tokens, accounts, me, profile, household, enterprises, catalog."""

from __future__ import annotations

from datetime import date

from lifecycle.identifiers import make_id_number


def test_token_create_use_and_revoke(client, factories, citizen):
    headers = factories.token(client, citizen)
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json["account"]["email"] == citizen.email
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_refused_for_wrong_password(client, citizen):
    response = client.post(
        "/api/v1/tokens", json={"email": citizen.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials"


def test_signup_through_api(client):
    response = client.post(
        "/api/v1/accounts",
        json={"email": "api@example.test", "password": "a-long-pass-phrase", "kind": "business"},
    )
    assert response.status_code == 201 and response.json["kind"] == "business"
    again = client.post(
        "/api/v1/accounts", json={"email": "API@example.test", "password": "a-long-pass-phrase"}
    )
    # An address with an account answers like a new one (its owner is mailed instead).
    assert again.status_code == 201 and again.json.keys() == response.json.keys()


def test_unknown_fields_are_rejected(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.put(
        "/api/v1/me/profile", json={"birth_date": "1988-01-01", "role": "admin"}, headers=headers
    )
    assert response.status_code == 422
    assert "role" in response.json["error"]["fields"]


def test_profile_from_id_number_is_filled_and_masked(client, factories, citizen):
    headers = factories.token(client, citizen)
    number = make_id_number("440106", date(1990, 3, 7), 124)  # even → female
    response = client.put(
        "/api/v1/me/profile",
        json={"id_number": number, "id_card": {"issued_on": "2015-05-01"}},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["birth_date"] == "1990-03-07" and body["gender"] == "female"
    assert body["region_code"] == "440106"
    assert body["id_number_masked"] == number[:14] + "****"
    assert body["id_card"]["expires_on"] == "2025-05-01"  # issued at 25 → 10 years
    assert number not in client.get("/api/v1/me", headers=headers).get_data(as_text=True)


def test_id_number_stored_encrypted(app, client, factories, citizen):
    headers = factories.token(client, citizen)
    number = make_id_number("440106", date(1990, 3, 7), 123)
    client.put("/api/v1/me/profile", json={"id_number": number}, headers=headers)
    from webapp.core.db import db
    from webapp.core.security.crypto import decrypt
    from webapp.models import CitizenProfile

    with app.app_context():
        profile = db.session.get(CitizenProfile, citizen.id)
        assert number not in profile.id_number_encrypted
        assert decrypt(profile.id_number_encrypted) == number


def test_bad_id_number_and_future_birth_date_are_refused(client, factories, citizen):
    headers = factories.token(client, citizen)
    bad = client.put(
        "/api/v1/me/profile", json={"id_number": "440106199003071230"}, headers=headers
    )
    assert bad.status_code == 422
    future = client.put("/api/v1/me/profile", json={"birth_date": "2999-01-01"}, headers=headers)
    assert future.status_code == 422


def test_household_crud_and_impossible_child(client, factories, citizen):
    headers = factories.token(client, citizen)
    older = client.post(
        "/api/v1/me/household",
        json={
            "relation": "child",
            "name": "小明",
            "birth_date": "1970-01-01",
            "guardian_consent": True,
        },
        headers=headers,
    )
    assert older.status_code == 400 and older.json["error"]["code"] == "impossible_date"
    no_consent = client.post(
        "/api/v1/me/household",
        json={"relation": "child", "name": "小明", "birth_date": "2022-01-01"},
        headers=headers,
    )
    assert no_consent.status_code == 400 and no_consent.json["error"]["field"] == "guardian_consent"
    created = client.post(
        "/api/v1/me/household",
        json={
            "relation": "child",
            "name": "小明",
            "birth_date": "2022-01-01",
            "guardian_consent": True,
        },
        headers=headers,
    )
    assert created.status_code == 201
    member_id = created.json["id"]
    put = client.put(
        f"/api/v1/me/household/{member_id}",
        json={
            "relation": "child",
            "name": "小明",
            "birth_date": "2022-02-01",
            "guardian_consent": True,
        },
        headers=headers,
    )
    assert put.status_code == 200 and put.json["birth_date"] == "2022-02-01"
    assert len(client.get("/api/v1/me/household", headers=headers).json["items"]) == 1
    assert client.delete(f"/api/v1/me/household/{member_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/me/household/{member_id}", headers=headers).status_code == 404


def test_another_users_household_member_is_404(client, factories, citizen):
    member_id = factories.member(citizen)
    other = factories.citizen()
    headers = factories.token(client, other)
    for method in ("get", "delete"):
        assert (
            getattr(client, method)(
                f"/api/v1/me/household/{member_id}", headers=headers
            ).status_code
            == 404
        )
    put = client.put(
        f"/api/v1/me/household/{member_id}",
        json={
            "relation": "child",
            "name": "x",
            "birth_date": "2020-01-01",
            "guardian_consent": True,
        },
        headers=headers,
    )
    assert put.status_code == 404


def test_enterprise_link_validates_credit_code_and_hides_from_others(client, factories):
    owner = factories.account("business")
    headers = factories.token(client, owner)
    bad = client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": "91440101MA5CXXXX0Z",
            "name": "x",
            "established_on": "2020-01-01",
            "region_code": "440101",
        },
        headers=headers,
    )
    assert bad.status_code == 422 and "credit_code" in bad.json["error"]["fields"]
    code = factories.credit_code()
    ok = client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": code,
            "name": "好味道餐饮",
            "established_on": "2020-01-01",
            "region_code": "440101",
            "industry": "catering",
        },
        headers=headers,
    )
    # A claim only: nothing is readable before a reviewer or an invitation verifies it.
    assert ok.status_code == 202 and ok.json["status"] == "pending"
    assert client.get(f"/api/v1/enterprises/{code}", headers=headers).status_code == 404
    code = factories.business(name="好味道餐饮", established_on=date(2020, 1, 1)).credit_code
    stranger = factories.token(client, factories.account("business"))
    assert client.get(f"/api/v1/enterprises/{code}", headers=stranger).status_code == 404
    guess = client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": code,
            "name": "别的名字",
            "established_on": "2020-01-01",
            "region_code": "440101",
        },
        headers=stranger,
    )
    assert guess.status_code == 409


def test_catalog_search_and_life_events(client):
    found = client.get("/api/v1/services", query_string={"q": "出生"})
    assert found.status_code == 200
    codes = [s["code"] for s in found.json["items"]]
    assert "hukou_birth_registration" in codes
    detail = client.get("/api/v1/services/id_card_renewal").json
    assert detail["name"]["zh_Hant"] == "居民身份證換領"
    assert client.get("/api/v1/services/no_such_service").status_code == 404
    events = client.get("/api/v1/life-events").json
    assert len(events["citizen"]) == 10 and len(events["enterprise"]) == 6
    assert client.get("/api/v1/services", query_string={"audience": "martian"}).status_code == 422


def test_me_needs_a_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
