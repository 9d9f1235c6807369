"""The schedule: which service runs when (APScheduler 3.x, in-memory job store only).

``python -m webapp`` calls :func:`start_background_scheduler` (a thread, the one-machine
default); ``flask --app webapp scheduler`` runs :func:`run_blocking` in its own process
(production: exactly one such process). ``create_app`` never starts a scheduler.
Correctness does not depend on there being one scheduler: the sweep inserts with
ON CONFLICT DO NOTHING and dispatchers claim rows with leases.

Intervals come from the app config or the environment (seconds):
``SCHEDULER_SWEEP_SECONDS`` (300), ``SCHEDULER_DISPATCH_SECONDS`` (30),
``SCHEDULER_HEARTBEAT_SECONDS`` (30); daily jobs run at fixed local times
(duty horizon 02:30, training 03:30, purge 04:15, Asia/Shanghai).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from webapp.core import clock
from webapp.core.db import db
from webapp.duties import sync as duty_sync
from webapp.entitlements import reminders as entitlement_reminders
from webapp.recommend import training

log = logging.getLogger("webapp.jobs")

JOB_IDS = (
    "reminder_sweep",
    "reminder_dispatch",
    "duty_horizon",
    "recommender_training",
    "notification_purge",
    "guardian_age",
    "heartbeat",
)


def _setting(app: Flask, name: str, default: int) -> int:
    value = app.config.get(name) or os.environ.get(name)
    return int(value) if value not in (None, "") else default


# --------------------------------------------------------------------------- the jobs
def sweep_job() -> str:
    from webapp.reminders import run_sweep

    return str(run_sweep(clock.now(), clock.local_today()))


def dispatch_job() -> str:
    from webapp.reminders import run_dispatch

    report = run_dispatch(clock.now(), clock.local_today())
    return str(report) if report.claimed else "idle: nothing due"


def duty_horizon_job() -> str:
    """Extend every subject's duties to the horizon (recurring duties roll forward)."""
    with db.transaction() as session:
        # commit=True: one transaction per batch of subjects, not one for everyone.
        report = duty_sync.sync_all(session, clock.local_today(), commit=True)
    with db.transaction() as session:
        # entitlements that became available (a parent turned 60…) get their reminder
        owed = entitlement_reminders.sync_all(session, clock.local_today())
    return f"duty horizon extended: {report}; entitlement reminders changed: {owed}"


def training_job() -> str:
    from flask import current_app

    try:
        version = training.train_and_maybe_activate(current_app._get_current_object())
    except Exception as exc:  # e.g. not enough interactions yet: log, try tomorrow
        return f"training skipped: {type(exc).__name__}: {exc}"
    return f"training done: {getattr(version, 'version', version)}"


def purge_job() -> str:
    from datetime import timedelta

    from webapp.accounts.throttle import purge as purge_throttle
    from webapp.core.db import db
    from webapp.reminders import run_purge

    notes = run_purge(clock.now(), clock.local_today())
    with db.transaction() as session:  # password-check counters idle for a day
        counters = purge_throttle(session, clock.now() - timedelta(days=1))
    return f"purged {notes} finished notifications, {counters} idle password-check counters"


def guardian_age_job() -> str:
    """A guardian's access to a linked minor ends on the 18th birthday, with notice to both."""
    from webapp import family

    with db.transaction() as session:
        ended = family.end_guardian_access(session, clock.local_today())
    return f"guardian access ended for {ended} members who turned 18"


def heartbeat_job(scheduler: BaseScheduler | None = None) -> str:
    from webapp.core.models import Heartbeat

    now = clock.now()
    info = {"host": socket.gethostname(), "pid": os.getpid()}
    if scheduler is not None:
        info["jobs"] = {
            job.id: job.next_run_time.isoformat() if job.next_run_time else None
            for job in scheduler.get_jobs()
        }
    with db.transaction() as session:
        row = session.get(Heartbeat, "scheduler")
        if row is None:
            session.add(Heartbeat(name="scheduler", beat_at=now, info=info))
        else:
            row.beat_at = now
            row.info = info
    return "heartbeat"


def run_job(app: Flask, job_id: str, fn: Callable[..., str], *args) -> None:
    """Run one job in an app context and log what it did (never raises into APScheduler)."""
    started = time.perf_counter()
    with app.app_context():
        try:
            result = fn(*args)
        except Exception:
            log.exception("job %s failed", job_id)
            return
    quiet = job_id == "heartbeat" or str(result).startswith("idle")
    level = logging.DEBUG if quiet else logging.INFO
    log.log(level, "job %s (%.2fs): %s", job_id, time.perf_counter() - started, result)


# ----------------------------------------------------------------------- the schedule
def build_scheduler(app: Flask, blocking: bool = False) -> BaseScheduler:
    # run_job logs each run; APScheduler's own "Running job …" lines are noise every 30 s.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(
        timezone=clock.LOCAL_TZ,
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 120},
    )
    start = datetime.now(clock.LOCAL_TZ)
    interval_jobs = (
        ("reminder_sweep", sweep_job, _setting(app, "SCHEDULER_SWEEP_SECONDS", 300), ()),
        ("reminder_dispatch", dispatch_job, _setting(app, "SCHEDULER_DISPATCH_SECONDS", 30), ()),
        (
            "heartbeat",
            heartbeat_job,
            _setting(app, "SCHEDULER_HEARTBEAT_SECONDS", 30),
            (scheduler,),
        ),
    )
    for job_id, fn, seconds, extra in interval_jobs:
        scheduler.add_job(
            run_job,
            "interval",
            seconds=seconds,
            args=(app, job_id, fn, *extra),
            id=job_id,
            name=job_id,
            next_run_time=start,
            replace_existing=True,
        )
    daily_jobs = (
        ("duty_horizon", duty_horizon_job, 2, 30),
        ("recommender_training", training_job, 3, 30),
        ("notification_purge", purge_job, 4, 15),
        ("guardian_age", guardian_age_job, 4, 45),
    )
    for job_id, fn, hour, minute in daily_jobs:
        scheduler.add_job(
            run_job,
            "cron",
            hour=hour,
            minute=minute,
            args=(app, job_id, fn),
            id=job_id,
            name=job_id,
            misfire_grace_time=3600,
            replace_existing=True,
        )
    return scheduler


def start_background_scheduler(app: Flask) -> BackgroundScheduler:
    """Start the jobs in a background thread of this process (``python -m webapp``)."""
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start()
    log.info("scheduler started in the background: %s", ", ".join(JOB_IDS))
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the jobs in the foreground until interrupted (``flask scheduler``)."""
    scheduler = build_scheduler(app, blocking=True)
    log.info("scheduler running: %s", ", ".join(JOB_IDS))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
