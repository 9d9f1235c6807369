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
from .cold_tables import ColdTables
from .dataset import FeatureTable, IdMap, Interactions
from .evaluate import (
    FeatureIndex,
    Ground,
    LifecycleIndex,
    ground_truth,
    segment_popularity_scorer,
)
from .model import HybridModel


def cold_parts(
    model: HybridModel,
    train: Interactions,
    user_features: FeatureTable | None,
    items: IdMap,
    segment_prefixes: tuple[str, ...],
) -> Callable[[np.ndarray], dict[str, np.ndarray]]:
    """A function: user ids -> the cold parts' raw scores (by part name), from the counts
    serving keeps (``ColdTables``)."""
    tables = ColdTables.build(train, items, user_features, segment_prefixes)
    by_user = user_features.as_mapping() if user_features is not None else {}

    def parts(users: np.ndarray) -> dict[str, np.ndarray]:
        rows = model.score_rows(model.encode_users(users.tolist(), user_features))
        return tables.parts_for([by_user.get(u, []) for u in users.tolist()], rows)

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
    blend_fold: Ground | None = None,
) -> tuple[ColdMix, ColdBlend | None]:
    """The cold mix, and with ``lifecycle`` its blend weights (None without it).

    The blend weights are chosen on ``blend_fold`` when given — users new at a cut date,
    whose later use is the answer and whose ``lifecycle`` signals are as of that date —
    else on ``cold`` (users held out whole, whose "future" is their whole history while
    the signals describe one day: a fold that undervalues the life-cycle signals)."""
    if not len(cold.users):
        return ColdMix(), None
    make_parts = cold_parts(model, fit, user_features, items, segment_prefixes)
    parts = make_parts(cold.users)
    mix = choose_cold_mix(parts, cold.train, cold.test, k)
    if lifecycle is None:
        return mix, None
    fold = blend_fold if blend_fold is not None and len(blend_fold.users) else cold
    if fold is not cold:
        parts = make_parts(fold.users)
    fidx = FeatureIndex(user_features)
    life = LifecycleIndex(lifecycle, fidx, item_features, items, train=fit)
    cur, nxt = life.matrices(fold.users)
    region = segment_popularity_scorer(fit, items, fidx, ("region:",))(fold.users)
    blend = choose_cold_blend(
        cold_scores(mix, parts), cur, nxt, region, fold.train, fold.test,
        params or BlendParams(), k,
    )  # fmt: skip
    return mix, blend


LifecycleAt = Callable[[float, np.ndarray], FeatureTable]
"""The users' life-cycle signals as of a time: (timestamp, user ids) -> ``current:EVENT`` /
``next:EVENT`` rows."""


def new_at_cut(
    train: Interactions, users: np.ndarray, items: IdMap, fraction: float
) -> tuple[Ground, float] | None:
    """The fold of users new at a cut date: the cut leaves the latest ``fraction`` of
    ``train``'s time after it; for each of ``users`` the use after the cut is the answer
    and what they used before is out of the ranking (as in a time split), while nothing of
    it is known to the scores. None when the interactions carry no time."""
    ts = train.timestamps
    if ts is None or not len(ts) or not fraction or float(ts.max()) <= float(ts.min()):
        return None
    cut = float(np.quantile(ts, 1.0 - fraction))
    mine = np.isin(train.user_ids, users)
    before, after = train.subset(mine & (ts <= cut)), train.subset(mine & (ts > cut))
    return ground_truth(before, after, items), cut
