"""Recency-weighted history for EASE, and seasonal and recent popularity."""

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.dataset import IdMap, Interactions
from recommender.ease import EaseModel
from recommender.peers import history_matrix
from recommender.recency import (
    DAY,
    recency_history,
    recent_popularity,
    seasonal_popularity,
    window_popularity,
)

T0 = 1_700_000_000.0


def events():
    rng = np.random.default_rng(3)
    n = 400
    users = np.array([f"u{u}" for u in rng.integers(0, 40, n)])
    items = np.array([f"i{i}" for i in rng.integers(0, 15, n)])
    ts = T0 + rng.random(n) * 400 * DAY
    return Interactions(users, items, np.ones(n), ts)


def maps(inter):
    return IdMap(np.unique(inter.user_ids).tolist()), IdMap([f"i{j}" for j in range(15)])


def test_half_life_none_is_the_plain_binary_history_and_plain_ease():
    inter = events()
    users, items = maps(inter)
    plain = history_matrix(inter, users, items)
    none = recency_history(inter, users, items, None, None)
    assert (plain != none).nnz == 0
    ease = EaseModel(5.0).fit(plain)
    np.testing.assert_array_equal(ease.scores(none, weighted=True), ease.scores(plain))
    # without timestamps (e.g. Last.fm) any half-life leaves the history binary
    untimed = Interactions(inter.user_ids, inter.item_ids, inter.weights)
    assert (recency_history(untimed, users, items, None, 7.0) != plain).nnz == 0


def test_recency_weights_halve_every_half_life_from_the_last_use():
    inter = Interactions(
        np.array(["a", "a", "a", "b"]),
        np.array(["x", "x", "y", "y"]),
        np.ones(4),
        np.array([T0, T0 + 20 * DAY, T0 + 10 * DAY, T0 + 40 * DAY]),
    )
    users, items = IdMap(["a", "b"]), IdMap(["x", "y", "z"])
    h = recency_history(inter, users, items, T0 + 30 * DAY, 10.0).toarray()
    # a used x last 10 days before, y 20 days before; b's use lies after the date: left out
    np.testing.assert_allclose(h, [[0.5, 0.25, 0.0], [0.0, 0.0, 0.0]], rtol=1e-6)
    with pytest.raises(ValueError):
        recency_history(inter, users, items, T0, 0.0)


def test_weighted_ease_scores_use_the_weights():
    x = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=float))
    ease = EaseModel(1.0).fit(x)
    w = sp.csr_matrix(np.array([[0.5, 0.25, 0.0]]))
    np.testing.assert_allclose(
        ease.scores(w, weighted=True)[0], np.array([0.5, 0.25, 0.0]) @ ease.weights, rtol=1e-6
    )


def test_seasonal_and_recent_popularity_count_distinct_users_in_their_window():
    year = 365 * DAY
    inter = Interactions(
        np.array(["a", "a", "b", "c", "d"]),
        np.array(["x", "x", "x", "y", "y"]),
        np.ones(5),
        np.array([T0 + 5 * DAY, T0 + 6 * DAY, T0 + 50 * DAY, T0 + year - 3 * DAY, T0 + 2]),
    )
    items = IdMap(["x", "y"])
    as_of = T0 + year
    # the 30 days after as_of, a year earlier: a's two uses of x count once; d's y at T0+2 s
    assert seasonal_popularity(inter, items, as_of, 30).tolist() == [1.0, 1.0]
    assert seasonal_popularity(inter, items, as_of, 60).tolist() == [2.0, 1.0]
    assert recent_popularity(inter, items, as_of, 7).tolist() == [0.0, 1.0]
    assert window_popularity(inter, items, as_of, as_of + year).tolist() == [0.0, 0.0]
