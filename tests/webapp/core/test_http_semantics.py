"""405 names the allowed methods, ids past 2^31 are 404, every $ref in the OpenAPI
document resolves."""

from __future__ import annotations

import json
import re

import pytest


@pytest.mark.parametrize("url", ["/api/v1/services", "/login"])
def test_405_has_an_allow_header(client, url):
    response = client.delete(url)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "method,url",
    [
        ("PUT", "/api/v1/me/household/2147483648"),
        ("DELETE", "/api/v1/me/household/99999999999"),
        ("PUT", "/api/v1/admin/rules/4294967296"),
        ("GET", "/admin/rules/2147483648"),
    ],
)
def test_ids_past_2_to_the_31_are_404(app, factories, admin, method, url):
    client = app.test_client()
    headers = factories.token(client, admin)
    assert client.open(url, method=method, headers=headers).status_code == 404


def test_the_largest_id_still_routes(client, factories, citizen):
    headers = factories.token(client, citizen)
    response = client.delete("/api/v1/me/household/2147483647", headers=headers)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_every_ref_in_the_openapi_document_resolves(client):
    doc = client.get("/api/v1/openapi.json").json
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs and refs <= set(doc["components"]["schemas"])
