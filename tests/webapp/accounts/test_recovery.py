"""E-mail verification, password reset, sign-up that reveals nothing, rate-limited
sign-up, password strength (issue item 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.factories import mailed_link, mailed_messages

NEW_PASSWORD = "violet tractor umbrella 42"


def _accounts(app, email):
    from webapp.accounts.models import Account
    from webapp.core.db import db

    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Account).where(func.lower(Account.email) == email)
        )


def test_signup_with_a_taken_address_answers_like_a_new_one_and_mails_the_owner(
    app, client, citizen
):
    new = client.post("/signup", data={"email": "fresh@example.test", "password": NEW_PASSWORD})
    taken = app.test_client().post(
        "/signup", data={"email": citizen.email.upper(), "password": NEW_PASSWORD}
    )
    assert new.status_code == taken.status_code == 200
    import re

    def strip(response, email):
        text = re.sub(r"[\w.+-]+@[\w.-]+", "", response.get_data(as_text=True))
        return re.sub(r'name="csrf_token"[^>]*', "", text)

    assert strip(new, "fresh@example.test") == strip(taken, citizen.email.upper())
    assert _accounts(app, citizen.email.lower()) == 1
    [notice] = mailed_messages(app, citizen.email)[-1:]
    assert "/login" in notice.get_body(("plain",)).get_content()
    api_new = client.post(
        "/api/v1/accounts", json={"email": "f2@example.test", "password": NEW_PASSWORD}
    )
    api_taken = client.post(
        "/api/v1/accounts", json={"email": citizen.email, "password": NEW_PASSWORD}
    )
    assert api_new.status_code == api_taken.status_code == 201
    assert api_new.json.keys() == api_taken.json.keys()


def test_verification_link_works_once_and_expires(app, client):
    client.post("/signup", data={"email": "v@example.test", "password": NEW_PASSWORD})
    link = mailed_link(app, "v@example.test", "/verify/")
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert app.test_client().get(tampered).status_code == 400
    with time_machine.travel(datetime.now(UTC) + timedelta(days=4)):
        assert app.test_client().get(link).status_code == 400
    assert client.get(link).status_code == 302
    assert app.test_client().get(link).status_code == 400  # used
    from webapp.accounts.models import Account
    from webapp.core.db import db

    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.email == "v@example.test"))
        assert account.email_verified_at is not None


def test_verification_through_the_api(app, client):
    client.post("/api/v1/accounts", json={"email": "va@example.test", "password": NEW_PASSWORD})
    token = mailed_link(app, "va@example.test", "/verify/").rsplit("/", 1)[1]
    assert client.post("/api/v1/accounts/verification", json={"token": "x"}).status_code == 400
    ok = client.post("/api/v1/accounts/verification", json={"token": token})
    assert ok.status_code == 204
    again = client.post("/api/v1/accounts/verification", json={"token": token})
    assert again.status_code == 400


def test_password_reset_by_a_single_use_expiring_link(app, factories, citizen):
    other_session = app.test_client()
    factories.login(other_session, citizen)
    client = app.test_client()
    known = client.post("/password/forgot", data={"email": citizen.email})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 200
    assert mailed_messages(app, "nobody@example.test") == []
    link = mailed_link(app, citizen.email, "/password/reset/")
    assert client.post(link, data={"password": "password123"}).status_code == 422
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2)):
        assert app.test_client().post(link, data={"password": NEW_PASSWORD}).status_code == 422
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302
    assert app.test_client().post(link, data={"password": NEW_PASSWORD + "x"}).status_code == 422
    assert other_session.get("/settings/").status_code == 302  # other sessions end
    fresh = app.test_client()
    factories.login(fresh, citizen, NEW_PASSWORD)


def test_password_reset_through_the_api(app, client, citizen):
    assert (
        client.post("/api/v1/password-reset", json={"email": "no@example.test"}).status_code == 202
    )
    assert client.post("/api/v1/password-reset", json={"email": citizen.email}).status_code == 202
    token = mailed_link(app, citizen.email, "/password/reset/").rsplit("/", 1)[1]
    body = {"token": token, "password": NEW_PASSWORD}
    assert client.post("/api/v1/password-reset/confirm", json=body).status_code == 204
    assert client.post("/api/v1/password-reset/confirm", json=body).status_code == 400
    token_ok = client.post(
        "/api/v1/tokens", json={"email": citizen.email, "password": NEW_PASSWORD}
    )
    assert token_ok.status_code == 201


@pytest.mark.parametrize(
    "password", ["Password12", "qwertyuiop1", "iloveyou2024", "1qaz2wsx3edc", "abc123abc123"]
)
def test_guessable_passwords_are_refused(client, password):
    response = client.post("/signup", data={"email": "w@example.test", "password": password})
    assert response.status_code == 422
    api = client.post("/api/v1/accounts", json={"email": "w@example.test", "password": password})
    assert api.status_code == 400 and api.json["error"]["code"] == "weak_password"


def test_the_common_password_list_is_a_real_one():
    from webapp.core.security.passwords import common_passwords, password_problem

    assert len(common_passwords()) >= 10_000
    assert password_problem("trustno1trustno1") in ("too_common", "too_guessable")
    assert password_problem("violet tractor umbrella 42") is None


def test_signup_is_rate_limited_per_address(request, tmp_path, app):
    from webapp import create_app

    limited = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "SIGNUP_LIMIT_PER_ADDRESS": "3 per hour",
        }
    )
    request.addfinalizer(limited.extensions["db_engine"].dispose)

    def _limiter_off_again():  # the limiter is one object shared by every app
        from webapp.core.extensions import limiter

        limiter.reset()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]

    request.addfinalizer(_limiter_off_again)
    client = limited.test_client()
    codes = [
        client.post(
            "/api/v1/accounts", json={"email": f"r{i}@example.test", "password": NEW_PASSWORD}
        ).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    page = client.post("/signup", data={"email": "r9@example.test", "password": NEW_PASSWORD})
    assert page.status_code == 429


def test_demo_accounts_are_verified(app):
    from webapp.accounts.models import Account
    from webapp.core.clock import local_today
    from webapp.core.db import db
    from webapp.demo import seed_demo_accounts

    with app.app_context():
        with db.transaction() as session:
            seed_demo_accounts(session, local_today())
        emails = db.session.scalars(
            select(Account.email).where(
                Account.email.like("%@lifepage.test"), Account.email_verified_at.is_not(None)
            )
        ).all()
    assert set(emails) >= {"citizen@lifepage.test", "business@lifepage.test", "admin@lifepage.test"}


def test_an_unverified_user_is_told_and_can_ask_for_the_link_again(app, factories):
    from webapp.accounts.models import Account
    from webapp.core.db import db

    account = factories.account("citizen")
    with app.app_context(), db.transaction() as session:
        session.get(Account, account.id).email_verified_at = None
    browser = app.test_client()
    factories.login(browser, account)
    page = browser.get("/settings/").get_data(as_text=True)
    assert "/verify/resend" in page
    assert browser.post("/verify/resend").status_code == 302
    assert mailed_link(app, account.email, "/verify/") is not None
