"""The job table's mechanics: enqueue, claim with a lease, renew, finish, recover.

Work that must not run in a web request (model training) is a ``BackgroundJob`` row. A
worker (the scheduler's ``job_queue`` job, or ``flask jobs run``) claims one due row at a
time — ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, one guarded ``UPDATE`` on SQLite, as the
reminder outbox does — so exactly one worker runs each job. While the handler runs, a
thread renews the lease; if the worker dies the lease expires and another worker claims
the job again (up to ``max_attempts`` claims, then it is failed). A handler's exception
fails the job with its message. At most one job per kind is queued or running (a partial
unique index), so "train" pressed twice enqueues once.

Features register a handler per kind (``register_handler``); handlers receive the app
and the job's id and payload, and return a JSON-able result.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.core import clock
from webapp.core.models import BackgroundJob

log = logging.getLogger(__name__)

ACTIVE = ("queued", "running")


@dataclass(frozen=True)
class JobContext:
    app: Flask
    job_id: int
    payload: dict


Handler = Callable[[JobContext], dict | None]
_handlers: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


class AlreadyQueued(Exception):
    """A job of this kind is queued or running already."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def active(session: Session, kind: str) -> BackgroundJob | None:
    return session.scalar(
        select(BackgroundJob).where(BackgroundJob.kind == kind, BackgroundJob.status.in_(ACTIVE))
    )


def enqueue(
    session: Session,
    kind: str,
    payload: dict | None = None,
    *,
    requested_by: int | None = None,
    max_attempts: int = 3,
) -> BackgroundJob:
    """Add a queued job (flushed, not committed). ``AlreadyQueued`` when one of this kind
    is queued or running; the unique index settles a race between two requests (the
    session is then rolled back)."""
    if active(session, kind) is not None:
        raise AlreadyQueued(kind)
    job = BackgroundJob(
        kind=kind,
        status="queued",
        payload=payload or {},
        requested_by=requested_by,
        max_attempts=max_attempts,
        created_at=clock.now(),
    )
    session.add(job)
    try:
        session.flush()
    except IntegrityError as exc:  # another request enqueued one in between
        session.rollback()
        raise AlreadyQueued(kind) from exc
    return job


def _claimable(now: datetime):
    return or_(
        BackgroundJob.status == "queued",
        and_(BackgroundJob.status == "running", BackgroundJob.lease_until < now),
    )


