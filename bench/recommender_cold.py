"""People new at the cut: the time split's test users scored as if they signed up on the
cut date — none of their earlier use known to the scores (it stays out of the ranking and
of the answer, as in the time split), their features and life-cycle signals as of the cut.
This is the situation the cold path serves (a person who signs up today), which the user
split does not show: there a held-out user's "future" is their whole two-year history,
while the life-cycle signals describe one day."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from recommender.blend import BlendParams, blend_scores
from recommender.cold import ColdMix, cold_scores
from recommender.cold_choice import cold_parts
from recommender.dataset import FeatureTable, Interactions
from recommender.evaluate import (
    FeatureIndex,
    LifecycleIndex,
    ground_truth,
    rank_metrics,
    segment_popularity_scorer,
    summarise,
)
from recommender.model import HybridModel
from recommender.selection import Choice


def new_at_cut_rows(
    model: HybridModel,
    choice: Choice,
    train: Interactions,
    test: Interactions,
    user_features: FeatureTable,
    item_features: FeatureTable,
    lifecycle: FeatureTable,
    blend: BlendParams,
    prefixes: tuple[str, ...] = ("age:", "region:"),
) -> dict[str, dict[str, float]]:
    """Summaries (P/R/NDCG@10, AUC, coverage) of what a new person would be served — the
    cold mix with the cold users' blend weights — beside the cold mix alone, the product's
    blend weights on the cold mix, segment popularity and the life-cycle rules."""
    ground = ground_truth(train, test, model.items)
    fidx = FeatureIndex(user_features)
    parts = cold_parts(model, train, user_features, model.items, prefixes)
    mix = ColdMix(choice.cold_weights)
    life = LifecycleIndex(lifecycle, fidx, item_features, model.items, train=train)
    region = segment_popularity_scorer(train, model.items, fidx, ("region:",))
    cold = choice.cold_blend_weights
    served = blend if cold is None else cold.apply(blend)

    def blended(params: BlendParams) -> Callable[[np.ndarray], np.ndarray]:
        def score(users: np.ndarray) -> np.ndarray:
            cur, nxt = life.matrices(users)
            return blend_scores(cold_scores(mix, parts(users)), cur, region(users), params, nxt)

        return score

    scorers = {
        "served to a new person (cold mix + cold blend)": blended(served),
        "cold mix + the product's blend weights": blended(blend),
        "cold mix alone": lambda users: cold_scores(mix, parts(users)),
        "segment popularity": segment_popularity_scorer(train, model.items, fidx, prefixes),
    }
    return {name: summarise(rank_metrics(fn, ground, 10)) for name, fn in scorers.items()}
