"""The OpenAPI document describes every API route the server has, and only those."""

from __future__ import annotations

import re


def _flask_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).removeprefix("/api/v1")


def test_every_api_route_is_documented(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule.endswith("openapi.json"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((_flask_to_openapi(rule.rule), method.lower()))
    assert served == documented


def test_request_schemas_forbid_unknown_fields(client):
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]
    assert schemas["ProfileIn"]["additionalProperties"] is False
    assert schemas["HouseholdIn"]["additionalProperties"] is False
