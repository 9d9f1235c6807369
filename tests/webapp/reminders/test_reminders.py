"""Reminders: lead times, the sweep, the dispatcher, the inbox, e-mail with a real SMTP
server (aiosmtpd on a loopback port), quiet hours, digest and budget with frozen time."""

from __future__ import annotations

import email
import itertools
import socket
import threading
from datetime import UTC, date, datetime, time, timedelta
from email import policy as email_policy

import pytest
from sqlalchemy import delete, func, select

from webapp.models import Duty, InboxItem, Notification, NotificationSettings
from webapp.reminders import policy as rpolicy
from webapp.reminders.dispatch import DispatchConfig, claim, dispatch_once
from webapp.reminders.sweep import sweep

TODAY = date(2026, 11, 26)
# 10:00 in Shanghai on TODAY: outside the default quiet hours.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
_SEQ = itertools.count(1)
CFG = DispatchConfig(batch=50, lease_seconds=120, backoff_base_seconds=60, max_attempts=4)


# ------------------------------------------------------------------------ helpers
def make_duty(
    app,
    account,
    rule: str = "passport_renewal",
    due_date: date = TODAY + timedelta(days=30),
    window_start: date | None = None,
    status: str = "open",
    subject_kind: str = "self",
    enterprise_id: int | None = None,
    snoozed_until: date | None = None,
    title: dict | None = None,
) -> int:
    from lifecycle.rules import RULES
    from webapp.core.db import db

    info = RULES[rule]
    with app.app_context(), db.transaction() as session:
        duty = Duty(
            subject_kind=subject_kind,
            subject_id=enterprise_id if subject_kind == "enterprise" else account.id,
            owner_account_id=None if subject_kind == "enterprise" else account.id,
            enterprise_id=enterprise_id,
            subject_name="",
            rule=rule,
            occurrence=f"t{due_date.isoformat()}-{next(_SEQ)}",
            life_event=info.life_event,
            service_code=info.service_code,
            title=title or {"zh_Hans": "护照换发", "en": "Renew your passport"},
            explanation={"zh_Hans": "说明", "en": "Explanation"},
            legal_basis=info.legal_basis,
            window_start=window_start or (due_date - timedelta(days=90)),
            due_date=due_date,
            status=status,
            snoozed_until=snoozed_until,
        )
        session.add(duty)
        session.flush()
        return duty.id


def clear_duties(app, account=None) -> None:
    """Remove the duties the duty sync computed from a factory's profile."""
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        stmt = delete(Duty)
        if account is not None:
            stmt = stmt.where(Duty.owner_account_id == account.id)
        session.execute(stmt)


def set_duty(app, duty_id: int, **values) -> None:
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        duty = session.get(Duty, duty_id)
        for k, v in values.items():
            setattr(duty, k, v)


def enable_email(app, account, **settings) -> None:
    from webapp.core.db import db
    from webapp.reminders.schemas import NotificationSettingsIn

    data = {"email_enabled": True, **settings}
    consent(app, account, True)  # directly: the service would also resync the duties
    with app.app_context(), db.transaction() as session:
        rpolicy.update_settings(session, account.id, NotificationSettingsIn.model_validate(data))


def run_sweep(app, today=TODAY, now=NOW):
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        return sweep(session, today, now)


def run_dispatch(app, now=NOW, today=None, cfg=CFG, **kwargs):
    from webapp.core.db import db

    with app.app_context():
        return dispatch_once(
            db.new_session,
            now,
            today or now.astimezone(rpolicy.LOCAL_TZ).date(),
            cfg=cfg,
            **kwargs,
        )


def rows(app, **where) -> list[Notification]:
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        stmt = select(Notification).order_by(Notification.id)
        for k, v in where.items():
            stmt = stmt.where(getattr(Notification, k) == v)
        out = list(session.scalars(stmt))
        session.expunge_all()
        return out


def inbox_count(app, account_id=None) -> int:
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        stmt = select(func.count()).select_from(InboxItem)
        if account_id is not None:
            stmt = stmt.where(InboxItem.account_id == account_id)
        return session.scalar(stmt)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server on a loopback port: records messages, can refuse recipients
    with 550, and can be stopped and started again to simulate an outage."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()
        self.controller = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email_policy.default)
        with self.lock:
            self.messages.append(msg)
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def tags(self) -> list[str]:
        with self.lock:
            return [str(m["X-Lifepage-Notification"]) for m in self.messages]


