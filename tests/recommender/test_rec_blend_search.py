"""The blend chosen on time-based validation folds (``evaluate.blend_search``)."""

import numpy as np

from recommender.blend import BlendParams
from recommender.evaluate.blend_search import BlendChoice, BlendInputs, fold_scores, search_blend

GRID = {
    "normalization": ("minmax", "rank"),
    "w_life": (0.0, 0.5, 1.0),
    "w_popularity": (0.0, 0.4),
    "half_life": (None, 30),
    "w_season": (0.0, 0.4),
}


def fold(seed, n_users=120, n_items=40):
    rng = np.random.default_rng(seed)
    need = rng.random((n_users, n_items)) > 0.8  # what the life-cycle signals know
    used = need & (rng.random((n_users, n_items)) > 0.3)
    noise = rng.random((n_users, n_items))
    return BlendInputs(
        seen=np.zeros((n_users, n_items), bool),
        used=used,
        lightfm=noise,
        ease={None: rng.random((n_users, n_items)), 30: rng.random((n_users, n_items))},
        life={120: (need.astype(np.float32), np.zeros((n_users, n_items), np.float32))},
        popularity=rng.random((n_users, n_items)),
        seasonal={60: rng.random(n_items)},
    )


def test_search_keeps_what_helps_on_validation_and_is_deterministic():
    folds = [fold(1), fold(2)]
    start = BlendChoice(BlendParams(w_life=0.0, w_popularity=0.0), 0.0, None, 120)
    chosen = search_blend(folds, start, GRID)
    assert chosen.params.w_life > 0  # the signal that carries the truth is used
    assert chosen.validation >= chosen.path[0][1]  # never below the starting point
    again = search_blend(folds, start, GRID)
    assert again == chosen and again.path == chosen.path
    assert search_blend(folds, start, {}).params == start.params  # no grid: just measured


def test_half_life_none_and_season_weight_zero_leave_the_scores_alone():
    f = fold(3)
    base = BlendChoice(BlendParams(), 0.5, None, 120)
    other = BlendChoice(BlendParams(), 0.5, None, 120, w_season=0.0, season_days=30)
    np.testing.assert_array_equal(fold_scores(f, base), fold_scores(f, other))
    assert not np.array_equal(
        fold_scores(f, base), fold_scores(f, BlendChoice(BlendParams(), 0.5, 30, 120))
    )
