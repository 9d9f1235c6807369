"""Model versions: comparing a trained model with the active one, activating a version and
listing them (the admin console and the CLI use these)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from recommender.dataset import Interactions
from recommender.evaluate import (
    ground_truth,
    model_scorer,
    rank_metrics,
    summarise,
)
from recommender.model import ArtefactError
from recommender.report import full_report, recommender_scorer
from recommender.selection import Choice, SelectionConfig
from webapp.recommend import model_store
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)


K = 10  # the cut-off of the ranking metrics


# ---------------------------------------------------------------------- comparison
BASIS_WORDS = {
    "same_holdout": "the active model was scored on this hold-out",
    "refit": "the active version's settings were retrained on the same training data and "
    "scored on this hold-out",
    "same_settings": "the active version uses the same settings, so retrained on the same "
    "data it ranks the same",
    "recorded": "the active version's own hold-out figure (it could not be scored on this one)",
}


@dataclass(frozen=True)
class Verdict:
    """Whether to activate, and why. ``code``: ``first`` (nothing active), ``no_figure``,
    ``not_worse`` or ``worse``; ``basis`` a key of ``BASIS_WORDS``."""

    activate: bool
    code: str
    new: float
    old: float | None = None
    basis: str | None = None
    active_version: str | None = None

    @property
    def note(self) -> str:
        v, basis = self.active_version, BASIS_WORDS.get(self.basis or "", "")
        if self.code == "first":
            return "activated: no model was active"
        if self.code == "no_figure":
            return f"activated: version {v} has no hold-out figure to compare with"
        if self.code == "not_worse":
            return (
                f"activated: it ranks the services people went on to use at least as high as "
                f"version {v} does (ranking quality {self.new:.4f} vs {self.old:.4f}; {basis})"
            )
        return (
            f"not activated: it ranks the services people went on to use lower than the active "
            f"version {v} does (ranking quality {self.new:.4f} vs {self.old:.4f}; {basis})"
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "note": self.note}


def _served_ndcg(old, train, test, data) -> float | None:
    ground = ground_truth(train, test, old.items)
    if not len(ground.users):
        return None
    if old.selection:
        scorer = recommender_scorer(old, train, data.user_features)
    else:
        scorer = model_scorer(old, data.user_features)
    return summarise(rank_metrics(scorer, ground, K))["ndcg_at_k"]


def compare(
    session: Session,
    new_ndcg: float,
    train: Interactions,
    test: Interactions,
    data,
    holdout_start: float,
    tolerance: float,
    choice: Choice | None = None,
    cfg: SelectionConfig | None = None,
) -> Verdict:
    """The new model (NDCG@10 ``new_ndcg`` on ``test``) against the active version, on the
    same hold-out: the active artefact when its data ends before the hold-out, else its
    settings refitted on ``train``; its recorded figure only when neither is possible."""
    active = session.scalar(
        select(ModelVersion).where(ModelVersion.active).order_by(ModelVersion.id.desc()).limit(1)
    )
    if active is None:
        return Verdict(True, "first", new_ndcg)
    meta = active.metadata_ or {}
    old_ndcg: float | None = None
    basis = "recorded"
    cutoff = meta.get("data_cutoff")
    try:
        if cutoff is not None and cutoff <= holdout_start:
            old_ndcg = _served_ndcg(model_store.load(active.path), train, test, data)
            basis = "same_holdout"
        elif meta.get("choice") and choice is not None:
            old_choice = Choice.from_dict(meta["choice"])
            if old_choice == choice:
                old_ndcg, basis = new_ndcg, "same_settings"
            else:
                report, _m, _p = full_report(
                    train, test, data.user_features, data.item_features, items=data.items,
                    cfg=cfg, peers=False, choice=old_choice,
                )  # fmt: skip
                old_ndcg, basis = float(report["model"]["ndcg_at_k"]), "refit"
    except (ArtefactError, OSError, ValueError, KeyError):
        log.warning("cannot evaluate the active model %s on the hold-out", active.version)
        old_ndcg, basis = None, "recorded"
    if old_ndcg is None:
        old_ndcg = (active.metrics or {}).get("ndcg_at_k")
        basis = "recorded"
    if old_ndcg is None:
        return Verdict(True, "no_figure", new_ndcg, None, None, active.version)
    ok = new_ndcg + 1e-12 >= float(old_ndcg) - tolerance
    code = "not_worse" if ok else "worse"
    return Verdict(ok, code, round(new_ndcg, 5), round(float(old_ndcg), 5), basis, active.version)


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
