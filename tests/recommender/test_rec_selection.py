"""Validation-driven training: the selection chooses settings from the data it is given."""

import numpy as np
import pytest

from recommender.dataset import FeatureTable, Interactions, build_dataset
from recommender.selection import FeatureSet, SelectionConfig, fit_with_choice, select

CFG = SelectionConfig(checkpoints=(3, 6, 12, 24), components=8, threads=1, seed=5,
                      ease_lambdas=(10.0, 50.0), ease_weights=(0.0, 1.0))  # fmt: skip


def blocks(n_users, n_items, n_groups, per_user, seed):
    """Users in groups, each group using its own block of items."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n_users)
    size = n_items // n_groups
    u, i = [], []
    for user in range(n_users):
        picks = rng.choice(size, per_user, replace=False) + group[user] * size
        u += [f"u{user}"] * per_user
        i += [f"i{p}" for p in picks]
    items = [f"i{j}" for j in range(n_items)]
    return Interactions(np.array(u), np.array(i), np.ones(len(u))), group, items


def noise_features(ids, n_feats, per, prefix, seed):
    rng = np.random.default_rng(seed)
    rows = [(x, f"{prefix}{f}") for x in ids for f in rng.choice(n_feats, per, replace=False)]
    return FeatureTable(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))


def test_metadata_noise_keeps_identity_dominant():
    """Dense history, metadata unrelated to use: identity must dominate."""
    inter, _, items = blocks(300, 60, 4, 12, seed=1)
    itf = noise_features(items, 30, 4, "noise:", seed=2)
    uf = noise_features([f"u{u}" for u in range(300)], 30, 4, "unoise:", seed=3)
    chosen = select(inter, uf, itf, items, CFG).choice
    fs = chosen.feature_set
    assert fs.item_weight in (None, 0.2) and fs.user_weight in (None, 0.2)


def test_metadata_signal_is_kept():
    """Sparse history over a large catalog, metadata naming each item's block: kept."""
    inter, _, items = blocks(400, 600, 6, 4, seed=4)
    itf = FeatureTable(np.array(items), np.array([f"block:{int(i[1:]) // 100}" for i in items]))
    chosen = select(inter, None, itf, items, CFG).choice
    assert chosen.feature_set.item_weight is not None


def test_fixed_seed_gives_identical_choice_and_scores():
    inter, _, items = blocks(150, 40, 4, 8, seed=6)
    itf = noise_features(items, 10, 2, "n:", seed=7)
    a, b = (select(inter, None, itf, items, CFG) for _ in range(2))
    assert a.choice == b.choice and a.curves == b.curves and a.validation == b.validation
    ma = fit_with_choice(inter, None, itf, items, a.choice, CFG, a)
    mb = fit_with_choice(inter, None, itf, items, b.choice, CFG, b)
    np.testing.assert_array_equal(ma.score_user("u1"), mb.score_user("u1"))
    np.testing.assert_array_equal(ma.ease.weights, mb.ease.weights)


def test_choice_curve_and_time_go_into_the_artefact(tmp_path):
    inter, _, items = blocks(120, 40, 4, 8, seed=8)
    sel = select(inter, None, None, items, CFG)
    model = fit_with_choice(inter, None, None, items, sel.choice, CFG, sel)
    from recommender.model import HybridModel

    loaded = HybridModel.load(model.save(tmp_path / "m"))
    stored = loaded.selection["selection"]
    assert loaded.selection["choice"]["epochs"] == sel.choice.epochs
    assert stored["curves"] and stored["seconds"] >= 0 and "used" in stored["cold"]
    np.testing.assert_allclose(loaded.score_user("u3"), model.score_user("u3"), rtol=1e-6)
    np.testing.assert_allclose(loaded.ease.weights, model.ease.weights)


@pytest.mark.parametrize("w", [0.2, 1.0])
def test_metadata_weight_leaves_identity_at_one(w):
    """Identity weighs 1 and the metadata shares w, however many metadata features."""
    inter = Interactions(np.array(["a", "b"]), np.array(["x", "y"]), np.ones(2))
    itf = FeatureTable(np.array(["x"] * 5 + ["y"]), np.array([f"f{j}" for j in range(5)] + ["f0"]))
    ds = build_dataset(inter, None, itf, item_metadata_weight=w)
    row = ds.item_features[ds.items.index["x"]].toarray().ravel()
    assert row[ds.item_vocab.index["item:x"]] == pytest.approx(1.0)
    assert row[len(ds.items) :].sum() == pytest.approx(w)
    legacy = build_dataset(inter, None, itf).item_features[ds.items.index["x"]].toarray().ravel()
    assert legacy[ds.item_vocab.index["item:x"]] == pytest.approx(1 / 6)


