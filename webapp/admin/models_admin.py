"""Model versions in the console: metrics beside baselines, training in the background,
activation and roll-back. Training itself is ``recommend.train_and_maybe_activate`` (the
recommender area); here it runs in a thread so the request returns at once, and the page
shows ``ModelVersion.status``/``progress`` as the job writes them."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import recommend
from webapp.core import audit
from webapp.core.service_errors import Conflict, NotFound, ServiceError
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)
METRIC_KEYS = ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage")
FINISHED = ("active", "inactive")
_lock = threading.Lock()
_running: dict[str, Any] = {"thread": None, "error": None}


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


def is_training() -> bool:
    t = _running.get("thread")
    return bool(t is not None and t.is_alive())


def last_error() -> str | None:
    return _running.get("error")


def training_available() -> bool:
    return True


def start_training(app: Flask, session: Session, actor_id: int | None) -> None:
    """Start training in a background thread (one at a time per process)."""
    fn = recommend.train_and_maybe_activate
    with _lock:
        if is_training():
            raise Conflict("busy", _("A model is being trained already."))
        audit.record(
            session, actor_id, "model.train", "model_version", None, None, {"started": True}
        )
        session.commit()
        _running["error"] = None
        thread = threading.Thread(target=_run, args=(app, fn), name="admin-train", daemon=True)
        _running["thread"] = thread
        thread.start()


def _run(app: Flask, fn) -> None:
    from webapp.core.clock import local_today

    try:
        with app.app_context():
            today = local_today()
        row = fn(app, today=today)  # records failures on the row itself
        if getattr(row, "status", None) == "failed":
            _running["error"] = getattr(row, "note", None) or "failed"
    except Exception as exc:  # noqa: BLE001 - shown on the page, logged
        log.exception("background training failed")
        _running["error"] = f"{type(exc).__name__}: {exc}"


def wait_for_training(timeout: float = 120.0) -> None:
    """For tests and the CLI: block until the background job ends."""
    t = _running.get("thread")
    if t is not None:
        t.join(timeout)


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