@pytest.fixture
def smtp(app):
    sink = SmtpSink()
    sink.start()
    old = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = sink.url
    yield sink
    app.config["SMTP_URL"] = old
    sink.stop()


@pytest.fixture
def person(app, factories):
    # No profile: the duty sync computes nothing for it, the test adds the duties.
    return factories.account("citizen")


# ------------------------------------------------------------------------ lead times
def test_policy_leads_default_from_lifecycle_and_overridable(app, db_session):
    table = rpolicy.lead_table(db_session)
    assert table["passport_renewal"] == ("window", "30")
    rpolicy.set_policy(db_session, "passport_renewal", ["14", "2"])
    db_session.commit()
    assert rpolicy.lead_table(db_session)["passport_renewal"] == ("14", "2")
    rpolicy.set_policy(db_session, "passport_renewal", ["window"], enabled=False)
    db_session.commit()
    assert rpolicy.lead_table(db_session)["passport_renewal"] == ()
    with pytest.raises(ValueError):
        rpolicy.set_policy(db_session, "passport_renewal", ["soon"])


def test_sweep_fires_each_lead_on_its_day_once(app, person):
    duty = make_duty(
        app,
        person,
        rule="id_card_renewal",
        due_date=TODAY + timedelta(days=40),
        window_start=TODAY + timedelta(days=5),
    )
    assert run_sweep(app).inserted == 0  # nothing has come yet
    report = run_sweep(app, today=TODAY + timedelta(days=5))
    assert report.inserted == 1
    assert [(n.lead, n.channel) for n in rows(app)] == [("window", "inbox")]
    assert run_sweep(app, today=TODAY + timedelta(days=5)).inserted == 0  # idempotent
    assert run_sweep(app, today=TODAY + timedelta(days=10)).inserted == 1  # 30 days before
    assert run_sweep(app, today=TODAY + timedelta(days=33)).inserted == 1  # 7 days before
    assert [n.lead for n in rows(app)] == ["window", "30", "7"]
    assert {n.duty_id for n in rows(app)} == {duty}
    assert run_sweep(app, today=TODAY + timedelta(days=41)).inserted == 0  # past due


def test_a_late_duty_gets_only_its_latest_lead(app, person):
    # The window opened a month ago and "30 days before" is today: one reminder, not two.
    make_duty(
        app,
        person,
        rule="id_card_renewal",
        due_date=TODAY + timedelta(days=30),
        window_start=TODAY - timedelta(days=60),
    )
    assert run_sweep(app).inserted == 1
    assert [n.lead for n in rows(app)] == ["30"]
    # Stored late with the window open: the window reminder comes at once.
    other = make_duty(
        app,
        person,
        rule="id_card_renewal",
        due_date=TODAY + timedelta(days=60),
        window_start=TODAY - timedelta(days=30),
    )
    run_sweep(app)
    assert [n.lead for n in rows(app, duty_id=other)] == ["window"]


def test_sweep_skips_done_dismissed_and_snoozed_duties(app, person):
    due = TODAY + timedelta(days=30)
    make_duty(app, person, due_date=due, status="done")
    make_duty(app, person, due_date=due, status="dismissed")
    make_duty(app, person, due_date=due, status="snoozed", snoozed_until=TODAY + timedelta(days=3))
    woke = make_duty(app, person, due_date=due, status="snoozed", snoozed_until=TODAY)
    run_sweep(app)
    assert [n.duty_id for n in rows(app)] == [woke]


def test_enterprise_duty_reminds_the_legal_representative(app, factories):
    from webapp.core.db import db
    from webapp.models import Membership

    owner = factories.business()
    with app.app_context(), db.transaction() as session:
        membership = session.scalar(select(Membership).where(Membership.account_id == owner.id))
        enterprise_id = membership.enterprise_id
    clear_duties(app)
    duty = make_duty(
        app,
        owner,
        rule="annual_report",
        subject_kind="enterprise",
        enterprise_id=enterprise_id,
        due_date=TODAY + timedelta(days=7),
    )
    run_sweep(app)
    assert [(n.duty_id, n.account_id) for n in rows(app)] == [(duty, owner.id)]


