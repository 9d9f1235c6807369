"""Sign-up, log in, log out, password change, throttling, CSRF, safe redirects."""

from __future__ import annotations

import pytest

from tests.factories import mailed_link
from webapp.accounts.routes import safe_next


def test_signup_mails_a_link_that_confirms_and_leads_to_profile(app, client):
    response = client.post(
        "/signup",
        data={"email": "New@Example.test", "password": "a-long-pass-phrase", "kind": "citizen"},
    )
    assert response.status_code == 200
    assert client.get("/settings/").status_code == 302  # not logged in before confirming
    link = mailed_link(app, "New@Example.test", "/verify/")
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings/profile")
    assert client.get("/settings/").status_code == 200


@pytest.mark.parametrize("password", ["short", "1234567890", "password123"])
def test_signup_refuses_weak_passwords(client, password):
    response = client.post(
        "/signup", data={"email": "x@example.test", "password": password, "kind": "citizen"}
    )
    assert response.status_code == 422


def test_signup_refuses_bad_email_and_writes_nothing(client, app):
    response = client.post(
        "/signup", data={"email": "not-an-email", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 422
    from sqlalchemy import func, select

    from webapp.core.db import db
    from webapp.models import Account

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 0


def test_wrong_password_is_refused(client, citizen):
    response = client.post("/login", data={"email": citizen.email, "password": "wrong-password!"})
    assert response.status_code == 401
    assert client.get("/settings/").status_code == 302


def test_cookie_copied_before_logout_no_longer_works(app, factories, citizen):
    browser = app.test_client()
    factories.login(browser, citizen)
    copied = browser.get_cookie("session").value
    assert browser.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/settings/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_invalidates_other_sessions_and_tokens(app, factories, citizen):
    one, two = app.test_client(), app.test_client()
    factories.login(one, citizen)
    factories.login(two, citizen)
    headers = factories.token(app.test_client(), citizen)
    response = one.post(
        "/settings/password",
        data={"current_password": citizen.password, "new_password": "another-long-phrase"},
    )
    assert response.status_code == 302
    assert one.get("/settings/").status_code == 200
    assert two.get("/settings/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/settings/", "/settings/"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_login_redirects_to_safe_next_only(client, citizen):
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": citizen.email, "password": citizen.password},
    )
    assert response.headers["Location"] == "/me/"  # the citizen's own home, not the next


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/settings/profile")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_forms_need_csrf_token(request, tmp_path, app, citizen):
    from webapp import create_app

    strict = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path),
            "RATELIMIT_ENABLED": False,
        }
    )
    request.addfinalizer(strict.extensions["db_engine"].dispose)
    client = strict.test_client()
    response = client.post("/login", data={"email": citizen.email, "password": citizen.password})
    assert response.status_code == 400
    page = client.get("/login").data.decode()
    assert 'name="csrf_token"' in page


def test_each_role_lands_on_its_own_home(app, factories):
    """After logging in a business user lands on the enterprise page, an admin on the console."""
    for account, target in (
        (factories.business(), "/enterprises/"),
        (factories.account(role="admin"), "/admin/"),
        (factories.citizen(), "/me/"),
    ):
        response = factories.login(app.test_client(), account)
        assert response.headers["Location"] == target


def test_business_signup_asks_for_the_enterprise_not_a_profile(app, client):
    client.post(
        "/signup",
        data={"email": "shop@example.test", "password": "a-long-pass-phrase", "kind": "business"},
        headers={"Accept-Language": "zh-CN"},
    )
    response = client.get(mailed_link(app, "shop@example.test", "/verify/"))
    assert response.headers["Location"].endswith("/settings/enterprises")
    page = client.get("/settings/enterprises", headers={"Accept-Language": "zh-CN"})
    html = page.data.decode()
    assert "请添加您的企业" in html and "填写个人信息" not in html


def test_example_credit_code_on_the_enterprise_form_is_valid(business_client):
    import re

    from lifecycle.identifiers import validate_credit_code

    html = business_client.get("/settings/enterprises").data.decode()
    example = re.search(r"(?:e\.g\.|例如) ([0-9A-Z]{18})", html).group(1)
    assert validate_credit_code(example) == example
