import datetime as dt

import numpy as np

from recommender.synthetic import EPISODE_KINDS, synthetic_data, synthetic_items


def test_deterministic_by_seed(small_data):
    again = synthetic_data(small_data.items, n_users=600, n_interactions=12000, seed=2)
    assert np.array_equal(again.item_index, small_data.item_index)
    assert np.array_equal(again.timestamps, small_data.timestamps)
    assert [u.features for u in again.users] == [u.features for u in small_data.users]


def test_needs_follow_dated_life_events(small_data):
    d = small_data
    assert (d.episode >= 0).mean() > 0.3  # a good part of the use is inside need windows
    ev = {e for u in d.users for e, _ in u.events}
    assert {"school_enrolment", "retirement", "child_born"} <= ev
    # the users' features and signals change with the date they are taken on
    early, late = d.user_features(dt.date(2024, 3, 1)), d.user_features()
    assert set(zip(early.ids, early.features, strict=True)) != set(
        zip(late.ids, late.features, strict=True)
    )
    lc = d.lifecycle(dt.date(2025, 6, 1), horizon_days=120)
    feats = set(lc.features.tolist())
    assert any(f.startswith("next:") for f in feats) and any(
        f.startswith("current:") for f in feats
    )
    assert lc.weights.max() <= 1.0 and lc.weights.min() > 0.0


def test_child_turning_six_is_an_upcoming_education_need():
    items = synthetic_items(60, seed=1)
    d = synthetic_data(items, n_users=800, n_interactions=8000, seed=5)
    p = d.population
    k = int(np.flatnonzero(p.ep_kind == EPISODE_KINDS.index("school_enrolment"))[0])
    user, start = d.users[p.ep_user[k]].id, p.ep_start[k]
    before = d.population.today + dt.timedelta(days=int(start) - 30)
    lc = d.lifecycle(before, horizon_days=120)
    rows = {f for i, f in zip(lc.ids, lc.features, strict=True) if i == user}
    assert "next:education" in rows or "current:education" in rows
