"""Password checks are throttled per (account, client address) with backoff, on every
path that checks a password; the owner elsewhere is never locked out (issue items 4, 7)."""

from __future__ import annotations

import logging

import pytest

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _login(client, email, password, env=ATTACKER):
    return client.post("/login", data={"email": email, "password": password}, environ_overrides=env)


def test_bogus_logins_elsewhere_do_not_lock_the_owner_out(client, citizen):
    codes = [_login(client, citizen.email, "wrong-password!").status_code for _ in range(7)]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    # The right password from the attacker's address still waits...
    blocked = _login(client, citizen.email, citizen.password)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    # ...but the owner, from their own address, logs in.
    owner = _login(client, citizen.email, citizen.password, OWNER)
    assert owner.status_code == 302


def test_backoff_doubles_with_each_further_failure(app, client, citizen):
    import time_machine

    from webapp.accounts.throttle import normalise_login, retry_after

    for _ in range(5):
        _login(client, citizen.email, "wrong-password!")
    with app.app_context():
        first = retry_after(normalise_login(citizen.email), ATTACKER["REMOTE_ADDR"])
    assert 0 < first <= 30
    from datetime import UTC, datetime, timedelta

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        assert _login(client, citizen.email, "wrong-password!").status_code == 401
        with app.app_context():
            second = retry_after(normalise_login(citizen.email), ATTACKER["REMOTE_ADDR"])
    assert 30 < second <= 60


def test_throttle_and_authentication_share_one_normalisation(client, citizen):
    """Variants of one address (case, surrounding blanks) count as the same account."""
    variants = [citizen.email.upper(), f"  {citizen.email}  ", citizen.email.title()]
    for i in range(5):
        _login(client, variants[i % 3], "wrong-password!")
    assert _login(client, f" {citizen.email.upper()} ", citizen.password).status_code == 429


def test_over_long_login_input_is_rejected(client, citizen):
    long_email = citizen.email + " " * 300 + "x"
    response = _login(client, long_email, citizen.password)
    assert response.status_code == 422
    api = client.post("/api/v1/tokens", json={"email": "a" * 300, "password": "x"})
    assert api.status_code == 422


def test_api_tokens_share_the_backoff(client, citizen):
    for _ in range(5):
        client.post(
            "/api/v1/tokens",
            json={"email": citizen.email, "password": "wrong-password!"},
            environ_overrides=ATTACKER,
        )
    response = client.post(
        "/api/v1/tokens",
        json={"email": citizen.email, "password": citizen.password},
        environ_overrides=ATTACKER,
    )
    assert response.status_code == 429 and response.headers["Retry-After"]


def test_password_change_is_throttled(citizen_client, citizen):
    for _ in range(5):
        response = citizen_client.post(
            "/settings/password",
            data={"current_password": "wrong-password!", "new_password": "another-long-phrase"},
        )
        assert response.status_code == 422
    response = citizen_client.post(
        "/settings/password",
        data={"current_password": citizen.password, "new_password": "another-long-phrase"},
    )
    assert response.status_code == 429


def test_account_deletion_is_throttled_in_the_api_and_the_page(app, client, factories, citizen):
    headers = factories.token(client, citizen)
    browser = app.test_client()
    factories.login(browser, citizen)
    for _ in range(5):
        response = client.delete("/api/v1/me", json={"password": "wrong-pass!"}, headers=headers)
        assert response.status_code == 403
    response = client.delete("/api/v1/me", json={"password": citizen.password}, headers=headers)
    assert response.status_code == 429 and response.headers["Retry-After"]
    # The same account and address: the page waits too.
    page = browser.post("/privacy/delete", data={"confirm": "yes", "password": citizen.password})
    assert page.status_code == 429


@pytest.mark.parametrize("outcome", ["success", "failure"])
def test_authentication_events_are_logged_without_personal_data(client, citizen, caplog, outcome):
    password = citizen.password if outcome == "success" else "wrong-password!"
    with caplog.at_level(logging.INFO, logger="lifepage.auth"):
        _login(client, citizen.email, password)
    lines = [r.getMessage() for r in caplog.records if r.name == "lifepage.auth"]
    assert any(f"event={outcome}" in line for line in lines)
    text = "\n".join(lines)
    assert citizen.email not in text and ATTACKER["REMOTE_ADDR"] not in text
    assert citizen.password not in text


def test_idle_counters_are_purged(app, client, citizen):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from webapp.accounts.models import AuthThrottle
    from webapp.accounts.throttle import purge
    from webapp.core.db import db

    _login(client, citizen.email, "wrong-password!")
    with app.app_context(), db.transaction() as session:
        assert purge(session, datetime.now(UTC) - timedelta(days=1)) == 0
        assert purge(session, datetime.now(UTC) + timedelta(seconds=1)) == 1
        assert session.scalar(select(func.count()).select_from(AuthThrottle)) == 0