def test_sweep_on_two_connections_at_once_creates_nothing_twice(app, factories):
    accounts = [factories.account() for _ in range(3)]
    for account in accounts:
        for days in (1, 7, 30):
            make_duty(app, account, rule="id_card_renewal", due_date=TODAY + timedelta(days=days))
    barrier = threading.Barrier(2)
    errors = []

    def one():
        try:
            barrier.wait()
            run_sweep(app)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(rows(app)) == 9
    run_sweep(app)
    assert len(rows(app)) == 9


# ------------------------------------------------------------------------ inbox
def test_dispatch_delivers_to_the_inbox_exactly_once(app, person):
    make_duty(app, person)
    run_sweep(app)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 1}
    assert inbox_count(app, person.id) == 1
    assert run_dispatch(app).claimed == 0
    run_sweep(app)
    run_dispatch(app)
    assert inbox_count(app, person.id) == 1
    [n] = rows(app)
    assert n.status == "sent" and n.sent_at == NOW and n.claimed_by is None
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        item = session.scalar(select(InboxItem))
        assert item.notification_id == n.id
        for locale in ("zh_Hans", "zh_Hant", "en"):
            assert "30" in item.body[locale] and item.title[locale]


def test_duty_done_between_sweep_and_send_sends_nothing(app, person, smtp):
    enable_email(app, person)
    duty = make_duty(app, person)
    run_sweep(app)
    assert {n.channel for n in rows(app)} == {"inbox", "email"}
    set_duty(app, duty, status="done")
    run_dispatch(app)
    assert {n.status for n in rows(app)} == {"expired"}
    assert inbox_count(app) == 0
    assert smtp.messages == []


def test_a_dead_dispatchers_claim_returns_after_the_lease(app, person):
    from webapp.core.db import db

    make_duty(app, person)
    run_sweep(app)
    with app.app_context(), db.new_session() as session:
        claimed = claim(session, "dead-worker:1", NOW, 10, CFG.lease_seconds)
    assert len(claimed) == 1
    assert run_dispatch(app).claimed == 0  # leased to the dead dispatcher
    assert inbox_count(app) == 0
    later = NOW + timedelta(seconds=CFG.lease_seconds + 1)
    assert run_dispatch(app, now=later).outcomes == {"sent": 1}
    assert inbox_count(app) == 1
    [n] = rows(app)
    assert n.claimed_by is None and n.status == "sent"


# ------------------------------------------------------------------------ e-mail
def test_email_is_localised_multipart_with_one_click_unsubscribe(app, factories, smtp, client):
    account = factories.account("citizen", locale="en")
    enable_email(app, account)
    make_duty(app, account, due_date=TODAY + timedelta(days=30))
    run_sweep(app)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 2}
    [msg] = smtp.messages
    assert msg["To"] == account.email
    assert msg["Subject"] == "Reminder: Renew your passport"
    assert msg.is_multipart()
    types = sorted(part.get_content_type() for part in msg.walk() if not part.is_multipart())
    assert types == ["text/html", "text/plain"]
    text = msg.get_body(("plain",)).get_content()
    assert "It is due in 30 days" in text
    assert "Passport Law of the PRC" in text and "护照法" not in text
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(msg["List-Unsubscribe"]).strip("<>")
    path = "/" + url.split("/", 3)[3]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200  # one click, no session, no CSRF token
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        assert session.get(NotificationSettings, account.id).muted_rules == ["passport_renewal"]
    assert client.post("/unsubscribe/forged-token").status_code == 404


def test_chinese_account_gets_chinese_email(app, person, smtp):
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    run_dispatch(app)
    [msg] = smtp.messages
    assert "护照换发" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for english in ("How to do it", "Your tasks", "Stop e-mails", "Legal basis", "Change your"):
        assert english not in text and english not in html and english not in msg["Subject"]
    assert "办理方式：" in text and "停止此类事项的邮件" in html


def test_traditional_chinese_email_converts_the_legal_basis(app, person, smtp):
    """Every part of a 繁體 e-mail is 繁體, the citation of the Passport Law too."""
    from webapp.core.db import db
    from webapp.models import Account

    with app.app_context(), db.transaction() as session:
        session.get(Account, person.id).locale = "zh_Hant"
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    run_dispatch(app)
    [msg] = smtp.messages
    text = msg.get_body(("plain",)).get_content()
    assert "辦理方式：" in text and "護照" in msg["Subject"]
    assert "护照" not in text and "中华人民共和国" not in text