def fail_exhausted(session: Session, now: datetime) -> int:
    """Expired leases of jobs claimed ``max_attempts`` times: failed for good. Commits."""
    result = session.execute(
        update(BackgroundJob)
        .where(
            BackgroundJob.status == "running",
            BackgroundJob.lease_until < now,
            BackgroundJob.attempts >= BackgroundJob.max_attempts,
        )
        .values(
            status="failed",
            finished_at=now,
            claimed_by=None,
            note="the worker stopped before the job finished, too many times",
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount or 0


def claim(session: Session, token: str, now: datetime, lease_seconds: int) -> int | None:
    """Claim the oldest due job for ``token``: its id, or None. Commits."""
    fail_exhausted(session, now)
    values = {
        "status": "running",
        "claimed_by": token,
        "lease_until": now + timedelta(seconds=lease_seconds),
        "attempts": BackgroundJob.attempts + 1,
        "started_at": now,
    }
    pick = select(BackgroundJob.id).where(_claimable(now)).order_by(BackgroundJob.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        job_id = session.scalar(pick.with_for_update(skip_locked=True))
        if job_id is not None:
            session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(values))
    else:
        # A guarded update: the condition is repeated, so a row another worker claimed
        # in between is left alone (and this worker claims nothing this time).
        job_id = session.scalar(pick)
        if job_id is not None:
            won = session.execute(
                update(BackgroundJob)
                .where(BackgroundJob.id == job_id, _claimable(now))
                .values(values)
                .execution_options(synchronize_session=False)
            )
            job_id = job_id if won.rowcount == 1 else None
    session.commit()
    return job_id


def _guard(job_id: int, token: str):
    return and_(
        BackgroundJob.id == job_id,
        BackgroundJob.status == "running",
        BackgroundJob.claimed_by == token,
    )


def renew(session: Session, job_id: int, token: str, now: datetime, lease_seconds: int) -> bool:
    """Extend this claim's lease; False if the claim was lost. Commits."""
    result = session.execute(
        update(BackgroundJob)
        .where(_guard(job_id, token))
        .values(lease_until=now + timedelta(seconds=lease_seconds))
    )
    session.commit()
    return bool(result.rowcount)


def finish(
    session: Session,
    job_id: int,
    token: str,
    status: str,
    now: datetime,
    result: dict | None = None,
    note: str | None = None,
) -> bool:
    """Record the outcome of this claim (done or failed); False if the claim was lost."""
    outcome = session.execute(
        update(BackgroundJob)
        .where(_guard(job_id, token))
        .values(
            status=status,
            result=result,
            note=note,
            finished_at=now,
            claimed_by=None,
            lease_until=None,
        )
    )
    session.commit()
    return bool(outcome.rowcount)


class _LeaseKeeper(threading.Thread):
    """Renews a claim's lease every third of its length while the handler runs."""

    def __init__(self, factory, job_id: int, token: str, lease_seconds: int):
        super().__init__(name=f"lease-{job_id}", daemon=True)
        self.factory, self.job_id, self.token = factory, job_id, token
        self.lease_seconds = lease_seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(max(1.0, self.lease_seconds / 3)):
            session = self.factory()
            try:
                if not renew(session, self.job_id, self.token, clock.now(), self.lease_seconds):
                    return
            except Exception:  # a database hiccup: try again at the next tick
                log.exception("renewing the lease of job %s failed", self.job_id)
                session.rollback()
            finally:
                session.close()


def run_one(app: Flask, token: str | None = None, lease_seconds: int | None = None) -> int | None:
    """Claim and run one due job; its id, or None when nothing is due."""
    token = token or worker_name()
    lease = int(lease_seconds or app.config["JOB_LEASE_SECONDS"])
    factory = app.extensions["db_sessionmaker"]
    session = factory()
    try:
        job_id = claim(session, token, clock.now(), lease)
        if job_id is None:
            return None
        job = session.get(BackgroundJob, job_id)
        kind, payload = job.kind, dict(job.payload or {})
    finally:
        session.close()
    keeper = _LeaseKeeper(factory, job_id, token, lease)
    keeper.start()
    status, result, note = "done", None, None
    try:
        handler = handler_for(kind)
        if handler is None:
            raise LookupError(f"no handler for job kind {kind!r}")
        result = handler(JobContext(app, job_id, payload))
    except Exception as exc:  # recorded on the job for the console
        log.exception("job %s (%s) failed", job_id, kind)
        status, note = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        keeper.stopped.set()
    session = factory()
    try:
        if not finish(session, job_id, token, status, clock.now(), result, note):
            log.warning("job %s finished after its lease was lost", job_id)
    finally:
        session.close()
    return job_id


def run_due(app: Flask, most: int = 10) -> list[int]:
    """Run due jobs one after another (at most ``most``); the ids run."""
    done: list[int] = []
    while len(done) < most:
        job_id = run_one(app)
        if job_id is None:
            break
        done.append(job_id)
    return done


def recent(session: Session, kind: str | None = None, limit: int = 10) -> list[BackgroundJob]:
    query = select(BackgroundJob).order_by(BackgroundJob.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(BackgroundJob.kind == kind)
    return list(session.scalars(query))


__all__ = [
    "AlreadyQueued",
    "JobContext",
    "claim",
    "enqueue",
    "finish",
    "recent",
    "register_handler",
    "renew",
    "run_due",
    "run_one",
]
