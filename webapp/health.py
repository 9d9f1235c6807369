"""Health of the parts: the database, the model, the scheduler heartbeat.

``health()`` returns a report and whether every part is up. A part that is down is
named in ``failing`` so an operator (or a load balancer's log) sees what broke:

    {"status": "unavailable", "failing": ["database"], "database": "unavailable", ...}

- database: ``SELECT 1`` on this worker's pool (``pool_pre_ping`` replaces dead
  connections, so the check recovers by itself when the database is back).
- model: the active model version in the database and whether this worker holds it.
  Loading is lazy: the check asks the recommendation service for the model, which
  loads it once per worker and keeps it. No trained model yet is not a failure (the
  page falls back to a non-personalised ranking); an active model whose artefact cannot
  be loaded is.
- scheduler: age of the ``scheduler`` heartbeat row written by the scheduler process.
  Older than ``SCHEDULER_MAX_AGE_SECONDS`` (default 300) or missing is a failure unless
  ``scope=web`` is asked for (what a load balancer should probe: a dead scheduler is no
  reason to take web servers out of rotation).
"""

from __future__ import annotations

import contextlib
import logging
import os

from flask import current_app
from sqlalchemy import select, text

from webapp.core.clock import now
from webapp.core.db import db
from webapp.core.models import Heartbeat
from webapp.recommend.models import ModelVersion
from webapp.recommend.recommendations import serving_state

log = logging.getLogger(__name__)

DEFAULT_SCHEDULER_MAX_AGE = 300


def _scheduler_max_age() -> int:
    value = current_app.config.get("SCHEDULER_MAX_AGE_SECONDS") or os.environ.get(
        "SCHEDULER_MAX_AGE_SECONDS"
    )
    return int(value) if value else DEFAULT_SCHEDULER_MAX_AGE


def _model_status(session) -> dict:
    """The active model version and whether this worker has it loaded (loading it lazily)."""
    active = session.scalar(
        select(ModelVersion).where(ModelVersion.active.is_(True)).order_by(ModelVersion.id.desc())
    )
    if active is None:
        return {"status": "absent", "version": None}
    try:
        loaded = serving_state().models.current(session)  # loads once per worker
    except Exception:  # a missing or corrupt artefact
        log.exception("model %s could not be loaded", active.version)
        loaded = None
    if loaded is None:
        return {"status": "unavailable", "version": active.version}
    report = {"status": "loaded", "version": loaded.version}
    if loaded.version != active.version:  # an activation not yet picked up by this worker
        report["active_version"] = active.version
    return report


def health(scope: str = "all") -> tuple[dict, bool]:
    """Check the parts; ``scope="web"`` leaves the scheduler out of the verdict."""
    report: dict = {}
    failing: list[str] = []
    session = db.session
    try:
        session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:
        log.error("health: database unavailable: %s", type(exc).__name__)
        with contextlib.suppress(Exception):  # the connection may be gone
            session.rollback()
        report["database"] = "unavailable"
        failing.append("database")

    if "database" in failing:
        report["model"] = {"status": "unknown", "version": None}
        report["scheduler"] = {"status": "unknown", "heartbeat_age_seconds": None}
    else:
        try:
            report["model"] = _model_status(session)
        except Exception:
            log.exception("health: model check failed")
            session.rollback()
            report["model"] = {"status": "unavailable", "version": None}
        if report["model"]["status"] == "unavailable":
            failing.append("model")

        beat = session.scalar(select(Heartbeat).where(Heartbeat.name == "scheduler"))
        max_age = _scheduler_max_age()
        if beat is None:
            report["scheduler"] = {"status": "missing", "heartbeat_age_seconds": None}
        else:
            age = max(0, int((now() - beat.beat_at).total_seconds()))
            report["scheduler"] = {
                "status": "ok" if age <= max_age else "stale",
                "heartbeat_age_seconds": age,
            }
        report["scheduler"]["max_age_seconds"] = max_age
        if scope != "web" and report["scheduler"]["status"] != "ok":
            failing.append("scheduler")
        session.rollback()  # read-only: end the transaction, return the connection

    report["failing"] = failing
    report["status"] = "ok" if not failing else "unavailable"
    return report, not failing