def consent(app, account, granted: bool) -> None:
    """Record a consent decision directly (the service would also resync duties)."""
    from webapp.core.db import db
    from webapp.models import Consent

    with app.app_context(), db.transaction() as session:
        session.add(
            Consent(account_id=account.id, purpose="email_reminders", granted=granted, version="1")
        )


def test_no_email_without_consent_or_when_muted(app, person, smtp):
    enable_email(app, person)
    consent(app, person, False)
    make_duty(app, person)
    run_sweep(app)
    assert {n.channel for n in rows(app)} == {"inbox"}
    # Consent given at sweep time but withdrawn before sending: cancelled.
    consent(app, person, True)
    make_duty(app, person, rule="driver_license_renewal")
    run_sweep(app)
    consent(app, person, False)
    run_dispatch(app)
    assert [n.status for n in rows(app, channel="email")] == ["cancelled"]
    # Muted rule (the unsubscribe link): no e-mail row at all.
    consent(app, person, True)
    enable_email(app, person, muted_rules=["id_card_renewal"])
    make_duty(app, person, rule="id_card_renewal")
    run_sweep(app)
    assert len(rows(app, channel="email")) == 1
    assert smtp.messages == []


def test_opting_in_mails_the_next_reminder_not_those_already_in_the_inbox(app, person, smtp):
    duty = make_duty(
        app, person, rule="id_card_renewal", due_date=TODAY + timedelta(days=40), window_start=TODAY
    )
    run_sweep(app)
    run_dispatch(app)
    enable_email(app, person)
    run_sweep(app)
    assert rows(app, channel="email") == []  # the window reminder is already in the inbox
    later = TODAY + timedelta(days=10)  # 30 days before the due date
    later_now = NOW + timedelta(days=10)
    run_sweep(app, today=later, now=later_now)
    assert [(n.lead, n.duty_id) for n in rows(app, channel="email")] == [("30", duty)]
    run_dispatch(app, now=later_now)
    assert len(smtp.messages) == 1


def test_smtp_down_is_retried_with_backoff_and_delivered_once_back(app, person, smtp):
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    smtp.stop()
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 1, "retry": 1}
    [n] = rows(app, channel="email")
    assert n.status == "retry" and n.attempts == 1
    assert n.next_attempt_at == NOW + timedelta(seconds=60)
    # Still down at the next attempt: the wait doubles.
    report = run_dispatch(app, now=NOW + timedelta(seconds=61))
    [n] = rows(app, channel="email")
    assert n.attempts == 2 and n.next_attempt_at == NOW + timedelta(seconds=61 + 120)
    smtp.start()
    assert run_dispatch(app, now=NOW + timedelta(seconds=100)).claimed == 0  # not yet due
    report = run_dispatch(app, now=NOW + timedelta(seconds=200))
    assert report.outcomes == {"sent": 1}
    assert len(smtp.messages) == 1
    run_dispatch(app, now=NOW + timedelta(hours=5))
    assert len(smtp.messages) == 1


def test_refused_address_fails_permanently_and_is_not_retried(app, person, smtp):
    smtp.refuse.add(person.email)
    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    assert run_dispatch(app).outcomes == {"sent": 1, "failed": 1}
    [n] = rows(app, channel="email")
    assert n.status == "failed" and "550" in n.last_error
    assert run_dispatch(app, now=NOW + timedelta(days=1)).claimed == 0
    assert smtp.messages == []


def test_without_smtp_the_email_goes_to_the_outbox_log(app, person, tmp_path):
    from pathlib import Path

    enable_email(app, person)
    make_duty(app, person)
    run_sweep(app)
    log = Path(app.config["INSTANCE_PATH"]) / "outbox.log"
    before = log.read_text() if log.exists() else ""
    assert run_dispatch(app).outcomes == {"sent": 2}
    assert person.email in log.read_text()[len(before) :]


def test_quiet_hours_defer_email_to_the_morning(app, person, smtp):
    enable_email(app, person)
    make_duty(app, person)
    night = datetime(2026, 11, 26, 23, 30, tzinfo=rpolicy.LOCAL_TZ).astimezone(UTC)
    run_sweep(app, now=night)
    report = run_dispatch(app, now=night)
    assert report.outcomes == {"sent": 1, "deferred": 1}  # the inbox does not sleep
    [n] = rows(app, channel="email")
    morning = datetime(2026, 11, 27, 8, 0, tzinfo=rpolicy.LOCAL_TZ).astimezone(UTC)
    assert n.status == "pending" and n.next_attempt_at == morning and n.attempts == 0
    assert run_dispatch(app, now=morning - timedelta(minutes=1)).claimed == 0
    assert run_dispatch(app, now=morning).outcomes == {"sent": 1}
    assert len(smtp.messages) == 1


