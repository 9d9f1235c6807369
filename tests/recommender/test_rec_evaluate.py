import numpy as np
import scipy.sparse as sp
from conftest import TODAY

from recommender.dataset import FeatureTable, IdMap, Interactions
from recommender.evaluate import (
    FeatureIndex,
    Ground,
    LifecycleIndex,
    ground_truth,
    rank_metrics,
    split,
    time_cutoff,
    tune_blend,
)
from recommender.model import HybridModel


def ground(train, test):
    return Ground(np.array(["a"]), sp.csr_matrix(np.array([train], float)), sp.csr_matrix(np.array([test], float)))  # fmt: skip


def test_ndcg_precision_auc_by_hand():
    # items 0..4; item 0 seen in training (excluded), items 2 and 4 in the test
    g = ground([1, 0, 0, 0, 0], [0, 0, 1, 0, 1])
    scores = np.array([[9.0, 5.0, 4.0, 3.0, 1.0]])  # ranking without item 0: 1, 2, 3, 4
    out = rank_metrics(lambda u: scores, g, k=2)
    assert out["precision_at_k"][0] == 0.5
    ideal = 1 + 1 / np.log2(3)
    assert np.isclose(out["ndcg_at_k"][0], (1 / np.log2(3)) / ideal)
    # pairs (pos, neg): (2,1) lost, (2,3) won, (4,1) lost, (4,3) lost → 1/4
    assert np.isclose(out["auc"][0], 0.25)
    ties = rank_metrics(lambda u: np.array([[9.0, 1.0, 1.0, 1.0, 1.0]]), g, k=2)
    assert np.isclose(ties["auc"][0], 0.5)


def test_ndcg_ideal_uses_min_of_k_and_test_size():
    g = ground([0, 0, 0, 0, 0], [1, 0, 0, 0, 0])
    out = rank_metrics(lambda u: np.array([[5.0, 4.0, 3.0, 2.0, 1.0]]), g, k=3)
    assert out["ndcg_at_k"][0] == 1.0 and np.isclose(out["precision_at_k"][0], 1 / 3)


def test_ground_truth_drops_seen_pairs_users_without_test_and_dismissed():
    train = Interactions.from_kinds(["a", "a", "b"], ["x", "y", "x"], ["view", "dismiss", "view"])
    test = Interactions.from_kinds(["a", "a", "a", "c"], ["x", "y", "z", "x"], ["apply", "view", "view", "dismiss"])  # fmt: skip
    g = ground_truth(train, test, IdMap(["x", "y", "z"]))
    assert g.users.tolist() == ["a"]
    assert g.test.toarray().tolist() == [[0, 0, 1]]
    assert g.train.toarray().tolist() == [[1, 1, 0]]  # the dismissed item is out of the ranking


def test_time_split_is_by_time():
    rng = np.random.default_rng(0)
    ts = rng.permutation(100).astype(float)
    inter = Interactions(np.arange(100).astype(str), ["x"] * 100, np.ones(100), ts)
    train, test = split(inter, "time", 0.2)
    assert len(test) == 20 and train.timestamps.max() < test.timestamps.min()
    assert train.timestamps.max() <= time_cutoff(inter, 0.2) < test.timestamps.min()


def test_lifecycle_index_current_next_and_bundle():
    items = IdMap(["e1", "e2", "r1", "other"])
    itf = FeatureTable(["e1", "e2", "r1", "other"], ["life_event:education"] * 2 + ["life_event:retirement", "theme:x"])  # fmt: skip
    table = FeatureTable(["u", "v"], ["next:education", "current:retirement"], [0.5, 1.0])
    life = LifecycleIndex(table, FeatureIndex(None), itf, items)
    cur, nxt = life.matrices(np.array(["u", "v", "nobody"]))
    assert nxt[0].tolist() == [0.5, 0.5, 0, 0] and cur[0].tolist() == [0, 0, 0, 0]
    assert cur[1].tolist() == [0, 0, 1, 0] and not cur[2].any() and not nxt[2].any()
    # with training data the event's services are weighted by how much its users used them
    train = Interactions.from_kinds(["u", "w"], ["e2", "e2"], ["view", "view"])
    t2 = FeatureTable(["u", "w"], ["current:education", "current:education"])
    cur, _ = LifecycleIndex(t2, FeatureIndex(None), itf, items, train=train).matrices(
        np.array(["u"])
    )
    assert cur[0, 1] == 1.0 and np.isclose(cur[0, 0], 0.2)


def test_synthetic_time_split_evaluation_and_tuning(small_data):
    inter = small_data.interactions()
    train, test = split(inter, "time", 0.2)
    tv, val = split(train, "time", 0.2)
    uf = small_data.user_features(TODAY.replace(year=2025, month=6))
    lc = small_data.lifecycle(TODAY.replace(year=2025, month=6))
    model = HybridModel(components=8, epochs=2, seed=1)
    from recommender.evaluate import run_evaluation

    rep, model = run_evaluation(tv, val, uf, small_data.item_features(), model=model, lifecycle=lc)
    grid = {"normalization": ("rank",), "w_life": (0.0, 0.5), "w_life_next": (0.0, 0.5),
            "w_popularity": (0.0, 0.1), "pop_normalization": ("minmax",)}  # fmt: skip
    best, res = tune_blend(model, tv, val, uf, small_data.item_features(), lc, grid=grid)
    assert res[0]["baseline"] == "model" and res[1]["baseline"] == "segment_popularity"
    assert len(res) == 2 + 8 and best.normalization == "rank"
    assert res[2]["ndcg_at_k"] == max(r["ndcg_at_k"] for r in res[2:])
