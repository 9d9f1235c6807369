"""The job table: exactly one worker claims a job; an expired lease is claimed again; a
training version left in `training` by a stopped worker is failed and the job retried."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from webapp.core import clock


def _job(app, kind="probe", max_attempts=3):
    from webapp.core import queue
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        return queue.enqueue(session, kind, {"n": 1}, max_attempts=max_attempts).id


def _claim(app, token, now, lease=60):
    from webapp.core import queue
    from webapp.core.db import db

    with app.app_context():
        session = db.new_session()
        try:
            return queue.claim(session, token, now, lease)
        finally:
            session.close()


def _row(app, job_id):
    from webapp.core.db import db
    from webapp.models import BackgroundJob

    with app.app_context():
        session = db.new_session()
        try:
            row = session.get(BackgroundJob, job_id)
            session.expunge(row)
            return row
        finally:
            session.close()


def test_one_job_of_a_kind_at_a_time(app):
    import pytest

    from webapp.core import queue
    from webapp.core.db import db

    _job(app)
    with app.app_context(), db.transaction() as session, pytest.raises(queue.AlreadyQueued):
        queue.enqueue(session, "probe")


def test_only_one_worker_claims_a_job(app):
    job_id = _job(app)
    now = clock.now()
    assert _claim(app, "worker-a", now) == job_id
    assert _claim(app, "worker-b", now) is None
    row = _row(app, job_id)
    assert (row.status, row.claimed_by, row.attempts) == ("running", "worker-a", 1)


def test_an_expired_lease_is_claimed_again_then_failed_after_max_attempts(app):
    from webapp.core import queue
    from webapp.core.db import db

    job_id = _job(app, max_attempts=2)
    now = clock.now()
    assert _claim(app, "crashed", now, lease=60) == job_id
    # before the lease ends nobody else gets it; after it, another worker does
    assert _claim(app, "other", now + timedelta(seconds=30)) is None
    assert _claim(app, "other", now + timedelta(seconds=61)) == job_id
    assert _row(app, job_id).attempts == 2
    # the first worker's late finish is refused: its claim is gone
    with app.app_context():
        session = db.new_session()
        assert not queue.finish(session, job_id, "crashed", "done", now)
        session.close()
    # the second worker crashes too: claimed twice already, the job fails for good
    assert _claim(app, "third", now + timedelta(seconds=200)) is None
    row = _row(app, job_id)
    assert row.status == "failed" and "too many times" in row.note


def test_a_failing_handler_fails_the_job_with_its_message(app):
    from webapp.core import queue

    def boom(job):
        raise ValueError("bad input")

    queue.register_handler("probe_fail", boom)
    job_id = _job(app, kind="probe_fail")
    assert queue.run_one(app) == job_id
    row = _row(app, job_id)
    assert row.status == "failed" and "bad input" in row.note and row.claimed_by is None


def test_a_version_stuck_in_training_is_failed_and_the_job_retried(app, monkeypatch):
    from webapp.core import queue
    from webapp.core.db import db
    from webapp.models import BackgroundJob, ModelVersion
    from webapp.recommend import training, training_jobs

    with app.app_context(), db.transaction() as session:
        job_id = training_jobs.enqueue_training(session).id
        session.add(ModelVersion(version="v-crash", path="/tmp/v-crash", status="training"))
    # a worker claimed it and died mid-training: its lease runs out
    assert _claim(app, "dead-worker", clock.now() - timedelta(hours=1), lease=60) == job_id

    def fake_train(app_, today=None, **_kw):
        return ModelVersion(version="v-retry", status="inactive")

    monkeypatch.setattr(training, "train_and_maybe_activate", fake_train)
    assert queue.run_one(app, token="live-worker") == job_id
    with app.app_context():
        session = db.new_session()
        stuck = session.scalar(select(ModelVersion).where(ModelVersion.version == "v-crash"))
        job = session.get(BackgroundJob, job_id)
        assert stuck.status == "failed" and "interrupted" in stuck.note
        assert (job.status, job.attempts) == ("done", 2)
        assert job.result == {"version": "v-retry", "status": "inactive", "interrupted": 1}
        session.close()


def test_the_lease_is_renewed_while_the_handler_runs(app):
    from webapp.core import queue

    seen = {}
    release = threading.Event()

    def slow(job):
        release.wait(5)
        seen["lease"] = _row(app, job.job_id).lease_until
        return {}

    queue.register_handler("probe_slow", slow)
    job_id = _job(app, kind="probe_slow")
    start = clock.now()
    worker = threading.Thread(target=queue.run_one, args=(app, "w", 1))
    worker.start()
    threading.Timer(2.5, release.set).start()
    worker.join(10)
    assert _row(app, job_id).status == "done"
    # claimed with a 1 s lease, renewed past the first second while the handler ran
    assert seen["lease"] > start + timedelta(seconds=2)
