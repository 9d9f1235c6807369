"""Tuning the blend weights on a validation split."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from recommender.blend import BlendParams, normalize
from recommender.dataset import FeatureTable, Interactions
from recommender.evaluate.baselines import (
    FeatureIndex,
    LifecycleIndex,
    model_scorer,
    segment_popularity_scorer,
)
from recommender.evaluate.metrics import ground_truth
from recommender.model import HybridModel

BLEND_GRID: dict[str, tuple[Any, ...]] = {
    "normalization": ("minmax", "rank", "zscore"),
    "w_life": (0.0, 0.2, 0.35, 0.5, 0.75),
    "w_life_next": (0.0, 0.1, 0.2, 0.35, 0.5),
    "w_popularity": (0.0, 0.1, 0.2, 0.4),
    "pop_normalization": ("minmax", "log"),
}


def tune_blend(
    model: HybridModel,
    train: Interactions,
    validation: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    lifecycle: FeatureTable | Mapping[str, FeatureTable] | None = None,
    k: int = 10,
    metric: str = "ndcg_at_k",
    grid: dict[str, Sequence[Any]] | None = None,
    max_users: int = 5000,
    seed: int = 0,
    segment_prefixes: Sequence[str] = ("age:", "region:"),
) -> tuple[BlendParams, list[dict[str, Any]]]:
    """Grid-search the blend weights on a validation split (never the test split).

    ``model`` is fitted on ``train``; ``validation`` holds the later (or held-out users')
    interactions; features and ``lifecycle`` describe the users as known when the
    validation period starts. Up to ``max_users`` validation users are sampled. Returns the
    best ``BlendParams`` (by ``metric``: ``ndcg_at_k`` or ``precision_at_k``) and every
    grid point with its precision and NDCG, best first; the raw model and the segment
    popularity are listed as ``{"baseline": ...}`` rows. ``lifecycle`` may map labels to
    alternative signal tables (e.g. horizons of upcoming events): each is tried, and every
    result names its ``lifecycle`` label.
    """
    grid = {**BLEND_GRID, **(grid or {})}
    ground = ground_truth(train, validation, model.items)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.permutation(len(ground.users))[:max_users])
    users = ground.users[pick]
    tr = ground.train[pick].toarray() > 0
    te = ground.test[pick].toarray() > 0
    fidx = FeatureIndex(user_features)
    tables = lifecycle if isinstance(lifecycle, Mapping) else {"": lifecycle}
    signals = {
        label: LifecycleIndex(table, fidx, item_features, model.items, train=train).matrices(users)
        for label, table in tables.items()
    }
    raw = model_scorer(model, user_features)(users)
    pop = segment_popularity_scorer(train, model.items, fidx, ("region:",))(users)
    seg = segment_popularity_scorer(train, model.items, fidx, segment_prefixes)(users)
    npos = te.sum(axis=1)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    idcg = np.array([discounts[: min(p, k)].sum() for p in npos])

    def measure(s: np.ndarray) -> dict[str, float]:
        s = np.where(tr, -np.inf, s)
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), axis=1), 1)
        hits = np.take_along_axis(te, top, 1)
        return {
            "precision_at_k": round(float((hits.sum(axis=1) / k).mean()), 5),
            "ndcg_at_k": round(float(((hits * discounts).sum(axis=1) / idcg).mean()), 5),
        }

    results: list[dict[str, Any]] = [
        {"baseline": "model", **measure(raw)},
        {"baseline": "segment_popularity", **measure(seg)},
    ]
    norm_model = {h: normalize(raw, h) for h in grid["normalization"]}
    norm_pop = {h: normalize(pop, h) for h in grid["pop_normalization"]}
    combos = [
        (label, h, ph, wl, wn)
        for label in signals
        for h in grid["normalization"]
        for ph in grid["pop_normalization"]
        for wl in grid["w_life"]
        for wn in grid["w_life_next"]
    ]
    for label, h, ph, wl, wn in combos:
        cur, nxt = signals[label]
        if wn == 0 and label != next(iter(signals)):
            continue  # the upcoming-event table does not matter without its weight
        base = norm_model[h] + wl * cur + wn * nxt
        for wp in grid["w_popularity"]:
            if wp == 0 and ph != grid["pop_normalization"][0]:
                continue
            s = base + wp * norm_pop[ph] if wp else base
            params = {
                "normalization": h,
                "pop_normalization": ph,
                "w_life": wl,
                "w_life_next": wn,
                "w_popularity": wp,
            }
            results.append({"params": params, "lifecycle": label, **measure(s)})
    tuned = [r for r in results if "params" in r]
    tuned.sort(key=lambda r: -r[metric])
    best = BlendParams(w_model=1.0, **tuned[0]["params"])
    return best, results[:2] + tuned
