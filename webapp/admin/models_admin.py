"""Model versions in the console: metrics beside baselines, training as a background job,
activation and roll-back. "Train now" queues a job (``recommend.enqueue_training``) that one
worker of the job table runs; the page shows the job and ``ModelVersion.progress`` as the
training writes it."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import recommend
from webapp.core import audit
from webapp.core.service_errors import NotFound, ServiceError
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)
METRIC_KEYS = ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage")
FINISHED = ("active", "inactive")


def list_versions(session: Session) -> list[ModelVersion]:
    return list(
        session.scalars(
            select(ModelVersion).order_by(ModelVersion.created_at.desc(), ModelVersion.id.desc())
        )
    )


def comparison(row: ModelVersion) -> list[dict]:
    """Per metric: the model's value and each baseline's, as rows for a table."""
    metrics = _flat(row.metrics)
    baselines = {
        name: _flat(vals) for name, vals in (row.baselines or {}).items() if isinstance(vals, dict)
    }
    out = []
    for key in METRIC_KEYS:
        if key not in metrics and not any(key in b for b in baselines.values()):
            continue
        out.append(
            {
                "metric": key,
                "model": metrics.get(key),
                "baselines": {n: b.get(key) for n, b in baselines.items()},
            }
        )
    return out


def _flat(d: Any) -> dict:
    if not isinstance(d, dict):
        return {}
    if "model" in d and isinstance(d["model"], dict):
        d = d["model"]
    return {k: v for k, v in d.items() if isinstance(v, (int, float))}


def active_version(session: Session) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.active.is_(True)))


def training_jobs(session: Session) -> list:
    """The latest training jobs, newest first (status, attempts, worker, outcome)."""
    return recommend.recent_training_jobs(session)


def is_training(jobs: list) -> bool:
    return any(j.status in ("queued", "running") for j in jobs)


def last_error(jobs: list) -> str | None:
    finished = [j for j in jobs if j.status in ("done", "failed")]
    return finished[0].note if finished and finished[0].status == "failed" else None


def start_training(session: Session, actor_id: int | None):
    """Queue a training job (one at a time); a worker of the job table runs it."""
    job = recommend.enqueue_training(session, requested_by=actor_id)
    audit.record(
        session, actor_id, "model.train", "background_job", str(job.id), None, {"queued": True}
    )
    return job


def get_version(session: Session, version: str) -> ModelVersion:
    row = session.scalar(select(ModelVersion).where(ModelVersion.version == version))
    if row is None:
        raise NotFound(_("No such model version."))
    return row


def activate(
    session: Session, actor_id: int | None, version: str, action: str = "model.activate"
) -> ModelVersion:
    row = get_version(session, version)
    if row.status not in FINISHED:
        raise ServiceError("not_ready", _("Only a finished model can be activated."), "version")
    before = active_version(session)
    try:
        recommend.activate(session, row.id, note=None)
    except ValueError as exc:
        raise ServiceError(
            "not_ready", _("Only a finished model can be activated."), "version"
        ) from exc
    session.flush()
    audit.record(
        session, actor_id, action, "model_version", version,
        {"active": before.version if before else None}, {"active": version},
    )  # fmt: skip
    _reload_serving()
    return row


def rollback(session: Session, actor_id: int | None) -> ModelVersion:
    """Activate the newest finished version older than the active one."""
    current = active_version(session)
    candidates = [
        v for v in list_versions(session)
        if v.status in FINISHED and not v.active and (current is None or v.created_at < current.created_at)
    ]  # fmt: skip
    if not candidates:
        raise ServiceError("no_previous", _("There is no earlier finished model to roll back to."))
    return activate(session, actor_id, candidates[0].version, "model.rollback")


def _reload_serving() -> None:
    recommend.reload_model()
