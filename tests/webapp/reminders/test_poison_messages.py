# ruff: noqa: F811
"""A poison message never stops the reminder queue (issue: a household name with a line
break in a duty title made building the e-mail raise outside the dispatcher's error
handling; the dispatcher exited and the row crash-looped every later dispatcher)."""

from __future__ import annotations

from datetime import timedelta

from tests.webapp.reminders.test_reminders import (  # noqa: F401  (fixtures)
    CFG,
    NOW,
    enable_email,
    make_duty,
    person,
    rows,
    run_dispatch,
    run_sweep,
    smtp,
)
from webapp.reminders.channels import email as email_channel


def test_a_title_with_a_line_break_no_longer_stops_email(app, factories, smtp):
    first, second = factories.account("citizen"), factories.account("citizen")
    for account in (first, second):
        enable_email(app, account)
    make_duty(app, first, title={"zh_Hans": "护照换发\n小明", "en": "Renew\r\nBcc: x@evil.test"})
    make_duty(app, second)
    run_sweep(app)
    report = run_dispatch(app)
    assert report.outcomes.get("sent") == 4  # two inbox items, two e-mails
    assert len(smtp.messages) == 2
    for msg in smtp.messages:
        assert "\n" not in str(msg["Subject"]) and msg["Bcc"] is None
    assert rows(app, status="claimed") == []


def test_a_forced_render_failure_fails_that_row_alone_after_bounded_retries(
    app,
    factories,
    smtp,
    monkeypatch,
):
    good, bad = factories.account("citizen"), factories.account("citizen")
    for account in (good, bad):
        enable_email(app, account)
    make_duty(app, good)
    make_duty(app, bad)
    run_sweep(app)
    real = email_channel.reminder_mail

    def broken(account, *args, **kwargs):
        if account.id == bad.id:
            raise RuntimeError("template exploded")
        return real(account, *args, **kwargs)

    monkeypatch.setattr(email_channel, "reminder_mail", broken)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 3, "retry": 1}
    assert [str(m["To"]) for m in smtp.messages] == [good.email]
    [poisoned] = rows(app, account_id=bad.id, channel="email")
    assert poisoned.status == "retry" and poisoned.attempts == 1
    assert poisoned.last_error.startswith("render: RuntimeError: template exploded")
    # Bounded: after CFG.max_attempts it is failed and no longer claimed.
    now = NOW
    for _ in range(CFG.max_attempts + 2):
        now += timedelta(hours=7)
        run_dispatch(app, now=now)
    [poisoned] = rows(app, account_id=bad.id, channel="email")
    assert poisoned.status == "failed" and poisoned.attempts == CFG.max_attempts
    assert run_dispatch(app, now=now + timedelta(days=1)).claimed == 0


def test_a_message_that_cannot_be_sent_fails_alone(app, factories, smtp, monkeypatch):
    good, bad = factories.account("citizen"), factories.account("citizen")
    for account in (good, bad):
        enable_email(app, account)
    make_duty(app, bad)
    make_duty(app, good)
    run_sweep(app)
    real_send = email_channel.Mailer.send

    def send(self, mail):
        if mail.to == bad.email:
            raise UnicodeEncodeError("ascii", "x", 0, 1, "boom")
        return real_send(self, mail)

    monkeypatch.setattr(email_channel.Mailer, "send", send)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 3, "retry": 1}
    [row] = rows(app, account_id=bad.id, channel="email")
    assert row.last_error.startswith("send: UnicodeEncodeError")


def test_admins_see_failed_deliveries(app, factories, admin_client, person, monkeypatch):
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    monkeypatch.setattr(
        email_channel, "reminder_mail", lambda *a, **k: (_ for _ in ()).throw(KeyError("title"))
    )
    run_dispatch(app)
    page = admin_client.get("/admin/deliveries")
    assert page.status_code == 200
    assert "render: KeyError" in page.get_data(as_text=True)
    assert person.email not in page.get_data(as_text=True)
    admin = factories.account("admin")
    api = admin_client.get(
        "/api/v1/admin/deliveries/failed", headers=factories.token(app.test_client(), admin)
    )
    assert api.status_code == 200
    [item] = api.json["items"]
    assert item["status"] == "retry" and item["reason"].startswith("render: KeyError")


def test_citizens_cannot_see_failed_deliveries(citizen_client, factories, app, citizen):
    assert citizen_client.get("/admin/deliveries").status_code == 403
    headers = factories.token(app.test_client(), citizen)
    assert (
        app.test_client().get("/api/v1/admin/deliveries/failed", headers=headers).status_code == 403
    )


def test_reminder_emails_go_only_to_verified_addresses(app, person, smtp):
    from webapp.accounts.models import Account
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        session.get(Account, person.id).email_verified_at = None
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    assert run_dispatch(app).outcomes == {"sent": 1, "cancelled": 1}
    assert smtp.messages == []


def test_retries_of_one_notification_keep_one_message_id(app, person, smtp):
    with app.test_request_context():
        mail = email_channel.Mail(to="a@example.test", subject="s", text="t", html="h", tag="7")
        first = email_channel.build_message(mail)["Message-ID"]
        assert email_channel.build_message(mail)["Message-ID"] == first
        other = email_channel.Mail(to="a@example.test", subject="s", text="t", html="h", tag="8")
        assert email_channel.build_message(other)["Message-ID"] != first
