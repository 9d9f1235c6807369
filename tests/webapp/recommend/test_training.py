"""Training on stored interactions: versions, metrics beside baselines, activation, consent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from webapp.core.clock import local_today, now

FAST = {"REC_EPOCHS": 3, "REC_COMPONENTS": 8, "REC_THREADS": 1}
METRICS = {"precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage"}


@pytest.fixture
def fast(app, monkeypatch):
    for key, value in FAST.items():
        monkeypatch.setitem(app.config, key, value)
    return app


def seed(app, n_users: int = 80):
    from webapp.core.db import db
    from webapp.demo.population import seed_population

    with app.app_context(), db.transaction() as session:
        return seed_population(session, local_today(), n_users=n_users, train=False)


def train(app, **overrides):
    from webapp.recommend.training import train_and_maybe_activate

    return train_and_maybe_activate(app, **overrides)


def test_training_stores_a_version_with_metrics_and_baselines_and_activates_it(fast):
    from webapp.core.db import db
    from webapp.models import ModelVersion

    seed(fast)
    row = train(fast)
    assert row.status == "active" and row.active, row.note
    assert row.progress == 100 and row.finished_at is not None
    assert set(row.metrics) >= METRICS
    assert set(row.baselines) == {
        "global_popularity",
        "segment_popularity",
        "lifecycle_rules",
        "feature_popularity",
    }
    for figures in row.baselines.values():
        assert set(figures) >= METRICS
    meta = row.metadata_
    assert meta["split"] == "time" and meta["n_test"] > 0 and meta["n_interactions"] > 0
    assert (Path(row.path) / "meta.json").exists() and (Path(row.path) / "model.npz").exists()
    with fast.app_context():
        stored = db.session.scalar(select(ModelVersion).where(ModelVersion.version == row.version))
        assert stored.active and stored.metrics == row.metrics


def test_a_worse_model_is_kept_inactive_with_the_reason(fast):
    from webapp.core.db import db
    from webapp.models import ModelVersion

    seed(fast)
    with fast.app_context(), db.transaction() as session:
        session.add(
            ModelVersion(
                version="excellent",
                path="/nonexistent",
                status="active",
                active=True,
                metrics={"ndcg_at_k": 0.99},
                metadata_={"data_cutoff": 9e12},
            )
        )
    row = train(fast)
    assert row.status == "inactive" and not row.active
    assert "not activated" in row.note and "excellent" in row.note
    with fast.app_context():
        active = db.session.scalars(select(ModelVersion).where(ModelVersion.active)).all()
        assert [v.version for v in active] == ["excellent"]


def test_a_better_model_replaces_the_active_one(fast):
    from webapp.core.db import db
    from webapp.models import ModelVersion

    seed(fast)
    first = train(fast)
    second = train(fast, REC_ACTIVATION_TOLERANCE=1.0)
    assert second.status == "active" and "activated" in second.note
    with fast.app_context():
        rows = {v.version: v for v in db.session.scalars(select(ModelVersion))}
        assert rows[second.version].active and not rows[first.version].active
        assert rows[first.version].status == "inactive"


def test_withdrawn_consent_keeps_a_users_interactions_out_of_training(fast, factories):
    from webapp.core.db import db
    from webapp.models import Interaction, Service
    from webapp.privacy.consents import set_consents
    from webapp.recommend.context import user_key
    from webapp.recommend.training import load_training_data

    stays, withdraws, never, unpersonal = (factories.citizen() for _ in range(4))
    with fast.app_context(), db.transaction() as session:
        service = session.scalar(select(Service).where(Service.code == "id_card_renewal"))
        for citizen in (stays, withdraws, never, unpersonal):
            session.add(Interaction(account_id=citizen.id, service_id=service.id, kind="view"))
        for citizen in (stays, withdraws, unpersonal):
            set_consents(session, citizen.id, {"training_data": True})
        set_consents(session, withdraws.id, {"training_data": False})
        set_consents(session, unpersonal.id, {"personalized_recommendations": False})
    with fast.app_context(), db.transaction() as session:
        inter, features, *_rest, excluded = load_training_data(session, local_today())
    users = set(np.unique(inter.user_ids).tolist())
    assert user_key(stays.id) in users
    for citizen in (withdraws, never, unpersonal):
        assert user_key(citizen.id) not in users
    assert user_key(withdraws.id) not in set(features.ids.tolist())
    assert excluded == 3


def test_switched_off_tags_are_not_training_features(fast, factories):
    from webapp.core.db import db
    from webapp.models import TagPreference
    from webapp.recommend.context import user_key
    from webapp.recommend.training_context import training_contexts

    citizen = factories.citizen()
    factories.member(citizen, "child", "小明", local_today() - timedelta(days=400))
    with fast.app_context(), db.transaction() as session:
        before = training_contexts(session, local_today(), [citizen.id], [])
        keys = before[user_key(citizen.id)].feature_keys()
        assert "gender:male" in keys and "child:0-6" in keys
        session.add(TagPreference(account_id=citizen.id, tag_key="gender:male", enabled=False))
        session.add(TagPreference(account_id=citizen.id, tag_key="child:0-6", enabled=False))
    with fast.app_context(), db.transaction() as session:
        after = training_contexts(session, local_today(), [citizen.id], [])
        keys = after[user_key(citizen.id)].feature_keys()
    assert "gender:male" not in keys and "child:0-6" not in keys
    assert any(k.startswith("age:") for k in keys)


def test_too_few_interactions_is_recorded_not_raised(fast):
    row = train(fast)
    assert row.status == "skipped" and not row.active
    assert "not enough interactions" in row.note
    assert not Path(row.path).exists()


def test_progress_is_visible_while_training(fast, monkeypatch):
    """A console polling the row sees the progress rise (read from another session)."""
    from webapp.core.db import db
    from webapp.models import ModelVersion
    from webapp.recommend import training

    seed(fast)
    seen: list[int] = []
    original = training._progress

    def spy(factory, version_id, progress, **values):
        original(factory, version_id, progress, **values)
        with fast.app_context():
            seen.append(db.session.get(ModelVersion, version_id).progress)

    monkeypatch.setattr(training, "_progress", spy)
    row = train(fast)
    assert seen == sorted(seen) and len(seen) >= 3 and 0 < seen[0] < 100
    assert row.progress == 100


def test_cli_train_and_status(fast):
    seed(fast)
    runner = fast.test_cli_runner()
    result = runner.invoke(args=["recommender", "status"])
    assert result.exit_code == 0 and "no model trained yet" in result.output
    result = runner.invoke(args=["recommender", "train", "--epochs", "2"])
    assert result.exit_code == 0, result.output
    assert ": active" in result.output and "segment_popularity" in result.output
    result = runner.invoke(args=["recommender", "status"])
    assert result.exit_code == 0 and "* " in result.output and "NDCG@10" in result.output
    result = runner.invoke(args=["recommender", "train", "--select", "always"])
    assert result.exit_code == 0, result.output
    assert "settings chosen now in" in result.output and "learning_rate" in result.output


def test_train_accepts_a_session_factory(fast):
    from webapp.recommend.training import train_and_maybe_activate

    seed(fast)
    with fast.app_context():
        factory = fast.extensions["db_sessionmaker"]
        row = train_and_maybe_activate(factory, local_today(), now())
    assert row.status == "active"


def test_the_active_model_is_measured_on_the_same_hold_out_when_it_can_be(fast):
    """An active model that has not seen the new hold-out is scored on it, side by side."""
    seed(fast)
    first = train(fast, REC_REFIT=False)
    assert first.metadata_["data_cutoff"] <= first.metadata_["holdout_start"]
    second = train(fast, REC_REFIT=False)
    # same data, same seed: the same figure, so "not worse" and activated
    assert second.status == "active", second.note
    assert "this hold-out" in second.note


def test_selection_is_recorded_and_reused_by_the_next_nightly_refit(fast):
    """The first run selects (choice, validation curves, time in the version and artefact);
    the next one within REC_SELECT_DAYS reuses that choice instead of selecting again."""
    from recommender.model import HybridModel

    seed(fast)
    first = train(fast)
    sel = first.metadata_["selection"]
    assert sel["selected_on"] and sel["reused_from"] is None and sel["seconds"] >= 0
    assert sel["curves"] and all(c["points"] for c in sel["curves"])
    assert first.metadata_["choice"]["epochs"] >= 1
    stored = HybridModel.load(first.path).selection
    assert stored["choice"] == first.metadata_["choice"]
    second = train(fast)
    assert second.metadata_["selection"]["reused_from"] == first.version
    assert second.metadata_["choice"] == first.metadata_["choice"]
    # same settings retrained on the same data rank the same: activated, and said so
    assert second.metadata_["activation"]["basis"] == "same_settings"
    assert second.status == "active" and "same settings" in second.note
    third = train(fast, REC_SELECT="always")
    assert third.metadata_["selection"]["reused_from"] is None


def test_other_settings_are_compared_by_refitting_the_active_ones_on_the_same_data(fast):
    seed(fast)
    first = train(fast, REC_SELECT="always")
    second = train(fast, REC_SELECT="never", REC_EPOCHS=1, REC_ACTIVATION_TOLERANCE=0.0)
    act = second.metadata_["activation"]
    assert act["basis"] == "refit" and act["active_version"] == first.version
    assert act["code"] in ("worse", "not_worse") and act["old"] is not None
    assert "retrained on the same training data" in second.note
    assert ("not activated" in second.note) == (act["code"] == "worse")
