"""The site's frame: home, catalog browsing and search, languages, settings pages."""

from __future__ import annotations

from datetime import date

import pytest


def test_home_shows_taxonomy_and_search(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main"' in page  # skip link
    assert "出生" in page and "注销" in page
    assert 'role="search"' in page


def test_search_id_card_in_chinese(client):
    page = client.get("/services/", query_string={"q": "身份证"}).get_data(as_text=True)
    assert "居民身份证换领" in page


def test_search_without_results_suggests_life_events(client):
    page = client.get("/services/", query_string={"q": "zzzzqqq"}).get_data(as_text=True)
    assert "/services/life-events/birth" in page


@pytest.mark.parametrize(
    "locale,text",
    [
        ("en", "Resident ID card renewal"),
        ("zh_Hant", "居民身份證換領"),
        ("zh_Hans", "居民身份证换领"),
    ],
)
def test_language_switch(client, locale, text):
    client.post("/language", data={"locale": locale, "next": "/services/id_card_renewal"})
    assert text in client.get("/services/id_card_renewal").get_data(as_text=True)


def test_accept_language_is_used_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page


def test_browse_by_life_event_and_department(client):
    assert "出生登记" in client.get("/services/life-events/birth").get_data(as_text=True)
    assert client.get("/services/departments/public_security").status_code == 200
    assert client.get("/services/life-events/nope").status_code == 404


def test_bundle_page_lists_each_material_once(client):
    page = client.get("/services/bundles/bundle_newborn").get_data(as_text=True)
    assert page.count("<tr><td>") == len(set(_materials(page)))


def _materials(page):
    import re

    return re.findall(r"<tr><td>([^<]+)</td>", page)


def test_profile_form_fills_from_id_number(citizen_client):
    from lifecycle.identifiers import make_id_number

    number = make_id_number("110105", date(1985, 9, 9), 771)
    response = citizen_client.post(
        "/settings/profile", data={"id_number": number, "full_name": "张三"}
    )
    assert response.status_code == 302
    page = citizen_client.get("/settings/profile").get_data(as_text=True)
    assert "1985-09-09" in page and "110105" in page
    assert number not in page


def test_profile_form_shows_errors_and_writes_nothing(citizen_client):
    response = citizen_client.post(
        "/settings/profile", data={"birth_date": "2999-01-01", "full_name": "X"}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert (
        "X"
        not in citizen_client.get("/settings/profile")
        .get_data(as_text=True)
        .split('id="f-full_name"')[1][:60]
    )


def test_household_pages_are_private(app, factories, citizen, citizen_client):
    member_id = factories.member(citizen)
    assert citizen_client.get(f"/settings/household/{member_id}").status_code == 200
    other = app.test_client()
    factories.login(other, factories.citizen())
    assert other.get(f"/settings/household/{member_id}").status_code == 404
    assert other.post(f"/settings/household/{member_id}/delete").status_code == 404
    assert citizen_client.get(f"/settings/household/{member_id}").status_code == 200


def test_enterprise_form_refuses_bad_credit_code(business_client):
    response = business_client.post(
        "/settings/enterprises",
        data={
            "credit_code": "123",
            "name": "x",
            "established_on": "2020-01-01",
            "region_code": "440101",
        },
    )
    assert response.status_code == 422


def test_healthz(client):
    response = client.get("/healthz?scope=web")  # no scheduler runs in tests
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_greeting_never_uses_the_email_local_part(app, factories):
    account = factories.account("citizen", email="zhang.wei.1988@example.test")
    client = app.test_client()
    factories.login(client, account)
    html = client.get("/me/").get_data(as_text=True)
    assert "zhang.wei.1988" not in html and "您好" in html


def test_chinese_name_on_an_english_page_is_marked(app, factories):
    account = factories.citizen(full_name="王小明")
    from webapp.core.db import db
    from webapp.models import Account

    with app.app_context(), db.transaction() as session:
        session.get(Account, account.id).locale = "en"
    client = app.test_client()
    factories.login(client, account)
    html = client.get("/me/").get_data(as_text=True)
    assert 'Hello, <span lang="zh-Hans">王小明</span>' in html


def test_customise_without_javascript_does_not_mention_dragging(citizen_client):
    html = citizen_client.get("/me/customise").get_data(as_text=True)
    assert '<span id="drag-hint" hidden>' in html