def test_serving_row_matches_training_row():
    """A known user's row at serving time equals the training row (same weights)."""
    inter = Interactions(np.array(["a", "a", "b"]), np.array(["x", "y", "y"]), np.ones(3))
    uf = FeatureTable(np.array(["a", "a", "b"]), np.array(["g:1", "r:2", "g:1"]))
    from recommender.model import HybridModel

    ds = build_dataset(inter, uf, None, user_metadata_weight=0.2)
    model = HybridModel(components=4, epochs=1, seed=1).fit(ds)
    enc = model.encode_users(["a", "b"], uf).toarray()
    np.testing.assert_allclose(enc, ds.user_features.toarray(), rtol=1e-6)
    assert FeatureSet("x").user_weight is None


def test_cold_users_get_blend_weights_of_their_own_with_lifecycle_signals(tmp_path):
    """Given life-cycle signals, the selection chooses the cold users' blend weights on
    its cold validation users (deterministically); they go into the artefact."""
    from recommender.model import HybridModel
    from recommender.selection import Choice

    inter, group, items = blocks(200, 40, 4, 8, seed=9)
    users = [f"u{u}" for u in range(200)]
    # a life event per group whose services are the group's block: a true signal
    life = FeatureTable(np.array(users), np.array([f"current:e{g}" for g in group]))
    itf = FeatureTable(
        np.array(items), np.array([f"life_event:e{int(i[1:]) // 10}" for i in items])
    )
    a, b = (select(inter, None, itf, items, CFG, lifecycle=life) for _ in range(2))
    assert a.choice.cold_blend is not None and a.choice == b.choice
    assert a.cold_blend == b.cold_blend and a.cold_blend.validation == b.cold_blend.validation
    assert a.cold_blend.validation["chosen"] >= a.cold_blend.validation["the cold mix alone"]
    assert select(inter, None, itf, items, CFG).choice.cold_blend is None  # no signals
    model = fit_with_choice(inter, None, itf, items, a.choice, CFG, a)
    loaded = HybridModel.load(model.save(tmp_path / "m"))
    choice = Choice.from_dict(loaded.selection["choice"])
    assert choice == a.choice and choice.cold_blend_weights.weights == a.choice.cold_blend
    assert loaded.selection["selection"]["cold_blend"]["used"] == a.cold_blend.name


def test_a_choice_stored_before_cold_blend_weights_still_loads():
    from recommender.selection import Choice

    old = Choice().as_dict()
    del old["cold_blend"]
    choice = Choice.from_dict(old)
    assert choice.cold_blend is None and choice.cold_blend_weights is None
    new = Choice(cold_blend=(0.1, 0.0, 0.2))
    assert Choice.from_dict(new.as_dict()) == new


def test_cold_blend_is_chosen_on_users_new_at_a_cut_with_signals_as_of_the_cut():
    """Given signals as a function of time, the cold users' blend is chosen on the cold
    users new at a cut date: their use after the cut is the answer, the signals are those
    known at the cut. Here a life event starting before the cut drives everyone's later
    use, so the life-cycle weight is chosen (and beats the cold mix alone)."""
    rng = np.random.default_rng(3)
    n_users, everyday, blocks_n, size = 300, 20, 4, 10
    group = rng.integers(0, blocks_n, n_users)
    u, i, t = [], [], []
    for user in range(n_users):
        for item in rng.choice(everyday, 10, replace=False, p=_zipf(everyday)):
            u.append(f"u{user}"), i.append(f"i{item}"), t.append(rng.uniform(0, 80))
        for item in rng.choice(size, 6, replace=False) + everyday + group[user] * size:
            u.append(f"u{user}"), i.append(f"i{item}"), t.append(rng.uniform(80, 100))
    inter = Interactions(np.array(u), np.array(i), np.ones(len(u)), np.array(t))
    items = [f"i{j}" for j in range(everyday + blocks_n * size)]
    itf = FeatureTable(
        np.array(items[everyday:]),
        np.array([f"life_event:e{(j - everyday) // size}" for j in range(everyday, len(items))]),
    )
    calls = []

    def lifecycle_at(ts, users):
        calls.append((ts, set(users.tolist())))
        known = ts >= 80  # the event has begun by the cut
        ids = [f"u{x}" for x in range(n_users)] if known else []
        return FeatureTable(
            np.array(ids, dtype=str),
            np.array([f"current:e{g}" for g in group][: len(ids)], dtype=str),
        )

    sel = select(inter, None, itf, items, CFG, lifecycle=lifecycle_at)
    cut = float(np.quantile(inter.timestamps, 1 - CFG.cold_cut_fraction))
    assert len(calls) == 1 and calls[0][0] == cut and calls[0][1]
    blend = sel.cold_blend
    assert blend is not None and blend.w_life > 0
    assert blend.validation["chosen"] > blend.validation["the cold mix alone"]
    # without time the function cannot be asked "as of when": no cold blend
    timeless = Interactions(inter.user_ids, inter.item_ids, inter.weights)
    assert select(timeless, None, itf, items, CFG, lifecycle=lifecycle_at).cold_blend is None


def _zipf(n):
    p = 1.0 / np.arange(1, n + 1)
    return p / p.sum()
