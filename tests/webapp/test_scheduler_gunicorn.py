"""The production shape: gunicorn with 4 workers, one ``flask scheduler`` process and an
extra ``flask reminders dispatch`` process on the same PostgreSQL database. Reminders are
not multiplied: one inbox item and one e-mail per (duty, lead)."""

from __future__ import annotations

import os
import subprocess
import sys
import time as clock_time
import urllib.request
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.webapp.reminders.test_reminders import SmtpSink, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql://…",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
N_ACCOUNTS, PER_ACCOUNT = 10, 20


def _seed(app, factories) -> int:
    from lifecycle.rules import RULES
    from webapp.core import clock
    from webapp.core.db import db
    from webapp.models import Consent, Duty, NotificationSettings

    accounts = [factories.account("citizen") for _ in range(N_ACCOUNTS)]
    today = clock.local_today()  # the processes read the real clock
    info = RULES["passport_renewal"]
    with app.app_context(), db.transaction() as session:
        for account in accounts:
            # No quiet hours: the test may run at night in Shanghai.
            session.add(
                NotificationSettings(
                    account_id=account.id,
                    email_enabled=True,
                    quiet_start=time(0),
                    quiet_end=time(0),
                    weekly_email_budget=100_000,
                    muted_rules=[],
                )
            )
            session.add(
                Consent(account_id=account.id, purpose="email_reminders", granted=True, version="1")
            )
        session.execute(
            insert(Duty),
            [
                {
                    "subject_kind": "self",
                    "subject_id": a.id,
                    "owner_account_id": a.id,
                    "subject_name": "",
                    "rule": "passport_renewal",
                    "occurrence": f"g{i}",
                    "life_event": info.life_event,
                    "service_code": info.service_code,
                    "title": {"zh_Hans": "护照换发", "en": "Passport"},
                    "explanation": {"zh_Hans": "", "en": ""},
                    "legal_basis": info.legal_basis,
                    "window_start": today - timedelta(days=400),
                    "due_date": today + timedelta(days=30),
                    "status": "open",
                }
                for a in accounts
                for i in range(PER_ACCOUNT)
            ],
        )
    return N_ACCOUNTS * PER_ACCOUNT


def _counts(app) -> tuple[int, int, int]:
    from webapp.core.db import db
    from webapp.models import InboxItem, Notification

    with app.app_context(), db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(Notification)),
            session.scalar(select(func.count()).select_from(InboxItem)),
            session.scalar(
                select(func.count()).select_from(Notification).where(Notification.status == "sent")
            ),
        )


def test_gunicorn_workers_and_one_scheduler_do_not_multiply_reminders(app, factories, tmp_path):
    duties = _seed(app, factories)
    sink = SmtpSink()
    sink.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "gunicorn-test",
        "SMTP_URL": sink.url,
        "SCHEDULER_SWEEP_SECONDS": "1",
        "SCHEDULER_DISPATCH_SECONDS": "1",
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
        "RATELIMIT_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }
    names = ("gunicorn", "scheduler", "dispatch")
    logs = [open(tmp_path / f"{n}.log", "w") for n in names]  # noqa: SIM115 (closed below)
    procs = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "webapp:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "flask"), "--app", "webapp", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=logs[1],
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "flask"), "--app", "webapp", "reminders", "dispatch", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=logs[2],
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        deadline = clock_time.monotonic() + 120
        served = 0
        while clock_time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    served += r.status == 200
            except OSError:
                pass
            if _counts(app)[2] >= 2 * duties and len(sink.tags()) >= duties:
                break
            clock_time.sleep(0.5)
        # Let every process run several more sweeps and dispatch rounds.
        clock_time.sleep(4)
        notifications, inbox_items, sent = _counts(app)
        assert notifications == 2 * duties, (tmp_path / "scheduler.log").read_text()[-3000:]
        assert inbox_items == duties
        assert sent == 2 * duties
        tags = sink.tags()
        assert len(tags) == duties and len(set(tags)) == duties
        assert served > 0  # the workers were up and serving meanwhile
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()
        sink.stop()
