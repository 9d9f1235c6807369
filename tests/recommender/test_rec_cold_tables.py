"""Serving the cold mix: the counts kept with the model give the parts the baselines
define (segment popularity, popularity among users sharing a feature, global popularity)."""

import numpy as np

from recommender.cold import ColdMix, cold_scores
from recommender.cold_choice import cold_parts
from recommender.cold_tables import ColdTables
from recommender.dataset import FeatureTable, IdMap, Interactions
from recommender.evaluate import FeatureIndex, item_popularity, segment_popularity_scorer
from recommender.model import HybridModel
from recommender.peers import feature_popularity_scorer
from recommender.selection import Choice, FeatureSet, SelectionConfig, fit_with_choice

PREFIXES = ("age:", "region:")


def data(seed=4, n_users=120, n_items=30):
    rng = np.random.default_rng(seed)
    u, i = [], []
    for user in range(n_users):
        for item in rng.choice(n_items, 6, replace=False, p=_p(n_items, user % 3)):
            u.append(f"u{user}"), i.append(f"i{item}")
    inter = Interactions(np.array(u), np.array(i), np.ones(len(u)))
    rows = [
        (f"u{x}", f)
        for x in range(n_users + 10)  # ten users without history
        for f in (f"age:{x % 3}", f"region:{x % 4}", f"tag:{x % 5}")
    ]
    uf = FeatureTable(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    return inter, uf, [f"i{j}" for j in range(n_items)]


def _p(n, shift):
    w = 1.0 / (1 + (np.arange(n) + 7 * shift) % n)
    return w / w.sum()


def test_parts_equal_the_evaluations_parts_for_the_same_user():
    inter, uf, items = data()
    model = fit_with_choice(
        inter, uf, None, items, Choice(FeatureSet("all", 0.2, None), 0.05, 3),
        SelectionConfig(components=4, threads=1, seed=1),
    )  # fmt: skip
    imap = IdMap(items)
    users = np.array(["u3", "u125", "u129"])  # one with history, two without
    expected = {
        "segment": segment_popularity_scorer(inter, imap, FeatureIndex(uf), PREFIXES)(users),
        "features": feature_popularity_scorer(inter, imap, uf)(users),
        "global": np.broadcast_to(item_popularity(inter, imap), (len(users), len(items))),
        "model": model.score_rows(model.encode_users(users.tolist(), uf)),
    }
    tables = ColdTables.build(inter, imap, uf, PREFIXES)
    evaluated = cold_parts(model, inter, uf, imap, PREFIXES)(users)
    by_user = uf.as_mapping()
    mix = ColdMix((0.25, 0.25, 0.25, 0.25))
    for r, user in enumerate(users.tolist()):
        row = model.score_user(user, by_user[user])
        got = tables.parts(by_user[user], row)
        for name in ("segment", "features", "global"):
            np.testing.assert_allclose(got[name][0], expected[name][r], rtol=1e-6, err_msg=name)
            np.testing.assert_allclose(evaluated[name][r], expected[name][r], rtol=1e-6)
        np.testing.assert_allclose(
            tables.score(mix, by_user[user], row),
            cold_scores(mix, {k: v[r : r + 1] for k, v in expected.items()})[0],
            rtol=1e-5,
        )


def test_an_unknown_segment_or_feature_scores_by_global_popularity_ties():
    inter, uf, items = data()
    tables = ColdTables.build(inter, IdMap(items), uf, PREFIXES)
    parts = tables.parts(["age:9", "tag:new"], np.zeros(len(items), np.float32))
    order = np.argsort(-tables.users_per_item, kind="stable")
    assert list(np.argsort(-parts["segment"][0], kind="stable")) == list(order)


def test_the_tables_travel_with_the_artefact_and_old_artefacts_load(tmp_path):
    inter, uf, items = data()
    model = fit_with_choice(
        inter, uf, None, items, Choice(epochs=2), SelectionConfig(components=4, threads=1)
    )
    assert model.cold_tables is not None
    loaded = HybridModel.load(model.save(tmp_path / "m"))
    a, b = model.cold_tables, loaded.cold_tables
    assert a.prefixes == b.prefixes and a.segments.ids == b.segments.ids
    assert (a.segment_counts != b.segment_counts).nnz == 0
    assert (a.feature_counts != b.feature_counts).nnz == 0
    np.testing.assert_array_equal(a.users_per_item, b.users_per_item)
    model.cold_tables = None  # an artefact from before
    assert HybridModel.load(model.save(tmp_path / "old")).cold_tables is None


def test_a_person_without_segment_facts_gets_global_popularity_in_both_paths():
    """No age and no region: no segment (not the segment of everyone else without them)."""
    inter, uf, items = data()
    extra = FeatureTable(np.array(["u3", "u200"]), np.array(["tag:1", "tag:2"]))
    uf2 = FeatureTable(
        np.concatenate([uf.ids[uf.ids != "u3"], extra.ids]),
        np.concatenate([uf.features[uf.ids != "u3"], extra.features]),
    )
    model = fit_with_choice(
        inter, uf2, None, items, Choice(epochs=2), SelectionConfig(components=4, threads=1)
    )
    imap = IdMap(items)
    expected = {
        "segment": segment_popularity_scorer(inter, imap, FeatureIndex(uf2), PREFIXES)(
            np.array(["u200"])
        )
    }
    tables = ColdTables.build(inter, imap, uf2, PREFIXES)
    got = tables.parts(["tag:2"], model.score_user("u200", ["tag:2"]))
    np.testing.assert_allclose(got["segment"][0], expected["segment"][0], rtol=1e-6)
    tie = tables.users_per_item / (tables.users_per_item.max() + 1.0) * 0.5
    np.testing.assert_allclose(got["segment"][0], tie, rtol=1e-6)
