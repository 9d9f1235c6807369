"""Choosing what users without history get, on the selection's cold validation users: the
cold mix (``cold.choose_cold_mix``) and its blend weights (``cold.choose_cold_blend``).

The parts come from the model fitted on the selection's training part; life-cycle signals
(``current:EVENT``/``next:EVENT`` rows, as the product's training reads them) and regional
popularity are what serving blends on top.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .blend import BlendParams
from .cold import ColdBlend, ColdMix, choose_cold_blend, choose_cold_mix, cold_scores
from .dataset import FeatureTable, IdMap, Interactions
from .evaluate import (
    FeatureIndex,
    Ground,
    LifecycleIndex,
    item_popularity,
    segment_popularity_scorer,
)
from .model import HybridModel
from .peers import feature_popularity_scorer


def cold_parts(
    model: HybridModel,
    train: Interactions,
    user_features: FeatureTable | None,
    items: IdMap,
    segment_prefixes: tuple[str, ...],
) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    """A function: user ids -> the cold parts' raw scores (by part name)."""
    fidx = FeatureIndex(user_features)
    seg = segment_popularity_scorer(train, items, fidx, segment_prefixes)
    feat = feature_popularity_scorer(train, items, user_features)
    glob = item_popularity(train, items)

    def parts(users: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "segment": seg(users),
            "model": model.score_rows(model.encode_users(users.tolist(), user_features)),
            "features": feat(users),
            "global": np.broadcast_to(glob, (len(users), len(glob))),
        }

    return parts


def choose_cold(
    model: HybridModel,
    fit: Interactions,
    cold: Ground,
    user_features: FeatureTable | None,
    item_features: FeatureTable | None,
    items: IdMap,
    segment_prefixes: tuple[str, ...],
    k: int,
    lifecycle: FeatureTable | None = None,
    params: BlendParams | None = None,
) -> tuple[ColdMix, ColdBlend | None]:
    """The cold mix, and with ``lifecycle`` its blend weights (None without it)."""
    if not len(cold.users):
        return ColdMix(), None
    parts = cold_parts(model, fit, user_features, items, segment_prefixes)(cold.users)
    mix = choose_cold_mix(parts, cold.train, cold.test, k)
    if lifecycle is None:
        return mix, None
    fidx = FeatureIndex(user_features)
    life = LifecycleIndex(lifecycle, fidx, item_features, items, train=fit)
    cur, nxt = life.matrices(cold.users)
    region = segment_popularity_scorer(fit, items, fidx, ("region:",))(cold.users)
    blend = choose_cold_blend(
        cold_scores(mix, parts), cur, nxt, region, cold.train, cold.test,
        params or BlendParams(), k,
    )  # fmt: skip
    return mix, blend
