"""Two workers claiming from the job table at once on PostgreSQL (FOR UPDATE SKIP LOCKED):
every job is claimed exactly once. Run with TEST_DATABASE_URL=postgresql://… ; skipped on
SQLite."""

from __future__ import annotations

import os
import threading

import pytest

from webapp.core import clock

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql://…",
    ),
]


def test_two_claimers_take_each_job_exactly_once(app):
    from webapp.core import queue
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        ids = {queue.enqueue(session, f"probe-{i}").id for i in range(40)}
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)
    now = clock.now()

    def worker(name: str) -> None:
        with app.app_context():
            session = db.new_session()
            try:
                start.wait()
                while (job_id := queue.claim(session, name, now, 300)) is not None:
                    claimed[name].append(job_id)
            finally:
                session.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    a, b = set(claimed["a"]), set(claimed["b"])
    assert not a & b  # nobody ran a job twice
    assert a | b == ids  # and every job ran
    assert len(claimed["a"]) + len(claimed["b"]) == len(ids)


def test_a_second_enqueue_of_a_running_kind_is_refused(app):
    from webapp.core import queue
    from webapp.core.db import db

    with app.app_context(), db.transaction() as session:
        job_id = queue.enqueue(session, "probe").id
    with app.app_context():
        session = db.new_session()
        assert queue.claim(session, "a", clock.now(), 300) == job_id
        with pytest.raises(queue.AlreadyQueued):
            queue.enqueue(session, "probe")
        session.close()
