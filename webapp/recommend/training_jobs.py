"""Training as a background job: the admin's "train now" and the nightly run enqueue a
``train_model`` job; the job table's worker (``core.queue``) runs it in exactly one place.

The handler calls the training service (``training.train_and_maybe_activate``) unchanged.
Before it starts it fails any model version left in ``training`` — only one training job
runs at a time, so such a version belongs to a worker that stopped (a crash, a deploy);
its job is claimed again when its lease expires, and this run is the retry.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from webapp.core import clock, queue
from webapp.core.db import db
from webapp.core.service_errors import Conflict
from webapp.recommend import training
from webapp.recommend.models import ModelVersion

KIND = "train_model"


def enqueue_training(session: Session, requested_by: int | None = None):
    """Queue a training run (not committed); Conflict when one is queued or running."""
    try:
        return queue.enqueue(
            session,
            KIND,
            requested_by=requested_by,
            max_attempts=int(current_app.config["JOB_MAX_ATTEMPTS"]),
        )
    except queue.AlreadyQueued as exc:
        raise Conflict("busy", _("A model is being trained already.")) from exc


def fail_interrupted(session: Session) -> int:
    """Versions stuck in ``training`` (their worker stopped): failed, with a note."""
    result = session.execute(
        update(ModelVersion)
        .where(ModelVersion.status == "training")
        .values(
            status="failed",
            finished_at=clock.now(),
            note="interrupted: the worker stopped before training finished; retried",
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def run_training(job: queue.JobContext) -> dict:
    with job.app.app_context():
        with db.transaction() as session:
            interrupted = fail_interrupted(session)
        today = clock.local_today()
    row = training.train_and_maybe_activate(job.app, today=today)
    if row.status == "failed":
        raise RuntimeError(row.note or "training failed")
    return {"version": row.version, "status": row.status, "interrupted": interrupted}


def recent_training_jobs(session: Session, limit: int = 5):
    return queue.recent(session, KIND, limit)


queue.register_handler(KIND, run_training)