def test_quiet_hours_helpers():
    prefs = rpolicy.Prefs(quiet_start=time(22, 0), quiet_end=time(8, 0))
    at = lambda h, m=0: datetime(2026, 11, 26, h, m, tzinfo=rpolicy.LOCAL_TZ)  # noqa: E731
    assert rpolicy.in_quiet_hours(prefs, at(22))
    assert rpolicy.in_quiet_hours(prefs, at(3))
    assert not rpolicy.in_quiet_hours(prefs, at(8))
    assert not rpolicy.in_quiet_hours(prefs, at(21, 59))
    assert rpolicy.quiet_end_after(prefs, at(3)) == at(8).astimezone(UTC)
    day = rpolicy.Prefs(quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert rpolicy.in_quiet_hours(day, at(13)) and not rpolicy.in_quiet_hours(day, at(14))
    assert not rpolicy.in_quiet_hours(rpolicy.Prefs(quiet_start=time(0), quiet_end=time(0)), at(3))


def test_daily_digest_sends_one_email_listing_what_is_due(app, person, smtp):
    enable_email(app, person, digest="daily")
    for rule in ("passport_renewal", "driver_license_renewal", "id_card_renewal"):
        make_duty(
            app,
            person,
            rule=rule,
            due_date=TODAY + timedelta(days=30),
            title={"zh_Hans": f"任务{rule}", "en": rule},
        )
    run_sweep(app)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 3, "held": 3}
    assert smtp.messages == []
    digest_time = datetime(2026, 11, 27, 8, 0, tzinfo=rpolicy.LOCAL_TZ).astimezone(UTC)
    assert {n.next_attempt_at for n in rows(app, channel="email")} == {digest_time}
    report = run_dispatch(app, now=digest_time)
    assert report.outcomes == {"digested": 3}
    [msg] = smtp.messages
    text = msg.get_body(("plain",)).get_content()
    for rule in ("passport_renewal", "driver_license_renewal", "id_card_renewal"):
        assert f"任务{rule}" in text
    assert {n.status for n in rows(app, channel="email")} == {"digested"}
    run_dispatch(app, now=digest_time + timedelta(days=1))
    assert len(smtp.messages) == 1


def test_weekly_budget_overflow_waits_for_the_next_digest(app, person, smtp):
    enable_email(app, person, weekly_email_budget=2)
    rules = ("passport_renewal", "driver_license_renewal", "id_card_renewal", "id_card_first")
    for rule in rules:
        make_duty(app, person, rule=rule, due_date=TODAY + timedelta(days=30))
    run_sweep(app)
    report = run_dispatch(app)
    assert report.outcomes == {"sent": 6, "held": 2}
    assert len(smtp.messages) == 2
    # TODAY is a Thursday: the overflow goes out on Monday morning, not dropped.
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=rpolicy.LOCAL_TZ).astimezone(UTC)
    held = rows(app, channel="email", status="pending")
    assert len(held) == 2 and {n.next_attempt_at for n in held} == {monday}
    assert run_dispatch(app, now=monday).outcomes == {"digested": 2}
    assert len(smtp.messages) == 3
    assert "2" in smtp.messages[-1]["Subject"]


def test_purge_removes_old_finished_rows_of_past_duties_only(app, person):
    from webapp.core.db import db
    from webapp.reminders import purge_delivered

    past = make_duty(app, person, due_date=TODAY + timedelta(days=1))
    live = make_duty(app, person, rule="driver_license_renewal", due_date=TODAY + timedelta(days=1))
    run_sweep(app)
    run_dispatch(app)
    later = TODAY + timedelta(days=100)
    set_duty(app, live, due_date=later + timedelta(days=5))
    with app.app_context(), db.transaction() as session:
        assert purge_delivered(session, NOW + timedelta(days=100), later) == 1
    assert [n.duty_id for n in rows(app)] == [live]
    assert inbox_count(app) == 2  # inbox items stay
    assert past
