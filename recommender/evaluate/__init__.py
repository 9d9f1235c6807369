"""Offline evaluation: splits, ranking metrics, baselines and per-segment breakdown.

Metrics are computed over the users who have test interactions; each user's training
items are excluded from the ranking (and test pairs already seen in training are dropped,
as they could never be recommended). Held-out users of a user split are scored from their
features alone (cold start).

- ``splits``: train/test splits (time, random, users)
- ``metrics``: ground truth and ranking metrics
- ``baselines``: popularity, segment popularity, life-cycle, model and blended scorers
- ``run``: ``run_evaluation``, the model against the baselines
- ``tuning``: ``tune_blend`` (a grid over the blend of a model's raw score)
- ``blend_search``: ``search_blend``, the blend of the served model chosen on time-based
  validation folds (with recency-weighted EASE input and seasonal popularity as levers)
"""

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
from recommender.evaluate.metrics import (
    METRICS,
    Ground,
    Scorer,
    ground_truth,
    rank_metrics,
    summarise,
)
from recommender.evaluate.run import (
    run_evaluation,
)
from recommender.evaluate.splits import (
    split,
    split_random,
    split_time,
    split_users,
    time_cutoff,
)
from recommender.evaluate.tuning import (
    tune_blend,
)

__all__ = [
    "FeatureIndex",
    "Ground",
    "LifecycleIndex",
    "METRICS",
    "Scorer",
    "blended_scorer",
    "ground_truth",
    "item_popularity",
    "lifecycle_scorer",
    "model_scorer",
    "popularity_scorer",
    "rank_metrics",
    "run_evaluation",
    "segment_popularity_scorer",
    "split",
    "split_random",
    "split_time",
    "split_users",
    "summarise",
    "time_cutoff",
    "tune_blend",
]
