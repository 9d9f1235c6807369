"""Several dispatchers and sweeps at once on PostgreSQL (FOR UPDATE SKIP LOCKED, leases,
ON CONFLICT DO NOTHING), with a real SMTP server. Run with
TEST_DATABASE_URL=postgresql://… ; skipped on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.webapp.reminders.test_reminders import (
    CFG,
    NOW,
    TODAY,
    SmtpSink,
    rows,
    run_dispatch,
    run_sweep,
)
from webapp.reminders.dispatch import DispatchConfig, dispatch_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql://…",
    ),
]
ROOT = Path(__file__).resolve().parents[3]


def _accounts(factories, n: int) -> list:
    return [factories.account("citizen") for _ in range(n)]


def _bulk_duties(app, accounts, per_account: int, rule="passport_renewal", days=30) -> int:
    from lifecycle.rules import RULES
    from webapp.core.db import db
    from webapp.models import Duty

    info = RULES[rule]
    values = []
    for account in accounts:
        for i in range(per_account):
            values.append(
                {
                    "subject_kind": "self",
                    "subject_id": account.id,
                    "owner_account_id": account.id,
                    "subject_name": "",
                    "rule": rule,
                    "occurrence": f"bulk-{i}",
                    "life_event": info.life_event,
                    "service_code": info.service_code,
                    "title": {"zh_Hans": f"护照换发 {i}", "en": f"Passport {i}"},
                    "explanation": {"zh_Hans": "", "en": ""},
                    "legal_basis": info.legal_basis,
                    "window_start": TODAY + timedelta(days=days - 90),
                    "due_date": TODAY + timedelta(days=days),
                    "status": "open",
                }
            )
    with app.app_context(), db.transaction() as session:
        session.execute(insert(Duty), values)
    return len(values)


def _email_for_all(app, accounts, budget=100_000) -> None:
    from webapp.core.db import db
    from webapp.models import Consent, NotificationSettings

    with app.app_context(), db.transaction() as session:
        for account in accounts:
            session.add(
                NotificationSettings(
                    account_id=account.id,
                    email_enabled=True,
                    weekly_email_budget=budget,
                    muted_rules=[],
                )
            )
            session.add(
                Consent(account_id=account.id, purpose="email_reminders", granted=True, version="1")
            )


def test_two_dispatchers_over_2000_reminders_deliver_each_once(app, factories):
    sink = SmtpSink()
    sink.start()
    try:
        accounts = _accounts(factories, 20)
        _email_for_all(app, accounts)
        assert _bulk_duties(app, accounts, 50) == 1000
        run_sweep(app)
        assert len(rows(app)) == 2000  # an inbox and an e-mail reminder per duty

        from webapp.core.db import db
        from webapp.reminders.channels.email import Mailer

        reports = {}
        barrier = threading.Barrier(2)
        cfg = DispatchConfig(batch=25, lease_seconds=300)

        def dispatcher(name: str):
            with app.app_context():
                barrier.wait()
                with Mailer(sink.url, Path("/dev/null")) as mailer:
                    reports[name] = dispatch_once(
                        db.new_session, NOW, TODAY, worker=name, cfg=cfg, mailer=mailer
                    )

        threads = [threading.Thread(target=dispatcher, args=(f"d{i}",)) for i in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert set(reports) == {"d1", "d2"}
        assert reports["d1"].claimed + reports["d2"].claimed == 2000
        assert reports["d1"].claimed > 0 and reports["d2"].claimed > 0
        from webapp.models import InboxItem

        with app.app_context(), db.transaction() as session:
            assert session.scalar(select(func.count()).select_from(InboxItem)) == 1000
            assert (
                session.scalar(select(func.count(func.distinct(InboxItem.notification_id)))) == 1000
            )
        tags = sink.tags()
        assert len(tags) == 1000 and len(set(tags)) == 1000
        assert {n.status for n in rows(app)} == {"sent"}
    finally:
        sink.stop()


CLAIM_AND_DIE = """
import sys, time
from datetime import datetime
from webapp import create_app
from webapp.core.db import db
from webapp.reminders.dispatch import claim
app = create_app({"DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "t"})
with app.app_context(), db.new_session() as session:
    ids = claim(session, "doomed:1", datetime.fromisoformat(sys.argv[3]), 100, 120)
print(len(ids), flush=True)
time.sleep(600)
"""


def test_a_killed_dispatchers_rows_are_delivered_by_another_after_the_lease(
    app, factories, tmp_path
):
    accounts = _accounts(factories, 2)
    _bulk_duties(app, accounts, 10)
    run_sweep(app)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CLAIM_AND_DIE,
            app.config["DATABASE_URL"],
            str(tmp_path),
            NOW.isoformat(),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "20"
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert {n.status for n in rows(app)} == {"claimed"}
    assert run_dispatch(app, now=NOW + timedelta(seconds=60)).claimed == 0  # lease holds
    report = run_dispatch(app, now=NOW + timedelta(seconds=CFG.lease_seconds + 1))
    assert report.outcomes == {"sent": 20}
    from tests.webapp.reminders.test_reminders import inbox_count

    assert inbox_count(app) == 20


def test_sweeps_on_two_connections_at_once_create_nothing_twice(app, factories):
    accounts = _accounts(factories, 10)
    _email_for_all(app, accounts)
    _bulk_duties(app, accounts, 50)
    barrier = threading.Barrier(3)
    reports = []

    def sweeper():
        barrier.wait()
        reports.append(run_sweep(app))

    threads = [threading.Thread(target=sweeper) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(reports) == 3
    assert sum(r.inserted for r in reports) == 1000
    assert len(rows(app)) == 1000
