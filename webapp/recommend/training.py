"""Training the recommender on the stored interactions, and activating a better model.

``train_and_maybe_activate(app_or_session_factory, today=None, now=None)`` is the one
entry point (``flask recommender train``, the nightly scheduler job, the demo set-up):

1. creates a ``ModelVersion`` row (status ``training``; ``progress`` 0–100 is updated in
   its own short transactions so a console can show it while training runs);
2. reads the interactions (impressions left out) of the accounts that may train the
   model — the ``training_data`` consent given and ``personalized_recommendations`` not
   withdrawn — and their features (tags from profile, household with the
   ``household_data`` consent, life stages, enterprise facts; tags the user switched off
   left out), plus the catalog's item features;
3. chooses the model's settings on validation data carved from the training part
   (``recommender.selection``: feature sets × learning rates with early stopping, EASE's
   λ and blend weight, the cold-user mix and, with the users' life-cycle signals as of a cut
   date, the blend weights of users without history, chosen on users new at that date) —
   on a sample of ``REC_SELECT_SAMPLE`` users, at
   most once every ``REC_SELECT_DAYS`` days (weekly); the nights in between reuse the
   latest choice (``REC_SELECT``: ``weekly``, ``always`` or ``never``);
4. evaluates the served model (LightFM + EASE for known users, the cold mix for others)
   on a time-based hold-out (the latest 20 % of events) against the baselines with
   ``recommender.report.full_report``, then refits on all events and saves the artefact
   (choice, validation curves and times included) under ``MODEL_DIR/<version>/``;
5. activates the new version only if it is not worse than the active one on the same
   hold-out (``model_versions.compare``): the active artefact is scored on it when its data
   ends before the hold-out, else the active version's settings are refitted on the same
   training part and scored. The reason is kept in words (``note``, and
   ``metadata_["activation"]`` for the console's translated sentence).

``app_or_session_factory`` is the Flask app (its ``MODEL_DIR`` and database are used) or
a SQLAlchemy session factory (then ``model_dir=`` or the current app's config). It returns
the ``ModelVersion`` row (detached). Failures are recorded (status ``failed``, ``note``)
and returned, not raised, so a scheduler keeps running.

Settings: ``REC_EPOCHS`` (12, used with ``REC_SELECT=never``), ``REC_MAX_EPOCHS`` (100, the
selection's largest epoch count), ``REC_SELECT`` (weekly), ``REC_SELECT_DAYS`` (7),
``REC_SELECT_SAMPLE`` (20000), ``REC_COMPONENTS`` (32), ``REC_THREADS`` (2), ``REC_SEED``
(42), ``REC_MIN_INTERACTIONS`` (50), ``REC_ACTIVATION_TOLERANCE`` (0.0), ``REC_TEST_FRACTION``
(0.2), ``REC_REFIT`` (true: the served model is refitted on all events after the hold-out
evaluation; false: the evaluated model is served, halving the training time).

Statuses: ``training`` → ``active`` (activated) | ``inactive`` (kept: worse, or replaced
by a newer active one) | ``skipped`` (not enough data) | ``failed`` (error in ``note``).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from recommender.dataset import FeatureTable, Interactions
from recommender.evaluate import split_time
from recommender.report import full_report
from recommender.selection import fit_with_choice
from recommender.synthetic import catalog_features
from webapp.catalog.models import Service
from webapp.core.clock import local_today
from webapp.core.clock import now as clock_now
from webapp.core.config import environment_settings
from webapp.core.db import transaction
from webapp.recommend import context as rec_context
from webapp.recommend import model_store, training_context
from webapp.recommend.interaction_models import Interaction
from webapp.recommend.model_choice import choose, selection_config
from webapp.recommend.model_versions import K, activate, compare, versions  # noqa: F401
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)

# The training settings and their defaults (defined once, in core.config.Settings).
TRAIN_DEFAULTS: dict[str, Any] = {
    name: default
    for name, default, _doc in environment_settings()
    if name.startswith("REC_")
    and not name.endswith("_CHECK_SECONDS")
    and name != "REC_POPULARITY_SECONDS"
}


class NotEnoughData(Exception):
    pass


def _resolve(app_or_session_factory, model_dir) -> tuple[Callable[[], Session], dict, Any]:
    """(session factory, settings, app or None)."""
    from flask import current_app, has_app_context

    target = app_or_session_factory
    if hasattr(target, "app_context") and hasattr(target, "extensions"):
        factory = target.extensions["db_sessionmaker"]
        config = dict(target.config)
        app = target
    elif isinstance(target, Session):
        factory = sessionmaker(bind=target.get_bind(), expire_on_commit=False)
        config = dict(current_app.config) if has_app_context() else {}
        app = None
    else:
        factory = target
        config = dict(current_app.config) if has_app_context() else {}
        app = None
    settings = {k: config.get(k, v) for k, v in TRAIN_DEFAULTS.items()}
    if model_dir is not None:
        settings["MODEL_DIR"] = Path(model_dir)
    elif config.get("MODEL_DIR") or config.get("INSTANCE_PATH"):
        settings["MODEL_DIR"] = model_store.model_dir(config)
    else:
        settings["MODEL_DIR"] = Path("instance") / "models"
    return factory, settings, app


def _progress(factory, version_id: int, progress: int, **values) -> None:
    log.info("model training: %d%% done", progress)
    with transaction(factory) as s:
        s.execute(
            update(ModelVersion)
            .where(ModelVersion.id == version_id)
            .values(progress=progress, **values)
        )


# ---------------------------------------------------------------------- data
class TrainingData(NamedTuple):
    interactions: Interactions
    user_features: FeatureTable
    item_features: FeatureTable
    items: list[str]
    lifecycle: FeatureTable  # user, current:EVENT | next:EVENT, strength
    excluded_accounts: int


def load_training_data(session: Session, today: date) -> TrainingData:
    """Interactions of the accounts that may train the model, and the features."""
    allowed = training_context.training_accounts(session)
    rows = session.execute(
        select(
            Interaction.account_id,
            Interaction.enterprise_id,
            Service.code,
            Interaction.kind,
            Interaction.created_at,
        )
        .join(Service, Service.id == Interaction.service_id)
        .where(Interaction.kind != "impression")
        .order_by(Interaction.id)
    ).all()
    kept = [r for r in rows if r[0] in allowed]
    excluded = len({r[0] for r in rows} - allowed)
    users = [rec_context.user_key(a, e) for a, e, *_ in kept]
    inter = Interactions.from_kinds(
        np.array(users, dtype=str),
        np.array([r[2] for r in kept], dtype=str),
        np.array([r[3] for r in kept], dtype=str),
        np.array([_ts(r[4]) for r in kept], dtype=np.float64),
    )
    contexts = training_context.training_contexts(
        session,
        today,
        {a for a, e, *_ in kept if e is None},
        {e for _a, e, *_ in kept if e is not None},
    )
    user_features = FeatureTable.from_mapping(
        {key: ctx.feature_keys() for key, ctx in contexts.items()}
    )
    index = rec_context.load_catalog(session)
    return TrainingData(
        inter,
        user_features,
        catalog_features(index.items),
        [i.code for i in index.items],
        training_context.lifecycle_table(contexts),
        excluded,
    )


def _ts(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


# ---------------------------------------------------------------------- entry point
def train_and_maybe_activate(
    app_or_session_factory,
    today: date | None = None,
    now: datetime | None = None,
    *,
    model_dir: str | Path | None = None,
    **overrides: Any,
) -> ModelVersion:
    """Train, evaluate against the baselines, store a version, activate it if not worse.

    ``overrides`` replace settings for this run (``REC_EPOCHS=3`` …). See the module
    docstring for the steps; the returned row is detached (read its fields freely).
    """
    factory, settings, app = _resolve(app_or_session_factory, model_dir)
    settings.update(overrides)
    ctx = app.app_context() if app is not None else None
    if ctx is not None:
        ctx.push()
    try:
        return _train(factory, settings, today or local_today(), now or clock_now())
    finally:
        if ctx is not None:
            ctx.pop()


def _train(factory, settings: dict, today: date, now: datetime) -> ModelVersion:
    started = time.perf_counter()
    version = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"
    path = model_store.artefact_path(Path(settings["MODEL_DIR"]), version)
    params = {
        "components": int(settings["REC_COMPONENTS"]),
        "epochs": int(settings["REC_EPOCHS"]),
        "threads": int(settings["REC_THREADS"]),
        "seed": int(settings["REC_SEED"]),
    }
    with transaction(factory) as s:
        row = ModelVersion(
            version=version,
            path=str(path),
            status="training",
            progress=0,
            created_at=now,
            metadata_={"params": params, "today": today.isoformat()},
        )
        s.add(row)
        s.flush()
        version_id = row.id
    try:
        with transaction(factory) as s:
            data = load_training_data(s, today)
            inter, user_features, item_feats, codes = data[:4]
            excluded = data.excluded_accounts
            rules = rec_context.current_rule_version(s)
            blend = rec_context.blend_params_from(rules.blend_params if rules else None)
        _progress(factory, version_id, 15)
        n_users = len(np.unique(inter.user_ids)) if len(inter) else 0
        if len(inter) < int(settings["REC_MIN_INTERACTIONS"]) or n_users < 2:
            raise NotEnoughData(
                f"not enough interactions to train: {len(inter)} from {n_users} users "
                f"(at least {settings['REC_MIN_INTERACTIONS']} needed)"
            )
        fraction = float(settings["REC_TEST_FRACTION"])
        holdout_start = float(np.quantile(inter.timestamps, 1.0 - fraction))
        train, test = split_time(inter, fraction)
        with transaction(factory) as s:
            choice, selection = choose(s, settings, today, train, data, blend)
        _progress(factory, version_id, 40)
        cfg = selection_config(settings)
        report, held_model, _ = full_report(
            train, test, user_features, item_feats, items=codes, cfg=cfg, blend=blend,
            lifecycle=data.lifecycle, peers=False, choice=choice,
        )  # fmt: skip
        _progress(factory, version_id, 70)
        refit_started = time.perf_counter()
        if settings["REC_REFIT"]:  # serve a model that has seen the latest events too
            model = fit_with_choice(inter, user_features, item_feats, codes, choice, cfg)
        else:
            model = held_model
        model.selection = {"choice": choice.as_dict(), "selection": selection}
        model.metrics = {"k": K, **report["model"]}
        refit_seconds = round(time.perf_counter() - refit_started, 2)
        _progress(factory, version_id, 85)
        model_store.save(model, Path(settings["MODEL_DIR"]), version)
        metadata = {
            "params": params,
            "today": today.isoformat(),
            "n_interactions": len(inter),
            "n_users": n_users,
            "n_items": len(codes),
            "n_train": report["n_train"],
            "n_test": report["n_test"],
            "n_evaluated_users": report["n_users"],
            "excluded_accounts": excluded,
            "data_cutoff": float((inter if settings["REC_REFIT"] else train).timestamps.max()),
            "refit": bool(settings["REC_REFIT"]),
            "holdout_start": holdout_start,
            "split": "time",
            "test_fraction": fraction,
            "k": K,
            "blended": report.get("blended", {}),
            "lightfm": report.get("lightfm", {}),
            "choice": choice.as_dict(),
            "selection": selection,
            "cold_start": report.get("cold_start", {}),
            "refit_seconds": refit_seconds,
            "seconds": round(time.perf_counter() - started, 2),
        }
        with transaction(factory) as s:
            verdict = compare(
                s,
                float(report["model"]["ndcg_at_k"]),
                train,
                test,
                data,
                holdout_start,
                float(settings["REC_ACTIVATION_TOLERANCE"]),
                choice,
                cfg,
            )
            ok, note = verdict.activate, verdict.note
            metadata["activation"] = verdict.as_dict()
            row = s.get(ModelVersion, version_id)
            row.metrics = {"k": K, **report["model"]}
            row.baselines = report.get("baselines", {})
            row.metadata_ = metadata
            row.progress = 100
            row.finished_at = clock_now()
            row.status = "inactive"
            if ok:
                activate(s, version_id, note)
            else:
                row.status = "inactive"
                row.note = note
        log.info("model %s: %s", version, note)
    except Exception as exc:  # recorded for the console, and the scheduler keeps running
        status = "skipped" if isinstance(exc, NotEnoughData) else "failed"
        if status == "failed":
            log.exception("training %s failed", version)
        with transaction(factory) as s:
            row = s.get(ModelVersion, version_id)
            row.status = status
            row.note = str(exc)[:2000]
            row.finished_at = clock_now()
            row.metadata_ = {
                **(row.metadata_ or {}),
                "seconds": round(time.perf_counter() - started, 2),
            }
        model_store.remove(path)
    with transaction(factory) as s:
        row = s.get(ModelVersion, version_id)
        s.expunge(row)
    return row
