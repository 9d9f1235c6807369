"""Model versions: comparing a trained model with the active one, activating a version and
listing them (the admin console and the CLI use these)."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from recommender.dataset import FeatureTable, Interactions
from recommender.evaluate import (
    ground_truth,
    model_scorer,
    rank_metrics,
    summarise,
)
from recommender.model import ArtefactError
from webapp.recommend import model_store
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)


K = 10  # the cut-off of the ranking metrics


# ---------------------------------------------------------------------- comparison
def _compare(
    session: Session,
    new_ndcg: float,
    train: Interactions,
    test: Interactions,
    user_features: FeatureTable,
    holdout_start: float,
    tolerance: float,
) -> tuple[bool, str, ModelVersion | None]:
    active = session.scalar(
        select(ModelVersion).where(ModelVersion.active).order_by(ModelVersion.id.desc()).limit(1)
    )
    if active is None:
        return True, "activated: no model was active", None
    meta = active.metadata_ or {}
    old_ndcg: float | None = None
    basis = "its own hold-out"
    cutoff = meta.get("data_cutoff")
    if cutoff is not None and cutoff <= holdout_start:
        try:
            old = model_store.load(active.path)
            ground = ground_truth(train, test, old.items)
            if len(ground.users):
                old_ndcg = summarise(rank_metrics(model_scorer(old, user_features), ground, K))[
                    "ndcg_at_k"
                ]
                basis = "this hold-out"
        except (ArtefactError, OSError, ValueError):
            log.warning("cannot evaluate the active model %s on the hold-out", active.version)
    if old_ndcg is None:
        old_ndcg = (active.metrics or {}).get("ndcg_at_k")
    if old_ndcg is None:
        return True, f"activated: version {active.version} has no hold-out figure", active
    if new_ndcg + 1e-12 >= float(old_ndcg) - tolerance:
        return (
            True,
            f"activated: NDCG@{K} {new_ndcg:.4f} ≥ {float(old_ndcg):.4f} of version "
            f"{active.version} ({basis})",
            active,
        )
    return (
        False,
        f"not activated: NDCG@{K} {new_ndcg:.4f} is worse than {float(old_ndcg):.4f} of the "
        f"active version {active.version} ({basis})",
        active,
    )


def activate(session: Session, version_id: int, note: str | None = None) -> ModelVersion:
    """Make ``version_id`` the only active version (an admin's manual choice or a rollback)."""
    row = session.get(ModelVersion, version_id)
    if row is None or row.status not in ("active", "inactive"):
        raise ValueError("that model version cannot be activated")
    session.execute(
        update(ModelVersion)
        .where(ModelVersion.active, ModelVersion.id != version_id)
        .values(active=False, status="inactive")
    )
    row.active = True
    row.status = "active"
    if note:
        row.note = note
    return row


def versions(session: Session, limit: int = 20) -> list[ModelVersion]:
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc()).limit(limit)))
