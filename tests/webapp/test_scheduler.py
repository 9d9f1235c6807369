"""The scheduler: fixed job ids, coalescing, misfire grace, one instance per job; jobs
that log what they did; create_app starts nothing; the operators' CLI."""

from __future__ import annotations

import logging
import threading
import time

from tests.webapp.reminders.test_reminders import make_duty


def _scheduler_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if "APScheduler" in t.name]


def test_create_app_starts_no_scheduler(tmp_path):
    from webapp import create_app

    before = {t.ident for t in threading.enumerate()}
    create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
        }
    )
    assert {t.ident for t in threading.enumerate()} <= before  # no new thread
    assert _scheduler_threads() == []


def test_jobs_have_fixed_ids_coalesce_and_misfire_grace(app):
    from apscheduler.jobstores.memory import MemoryJobStore

    from webapp.jobs import JOB_IDS, build_scheduler

    scheduler = build_scheduler(app)
    scheduler.start(paused=True)  # job defaults apply when the jobs are added to the store
    jobs = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(jobs) == set(JOB_IDS)
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time >= 60
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)
    assert str(jobs["reminder_dispatch"].trigger.interval.total_seconds()) == "30.0"
    assert "hour='2'" in str(jobs["duty_horizon"].trigger)


def test_each_job_runs_and_logs(app, factories, caplog):
    from webapp import jobs
    from webapp.core.db import db
    from webapp.models import Heartbeat

    account = factories.account("citizen")
    make_duty(app, account)
    caplog.set_level(logging.INFO, logger="webapp.jobs")
    for job_id, fn in (
        ("reminder_sweep", jobs.sweep_job),
        ("reminder_dispatch", jobs.dispatch_job),
        ("notification_purge", jobs.purge_job),
        ("duty_horizon", jobs.duty_horizon_job),
        ("heartbeat", jobs.heartbeat_job),
    ):
        jobs.run_job(app, job_id, fn)
    text = caplog.text
    assert "job reminder_sweep" in text and "1 new rows" in text
    assert "job reminder_dispatch" in text and "sent 1" in text
    assert "job notification_purge" in text
    assert "job duty_horizon" in text
    with app.app_context(), db.transaction() as session:
        assert session.get(Heartbeat, "scheduler") is not None


def test_a_failing_job_is_logged_not_raised(app, caplog):
    from webapp import jobs

    def broken():
        raise RuntimeError("boom")

    caplog.set_level(logging.INFO, logger="webapp.jobs")
    jobs.run_job(app, "broken", broken)
    assert "job broken failed" in caplog.text


def test_training_job_reports_without_failing(app):
    from webapp import jobs

    with app.app_context():
        result = jobs.training_job()
    assert result.startswith(("training", "recommender training not available"))


def test_background_scheduler_beats_and_stops(app):
    from webapp.core.db import db
    from webapp.jobs import start_background_scheduler
    from webapp.models import Heartbeat

    app.config.update(
        SCHEDULER_HEARTBEAT_SECONDS=1, SCHEDULER_SWEEP_SECONDS=3600, SCHEDULER_DISPATCH_SECONDS=3600
    )
    scheduler = start_background_scheduler(app)
    try:
        deadline = time.monotonic() + 15
        beat = None
        while time.monotonic() < deadline and beat is None:
            with app.app_context(), db.transaction() as session:
                beat = session.get(Heartbeat, "scheduler")
            time.sleep(0.1)
        assert beat is not None
        assert set(beat.info["jobs"]) >= {"reminder_sweep", "reminder_dispatch"}
    finally:
        scheduler.shutdown(wait=True)
        for key in (
            "SCHEDULER_HEARTBEAT_SECONDS",
            "SCHEDULER_SWEEP_SECONDS",
            "SCHEDULER_DISPATCH_SECONDS",
        ):
            app.config.pop(key)


def test_cli_sweep_dispatch_status(app, factories):
    account = factories.account("citizen")
    make_duty(app, account)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "status"])
    assert result.exit_code == 0 and "outbox empty" in result.output
    # The CLI reads the real clock: a duty due in 30 days from the real today.
    from webapp.core import clock

    make_duty(
        app,
        account,
        rule="driver_license_renewal",
        due_date=clock.local_today() + __import__("datetime").timedelta(days=30),
    )
    result = runner.invoke(args=["reminders", "sweep"])
    assert result.exit_code == 0 and "new rows" in result.output
    result = runner.invoke(args=["reminders", "dispatch", "--once"])
    assert result.exit_code == 0 and "sent" in result.output
    result = runner.invoke(args=["reminders", "status"])
    assert "sent       inbox" in result.output
