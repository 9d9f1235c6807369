"""No internal identifier (snake_case code) reaches the visible text of a page; where a console
page must show a code (a catalog code, an audit action) it is marked up as <code>."""

from __future__ import annotations

import re

import pytest

IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ADMIN = ("/admin/", "/admin/rules", "/admin/rules/new", "/admin/parameters", "/admin/catalog",
         "/admin/models", "/admin/dashboards", "/admin/audit", "/admin/citizens")  # fmt: skip
CITIZEN = ("/me/", "/me/customise", "/me/duties/", "/settings/", "/settings/profile",
           "/settings/household", "/settings/notifications", "/privacy/", "/privacy/tags",
           "/privacy/access-log", "/inbox", "/services/", "/services/bundles/bundle_newborn",
           "/services/hukou_birth_registration")  # fmt: skip
BUSINESS = ("/enterprises/", "/settings/enterprises")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|code|title)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("who", "paths"), [("admin", ADMIN), ("citizen", CITIZEN), ("business", BUSINESS)]
)
def test_no_identifier_in_visible_text(request, who, paths):
    client = request.getfixturevalue(f"{who}_client")
    for path in paths:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        found = sorted(set(IDENTIFIER.findall(visible_text(response.get_data(as_text=True)))))
        assert found == [], (path, found)
