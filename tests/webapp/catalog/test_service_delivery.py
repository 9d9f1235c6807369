"""Each service says how it is done (online, in person or both), where, and the fee; every
link that leaves the site is marked."""

from __future__ import annotations

import re


def test_in_person_service_offers_no_online_application(client):
    html = client.get(
        "/services/birth_medical_certificate_issuance", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    assert "窗口办理" in html and "助产机构" in html and "免费" in html
    assert "在线申请" not in html and "前往政务服务网站" not in html


def test_online_service_links_out_marked_as_leaving_the_site(client):
    html = client.get(
        "/services/newborn_medical_insurance_enrollment", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Online, without a visit" in html
    links = re.findall(r'<a href="https?://[^"]+"[^>]*>.*?</a>', html, re.S)
    assert links, "an online service links to where it is done"
    for link in links:
        assert 'rel="external noopener"' in link and "(opens another website)" in link


def test_every_external_link_on_service_pages_is_marked(client):
    for code in ("hukou_birth_registration", "social_security_card_application"):
        html = client.get(f"/services/{code}").get_data(as_text=True)
        for link in re.findall(r'<a href="https?://[^"]+"[^>]*>.*?</a>', html, re.S):
            assert "external" in link and "visually-hidden" in link, link


def test_api_says_how_a_service_is_done(client):
    body = client.get("/api/v1/services/hukou_birth_registration").json
    assert body["delivery"] == "both"
    assert body["fee"]["zh_Hant"] == "免費" and "派出所" in body["office"]["zh_Hans"]
