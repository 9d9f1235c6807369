"""The model's settings for a training run: the weekly selection's choice, reused nightly.

``choose`` returns the latest recorded choice while it is younger than ``REC_SELECT_DAYS``
days (``REC_SELECT=weekly``, the default), otherwise runs ``recommender.selection.select``
on a sample of ``REC_SELECT_SAMPLE`` users of the training part and records the choice,
the validation curves and the time taken in the new version's metadata (and artefact).
``REC_SELECT=always`` selects on every run, ``never`` uses fixed settings (``REC_EPOCHS``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from recommender.blend import BlendParams
from recommender.dataset import FeatureTable, Interactions
from recommender.selection import Choice, SelectionConfig
from recommender.selection import select as select_settings
from webapp.recommend.model_versions import K
from webapp.recommend.models import ModelVersion
from webapp.recommend.training_context import lifecycle_as_of


def selection_config(settings: dict) -> SelectionConfig:
    top = max(1, int(settings["REC_MAX_EPOCHS"]))
    base = SelectionConfig()
    return SelectionConfig(
        checkpoints=tuple(c for c in base.checkpoints if c < top) + (top,),
        k=K,
        components=int(settings["REC_COMPONENTS"]),
        threads=int(settings["REC_THREADS"]),
        seed=int(settings["REC_SEED"]),
        user_sample=int(settings["REC_SELECT_SAMPLE"]),
    )


def choose(
    session: Session,
    settings: dict,
    today: date,
    train: Interactions,
    data,
    blend: BlendParams | None = None,
) -> tuple[Choice, dict]:
    """The settings to train with, and what to record about how they were chosen: the
    latest choice if it is recent enough (``REC_SELECT=weekly``), else a new selection
    (with the users' life-cycle signals as of the selection's cut date, so users without
    history get blend weights of their own, chosen on users new at that date with
    ``blend``'s normalisations)."""
    mode = str(settings["REC_SELECT"])
    if mode == "never":
        return Choice(epochs=int(settings["REC_EPOCHS"])), {"mode": "fixed"}
    if mode == "weekly":
        rows = session.scalars(
            select(ModelVersion).order_by(ModelVersion.id.desc()).limit(50)
        ).all()
        for row in rows:
            sel = (row.metadata_ or {}).get("selection") or {}
            if row.status in ("active", "inactive") and sel.get("selected_on"):
                age = (today - date.fromisoformat(sel["selected_on"])).days
                if 0 <= age < int(settings["REC_SELECT_DAYS"]):
                    return Choice.from_dict((row.metadata_ or {})["choice"]), {
                        **{k: v for k, v in sel.items() if k != "reused_from"},
                        "reused_from": row.version,
                    }
                break
    cfg = selection_config(settings)

    def lifecycle_at(ts: float, users) -> FeatureTable:
        return lifecycle_as_of(session, datetime.fromtimestamp(ts, UTC).date(), users)

    chosen = select_settings(
        train, data.user_features, data.item_features, data.items, cfg,
        lifecycle=lifecycle_at, blend=blend,
    )  # fmt: skip
    d = chosen.as_dict()
    return chosen.choice, {
        "selected_on": today.isoformat(),
        "reused_from": None,
        "seconds": chosen.seconds,
        "n_users": chosen.n_users,
        "validation": chosen.validation,
        "curves": d["curves"],
        "ease_curve": d["ease_curve"],
        "blend_curve": d["blend_curve"],
        "cold": d["cold"],
        "cold_blend": d["cold_blend"],
    }
