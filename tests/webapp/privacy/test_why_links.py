"""Every recommendation card links to "Why am I seeing this?", which explains the list the
card came from (the citizen's own or an enterprise's), in HTML and through the API, and
never an enterprise the caller is not a member of."""

from __future__ import annotations

import re

WHY = re.compile(r'class="why-link" href="([^"]+)"')


def _cards(html: str) -> int:
    section = html[html.index('id="widget-recommended"') :]
    section = section[: section.index("</section>")]
    return section.count('<span class="item-title">')


def test_every_card_on_the_personal_page_links_to_why(citizen_client):
    html = citizen_client.get("/me/").get_data(as_text=True)
    links = WHY.findall(html)
    assert links and len(links) == _cards(html)
    first = links[0].replace("&amp;", "&")
    assert first.startswith("/privacy/why/") and "enterprise=" not in first
    page = citizen_client.get(first).get_data(as_text=True)
    assert "该服务在您的推荐中排第 1 位" in page


def test_enterprise_cards_explain_the_enterprise_list(business_client, business):
    html = business_client.get(f"/enterprises/{business.credit_code}").get_data(as_text=True)
    links = [link.replace("&amp;", "&") for link in WHY.findall(html)]
    assert links and all(f"enterprise={business.credit_code}" in link for link in links)
    page = business_client.get(links[0]).get_data(as_text=True)
    assert "的推荐中排第 1 位" in page and "您的推荐" not in page


def test_why_for_someone_elses_enterprise_is_404(app, factories, business):
    other = factories.business()
    client = app.test_client()
    factories.login(client, other)
    url = f"/privacy/why/food_business_license?enterprise={business.credit_code}"
    assert client.get(url).status_code == 404
    headers = factories.token(app.test_client(), other)
    api = client.get(
        "/api/v1/me/why/food_business_license",
        query_string={"enterprise": business.credit_code},
        headers=headers,
    )
    assert api.status_code == 404
    assert business.credit_code not in api.get_data(as_text=True)


def test_why_through_the_api(app, factories, citizen):
    headers = factories.token(app.test_client(), citizen)
    client = app.test_client()
    recommended = client.get("/api/v1/me/recommendations", headers=headers).json["items"]
    code = recommended[0]["service_code"]
    why = client.get(f"/api/v1/me/why/{code}", headers=headers)
    assert why.status_code == 200
    body = why.json
    assert body["recommended"] is True and body["position"] == 1
    assert body["reasons"] and all(isinstance(r["text"], str) for r in body["reasons"])
    assert client.get("/api/v1/me/why/no_such_service", headers=headers).status_code == 404
    assert client.get(f"/api/v1/me/why/{code}").status_code == 401
