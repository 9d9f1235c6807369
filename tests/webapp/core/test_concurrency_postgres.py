"""Races on PostgreSQL (issue items 5, 6): parallel sign-ups with one address, parallel
first profile saves, parallel layout saves on one version. No 5xx, no lost update.
Run with TEST_DATABASE_URL=postgresql://… ; skipped on SQLite."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql://…",
    ),
]


def _parallel(n: int, call) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_eight_parallel_signups_with_one_address_make_one_account_and_no_5xx(app):
    from webapp.accounts.models import Account
    from webapp.core.db import db

    body = {"email": "Race@Example.test", "password": "a long enough passphrase 9"}

    def signup(i):
        email = body["email"].lower() if i % 2 else body["email"]
        return app.test_client().post("/api/v1/accounts", json={**body, "email": email})

    responses = _parallel(8, signup)
    codes = sorted(r.status_code for r in responses)
    assert all(c < 500 for c in codes), codes
    assert set(codes) <= {201, 202, 409}, codes
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Account)
            .where(func.lower(Account.email) == "race@example.test")
        )
    assert count == 1


def test_parallel_first_profile_saves_give_no_5xx(app, factories):
    account = factories.account("citizen")  # no profile yet
    headers = factories.token(app.test_client(), account)
    body = {"birth_date": "1988-06-18", "gender": "male", "region_code": "440106"}

    def save(i):
        return app.test_client().put(
            "/api/v1/me/profile", json={**body, "employment": "employed"}, headers=headers
        )

    codes = [r.status_code for r in _parallel(8, save)]
    assert all(c in (200, 409) for c in codes), codes
    assert 200 in codes


def test_parallel_layout_saves_on_one_version_keep_exactly_one(app, factories):
    account = factories.citizen()
    headers = factories.token(app.test_client(), account)
    client = app.test_client()
    client.put("/api/v1/me/page/layout", json={"theme": "standard"}, headers=headers)
    etag = client.get("/api/v1/me/page/layout", headers=headers).headers["ETag"]
    themes = ["dark", "elder"] * 4

    def save(i):
        return app.test_client().put(
            "/api/v1/me/page/layout",
            json={"theme": themes[i]},
            headers={**headers, "If-Match": etag},
        )

    responses = _parallel(8, save)
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == 1 and codes.count(409) == 7, codes
    winner = next(r for r in responses if r.status_code == 200).json["theme"]
    assert client.get("/api/v1/me/page/layout", headers=headers).json["theme"] == winner


def test_parallel_visibility_changes_lose_nothing(app, factories):
    """Without If-Match (the page's buttons): each change is applied atomically, or the
    request is told to reload; what answered 200 is in the stored layout."""
    account = factories.citizen()
    headers = factories.token(app.test_client(), account)
    client = app.test_client()
    keys = client.get("/api/v1/me/page/layout", headers=headers).json["available"][:4]

    def hide(i):
        layout = app.test_client().get("/api/v1/me/page/layout", headers=headers)
        widgets = [
            {**w, "visible": False if w["key"] == keys[i] else w["visible"]}
            for w in layout.json["widgets"]
        ]
        return app.test_client().put(
            "/api/v1/me/page/layout",
            json={"widgets": widgets},
            headers={**headers, "If-Match": layout.headers["ETag"]},
        )

    responses = _parallel(4, hide)
    stored = {
        w["key"]: w["visible"]
        for w in client.get("/api/v1/me/page/layout", headers=headers).json["widgets"]
    }
    for key, response in zip(keys, responses, strict=True):
        assert response.status_code in (200, 409)
        if response.status_code == 200:
            assert stored[key] is False


def test_nul_in_a_search_is_400_on_postgresql(client):
    assert client.get("/services/?q=%00").status_code == 400
    assert client.get("/api/v1/services?q=%00").status_code == 400
