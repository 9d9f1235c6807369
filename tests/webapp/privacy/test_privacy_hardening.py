"""Hardening that goes with privacy: masked logs, session timeouts, common passwords, size limits."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from webapp.core.logging_filters import PersonalDataFilter, mask

ID_NUMBER = "11010519491231002X"


# --- personal data never reaches the logs ---------------------------------------------------


def test_mask_hides_id_numbers_emails_birth_dates_and_names():
    text = mask(
        f"id={ID_NUMBER} email=wang.fang@example.test birth_date=1949-12-31 "
        "full_name=王芳 {'name': '小明', 'birth_date': datetime.date(2021, 5, 1)}"
    )
    assert ID_NUMBER not in text and "1101**************" in text and "002X" not in text
    assert "wang.fang@example.test" not in text and "w***@example.test" in text
    assert "1949-12-31" not in text and "2021, 5, 1" not in text
    assert "王芳" not in text and "小明" not in text
    assert "full_name=王*" in text


def test_mask_leaves_other_numbers_and_text_alone():
    text = "took 123 ms for 12345678901234567890 rows at 2026-11-26, code=primary_school_enrollment"
    assert mask(text) == text


def test_logs_written_anywhere_in_the_app_are_masked(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("webapp.anything").info(
        "profile saved for %s: id_number=%s birth_date=%s",
        "li.ming@example.test",
        ID_NUMBER,
        date(1988, 6, 18),
    )
    app.logger.warning("member %s", {"name": "李明", "relation": "child"})
    joined = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert ID_NUMBER not in joined
    assert "li.ming@example.test" not in joined
    assert "1988-06-18" not in joined
    assert "李明" not in joined
    assert "1101**************" in joined


def test_tracebacks_are_masked_too(app, caplog):
    caplog.set_level(logging.ERROR)
    try:
        raise ValueError(f"bad id_number {ID_NUMBER} for zhang@example.test")
    except ValueError:
        logging.getLogger("webapp.core.errors").exception("failed")
    assert ID_NUMBER not in caplog.text and "zhang@example.test" not in caplog.text


def test_the_filter_masks_records_in_place():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "e-mail %s", ("a.b@c.test",), None)
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == "e-mail a***@c.test"


def test_request_logs_with_an_id_number_in_the_url_are_masked(app, client, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('"GET /services/search?q=%s HTTP/1.1" 200 -', ID_NUMBER)
    assert ID_NUMBER not in caplog.text


# --- session timeouts -----------------------------------------------------------------------


def test_idle_session_times_out_after_30_minutes(app, factories, citizen):
    start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        browser = app.test_client()
        factories.login(browser, citizen)
        assert browser.get("/privacy/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert browser.get("/privacy/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = browser.get("/privacy/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_absolute_session_timeout_after_12_hours_even_when_active(app, factories, citizen):
    start = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        browser = app.test_client()
        factories.login(browser, citizen)
        for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
            assert browser.get("/privacy/").status_code == 200
            traveller.shift(timedelta(minutes=20))
        traveller.shift(timedelta(minutes=1))
        assert browser.get("/privacy/").status_code == 302


def test_timeouts_are_configurable(app, factories, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "IDLE_TIMEOUT_MINUTES", 5)
    start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        browser = app.test_client()
        factories.login(browser, citizen)
        traveller.shift(timedelta(minutes=6))
        assert browser.get("/privacy/").status_code == 302


# --- common passwords -----------------------------------------------------------------------


@pytest.mark.parametrize("password", ["password123", "1234567890", "aaaaaaaaaaaa", "Qwertyuiop"])
def test_common_passwords_are_refused_at_sign_up(client, password):
    html = client.post("/signup", data={"email": "n@example.test", "password": password})
    assert html.status_code == 422
    api = client.post("/api/v1/accounts", json={"email": "n@example.test", "password": password})
    assert api.status_code == 400 and api.json["error"]["code"] == "weak_password"


@pytest.mark.parametrize("password", ["password123", "woaini1314", "bbbbbbbbbbbb"])
def test_common_passwords_are_refused_at_password_change(citizen_client, citizen, password):
    response = citizen_client.post(
        "/settings/password",
        data={"current_password": citizen.password, "new_password": password},
    )
    assert response.status_code == 422


# --- request size limits --------------------------------------------------------------------


def test_too_large_api_request_is_a_clean_json_413(app, client, factories, citizen):
    headers = factories.token(client, citizen)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.put(
        "/api/v1/me/consents",
        data='{"training_data": "' + big + '"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_too_large"
    assert "2048 kB" in response.json["error"]["message"]


def test_too_large_form_is_a_clean_413_page(app, citizen_client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = citizen_client.post("/privacy/tags", data={"key": big, "enabled": "0"})
    assert response.status_code == 413
    assert b"<html" in response.data and b"Traceback" not in response.data
    assert "2048 kB" in response.get_data(as_text=True)
