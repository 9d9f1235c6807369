"""An admin's edit of the old-age allowance table reaches the citizen's cached page (the
您可以享受 widget) at the very next request, whether made in the console or the API."""

from __future__ import annotations

import re
from datetime import date

TODAY = date(2026, 11, 30)


def _table(monthly: int) -> dict:
    return {
        "regions": [
            {
                "prefix": "4401",
                "from": "2024-01-01",
                "basis": "示例：某市高龄津贴文件",
                "bands": [{"age_min": 80, "monthly": monthly}],
            }
        ]
    }


def _yaml(monthly: int) -> str:
    return (
        "regions:\n- prefix: '4401'\n  from: '2024-01-01'\n  basis: 示例：某市高龄津贴文件\n"
        f"  bands:\n  - age_min: 80\n    monthly: {monthly}\n"
    )


def _widget(html: str) -> str:
    found = re.search(r'<section class="widget widget-entitlements".*?</section>', html, re.S)
    assert found, "the entitlements widget is on the page"
    return found.group(0)


def test_an_admin_edit_shows_on_the_cached_page_at_the_next_request(
    app, client, factories, admin, monkeypatch
):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)
    admin_h = factories.token(client, admin)
    assert (
        client.put(
            "/api/v1/admin/entitlements/elderly-allowance", json=_table(100), headers=admin_h
        ).status_code
        == 200
    )
    citizen = factories.citizen(region_code="440106")
    factories.member(citizen, "parent", "奶奶", date(1940, 5, 1))
    citizen_c = app.test_client()
    factories.login(citizen_c, citizen)
    first = _widget(citizen_c.get("/me/").text)
    assert "100" in first
    assert _widget(citizen_c.get("/me/").text) == first  # served from the cache

    # The console form.
    admin_c = app.test_client()
    factories.login(admin_c, admin)
    form = admin_c.get("/admin/entitlements/elderly-allowance")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    saved = admin_c.post(
        "/admin/entitlements/elderly-allowance", data={"csrf_token": token, "table": _yaml(250)}
    )
    assert saved.status_code == 302
    second = _widget(citizen_c.get("/me/").text)
    assert "250" in second and "100" not in second

    # The API.
    response = client.put(
        "/api/v1/admin/entitlements/elderly-allowance", json=_table(375), headers=admin_h
    )
    assert response.status_code == 200
    third = _widget(citizen_c.get("/me/").text)
    assert "375" in third and "250" not in third
    mine = factories.token(client, citizen)
    widgets = client.get("/api/v1/me/page", headers=mine).json["widgets"]
    content = next(w for w in widgets if w["key"] == "entitlements")["content"]
    amounts = [i["amount"]["value"] for i in content["items"] if i.get("amount")]
    assert 375 in amounts


def test_a_refused_edit_changes_neither_the_table_nor_the_page(
    app, client, factories, admin, monkeypatch
):
    monkeypatch.setattr("webapp.core.clock.local_today", lambda: TODAY)
    admin_h = factories.token(client, admin)
    client.put("/api/v1/admin/entitlements/elderly-allowance", json=_table(120), headers=admin_h)
    citizen = factories.citizen(region_code="440106")
    factories.member(citizen, "parent", "奶奶", date(1940, 5, 1))
    citizen_c = app.test_client()
    factories.login(citizen_c, citizen)
    before = _widget(citizen_c.get("/me/").text)
    bad = _table(130)
    bad["regions"][0]["bands"][0]["age_min"] = 30
    response = client.put("/api/v1/admin/entitlements/elderly-allowance", json=bad, headers=admin_h)
    assert response.status_code == 400
    stored = client.get("/api/v1/admin/entitlements/elderly-allowance", headers=admin_h).json
    assert stored["regions"][0]["bands"] == [{"age_min": 80, "monthly": 120}]
    assert _widget(citizen_c.get("/me/").text) == before
    citizen_h = factories.token(client, citizen)
    assert (
        client.put(
            "/api/v1/admin/entitlements/elderly-allowance", json=_table(1), headers=citizen_h
        ).status_code
        == 403
    )
    assert _widget(citizen_c.get("/me/").text) == before
