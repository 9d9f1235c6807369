"""Every admin route, HTML and API, is for admins only."""

from __future__ import annotations

import re

import pytest


def _admin_rules(app):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin", "/api/v1/admin")):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                path = re.sub(r"<int:\w+>", "1", rule.rule)
                path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
                out.append((method, path, rule.rule.startswith("/api/")))
    return out


def test_there_are_admin_routes(app):
    rules = _admin_rules(app)
    assert len([r for r in rules if r[2]]) >= 7
    assert len([r for r in rules if not r[2]]) >= 20


@pytest.mark.parametrize("who", ["citizen", "business"])
def test_citizens_and_business_users_get_403_everywhere(app, factories, who):
    account = factories.citizen() if who == "citizen" else factories.business()
    client = app.test_client()
    factories.login(client, account)
    headers = factories.token(app.test_client(), account)
    for method, path, is_api in _admin_rules(app):
        if is_api:
            response = client.open(path, method=method, headers=headers, json={})
        else:
            response = client.open(path, method=method, data={})
        assert response.status_code == 403, (method, path, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in_or_get_401(app):
    client = app.test_client()
    for method, path, is_api in _admin_rules(app):
        response = client.open(path, method=method, json={} if is_api else None)
        if is_api:
            assert response.status_code == 401, (method, path)
            assert response.json["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (method, path, response.status_code)
            assert "/login" in response.headers["Location"], (method, path)


def test_admins_reach_every_page(admin_client):
    for path in [
        "/admin/",
        "/admin/rules",
        "/admin/rules/new",
        "/admin/rules/sandbox",
        "/admin/rules/diff",
        "/admin/catalog",
        "/admin/catalog/services/new",
        "/admin/catalog/services/birth_service_registration",
        "/admin/catalog/life-events/birth",
        "/admin/catalog/bundles/bundle_newborn",
        "/admin/parameters",
        "/admin/models",
        "/admin/dashboards",
        "/admin/audit",
        "/admin/citizens",
    ]:
        response = admin_client.get(path)
        assert response.status_code == 200, (path, response.data[:300])
        assert response.headers["Cache-Control"] == "no-store"


def test_console_link_only_for_admins(admin_client, citizen_client):
    assert "/admin/" in admin_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/admin/"' not in citizen_client.get("/").get_data(as_text=True)
