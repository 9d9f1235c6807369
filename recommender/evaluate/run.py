"""One offline evaluation run: the model and the baselines on a split, with a per-segment
breakdown."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from recommender.blend import BlendParams
from recommender.dataset import FeatureTable, Interactions, build_dataset
from recommender.evaluate.baselines import (
    FeatureIndex,
    LifecycleIndex,
    blended_scorer,
    item_popularity,
    lifecycle_scorer,
    model_scorer,
    popularity_scorer,
    segment_popularity_scorer,
)
from recommender.evaluate.metrics import ground_truth, rank_metrics, summarise
from recommender.model import HybridModel


def run_evaluation(
    train: Interactions,
    test: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    items: Sequence[str] | None = None,
    k: int = 10,
    model: HybridModel | None = None,
    baselines: bool = True,
    blend: BlendParams | None = None,
    segment_prefixes: Sequence[str] = ("age:", "region:"),
    breakdown_prefix: str | None = None,
    lifecycle: FeatureTable | None = None,
    fit: bool = True,
) -> tuple[dict[str, Any], HybridModel]:
    """Fit ``model`` (default ``HybridModel()``) on ``train`` and measure it and the baselines on ``test``.

    ``user_features`` and ``lifecycle`` (rows ``user, current:EVENT|next:EVENT, strength``)
    describe the users as known when the test period starts; the blend and the
    life-cycle baseline use ``lifecycle`` (default: the ``stage:`` features as current
    events). With ``fit=False`` an already fitted ``model`` is evaluated as it is.
    Returns the report (``{"model", "baselines", "blended"?, "segments"?, "n_users",
    "n_items", "n_train", "n_test", "seconds"}``) and the fitted model.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    started = time.perf_counter()
    if items is None:
        items = np.union1d(np.unique(train.item_ids), np.unique(test.item_ids)).tolist()
        if item_features is not None:
            items = np.union1d(items, np.unique(item_features.ids)).tolist()
    train_users = np.unique(train.user_ids).tolist()
    if user_features is not None and len(user_features):
        # known users: those with training data; held-out users stay cold
        keep = np.isin(user_features.ids, np.asarray(train_users))
        train_uf = FeatureTable(
            user_features.ids[keep], user_features.features[keep], user_features.weights[keep]
        )
    else:
        train_uf = None
    model = model or HybridModel()
    if fit:
        model.fit(build_dataset(train, train_uf, item_features, users=train_users, items=items))
    ground = ground_truth(train, test, model.items)
    report: dict[str, Any] = {}
    per_model = rank_metrics(model_scorer(model, user_features), ground, k)
    report["model"] = summarise(per_model)
    fidx = FeatureIndex(user_features)
    life = LifecycleIndex(lifecycle, fidx, item_features, model.items, train=train)
    if baselines:
        glob = item_popularity(train, model.items)
        report["baselines"] = {
            "global_popularity": summarise(rank_metrics(popularity_scorer(glob), ground, k)),
            "segment_popularity": summarise(
                rank_metrics(
                    segment_popularity_scorer(train, model.items, fidx, segment_prefixes), ground, k
                )
            ),
            "lifecycle_rules": summarise(
                rank_metrics(lifecycle_scorer(life, glob=glob), ground, k)
            ),
        }
    if blend is not None:
        region_pop = segment_popularity_scorer(train, model.items, fidx, ("region:",))
        report["blended"] = summarise(
            rank_metrics(
                blended_scorer(model, user_features, fidx, item_features, region_pop, blend, life),
                ground,
                k,
            )
        )
    if breakdown_prefix:
        labels = np.array(
            [fidx.segment(u, (breakdown_prefix,)) or "(none)" for u in ground.users.tolist()]
        )
        report["segments"] = {
            lab: {**summarise(per_model, labels == lab), "n_users": int((labels == lab).sum())}
            for lab in np.unique(labels).tolist()
        }
    report.update(
        n_users=int(len(ground.users)),
        n_items=len(model.items),
        n_train=len(train),
        n_test=len(test),
        seconds=round(time.perf_counter() - started, 3),
    )
    model.metrics = {"k": k, **report["model"]}
    return report, model
