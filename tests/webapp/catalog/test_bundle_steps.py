"""A 一件事 bundle is a step-by-step path; a person ticks steps off and finds them on return."""

from __future__ import annotations

import re

BUNDLE = "bundle_newborn"


def test_bundle_page_shows_ordered_steps_with_materials_and_time(client):
    html = client.get(f"/services/bundles/{BUNDLE}", headers={"Accept-Language": "zh-CN"})
    assert html.status_code == 200
    text = html.get_data(as_text=True)
    steps = re.findall(r'<li class="step[^"]*" id="step-([a-z_]+)"', text)
    assert steps[:3] == [
        "birth_medical_certificate_issuance",
        "vaccination_certificate_issuance",
        "hukou_birth_registration",
    ]
    assert "第 1 步" in text and "所需材料" in text and "办理地点" in text
    # The birth certificate that step 1 hands out is not asked for again.
    assert "在第 1 步中领取" in text
    assert "登录后可勾选" in text


def test_tick_a_step_and_see_progress_on_return(citizen_client):
    response = citizen_client.post(
        f"/services/bundles/{BUNDLE}/steps/birth_medical_certificate_issuance", data={"done": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#step-birth_medical_certificate_issuance")
    html = citizen_client.get(f"/services/bundles/{BUNDLE}").get_data(as_text=True)
    assert "已完成 1 步，共 5 步" in html
    assert '<progress max="5" value="1"' in html
    citizen_client.post(
        f"/services/bundles/{BUNDLE}/steps/birth_medical_certificate_issuance", data={"done": "0"}
    )
    html = citizen_client.get(f"/services/bundles/{BUNDLE}").get_data(as_text=True)
    assert "已完成 0 步，共 5 步" in html


def test_a_profile_covers_materials(app, factories):
    account = factories.citizen(region_code="440106")
    client = app.test_client()
    factories.login(client, account)
    html = client.get(f"/services/bundles/{BUNDLE}").get_data(as_text=True)
    assert '居民户口簿 <span class="meta">（您的资料中已有，无需携带）</span>' in html


def test_bad_step_or_bundle_is_404_and_writes_nothing(citizen_client):
    assert (
        citizen_client.post(
            f"/services/bundles/{BUNDLE}/steps/no_such", data={"done": "1"}
        ).status_code
        == 404
    )
    assert (
        citizen_client.post("/services/bundles/nope/steps/x", data={"done": "1"}).status_code == 404
    )
    assert citizen_client.get("/services/bundles/nope").status_code == 404


def test_anonymous_cannot_tick(client):
    response = client.post(
        f"/services/bundles/{BUNDLE}/steps/birth_medical_certificate_issuance", data={"done": "1"}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_progress_through_the_api_is_each_persons_own(client, factories):
    alice, bob = factories.citizen(), factories.citizen()
    a, b = factories.token(client, alice), factories.token(client, bob)
    url = f"/api/v1/me/bundles/{BUNDLE}/steps/hukou_birth_registration"
    response = client.put(url, json={"done": True}, headers=a)
    assert response.status_code == 200 and response.json["done_count"] == 1
    assert [s["done"] for s in response.json["steps"]][:3] == [False, False, True]
    assert client.get(f"/api/v1/me/bundles/{BUNDLE}", headers=b).json["done_count"] == 0
    assert client.put(url, json={"done": "maybe"}, headers=a).status_code == 422
    assert client.put(url, json={"done": True, "x": 1}, headers=a).status_code in (400, 422)
    assert (
        client.put(
            f"/api/v1/me/bundles/{BUNDLE}/steps/nope", json={"done": True}, headers=a
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/me/bundles/{BUNDLE}").status_code == 401
