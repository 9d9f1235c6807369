"""Bundles along the life course (a business user's enterprise bundles first) and
departments in a sensible order: citizens' departments first, the busiest first."""

from __future__ import annotations


def _order(html: str, names: list[str]) -> list[int]:
    return [html.index(name) for name in names]


def test_home_bundles_follow_the_life_course(client):
    html = client.get("/").get_data(as_text=True)
    bundles = html[html.index('id="bundles"') :]
    positions = _order(bundles, ["新生儿出生一件事", "教育入学一件事", "退休一件事", "身后一件事"])
    assert positions == sorted(positions)
    assert bundles.index("身后一件事") < bundles.index("企业开办一件事")
    assert bundles.index("企业开办一件事") < bundles.index("企业注销一件事")


def test_business_users_see_enterprise_bundles_and_life_cycle_first(business_client):
    html = business_client.get("/").get_data(as_text=True)
    bundles = html[html.index('id="bundles"') :]
    assert bundles.index("企业开办一件事") < bundles.index("新生儿出生一件事")
    assert html.index('id="enterprise-events"') < html.index('id="citizen-events"')


def test_departments_serving_citizens_come_first_busiest_first(client):
    html = client.get("/services/").get_data(as_text=True)
    deps = html[html.index('id="by-dep"') :]
    assert deps.index("人力资源和社会保障局") < deps.index("公安局") < deps.index("海关")
    assert deps.index("民政局") < deps.index("市场监督管理局") < deps.index("城市管理和综合执法局")


def test_catalog_page_lists_every_bundle_for_the_see_all_link(client):
    html = client.get("/services/").get_data(as_text=True)
    assert 'id="bundles"' in html and "新生儿出生一件事" in html and "企业注销一件事" in html
