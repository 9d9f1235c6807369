import numpy as np

from recommender.dataset import build_dataset
from recommender.evaluate import run_evaluation, split
from recommender.model import HybridModel


def test_cold_user_scores_from_features(fitted, small_data):
    items = {it.code: it for it in small_data.items}
    old = fitted.score_user(None, ["age:70+", "stage:retirement", "stage:healthcare"])
    young = fitted.score_user("nobody", ["age:18-29", "stage:education", "stage:work"])
    assert old.shape == (len(fitted.item_ids),) and np.isfinite(old).all()
    top_old = [fitted.item_ids[i] for i in np.argsort(-old)[:10]]
    top_young = [fitted.item_ids[i] for i in np.argsort(-young)[:10]]
    assert top_old != top_young
    assert (
        sum(
            "retirement" in items[c].life_events or "healthcare" in items[c].life_events
            for c in top_old
        )
        >= 4
    )


def test_known_user_scores_and_unknown_feature_is_ignored(fitted, small_data):
    u = small_data.users[0]
    a = fitted.score_user(u.id, u.features)
    b = fitted.score_user(u.id, [*u.features, "no-such-feature"])
    np.testing.assert_allclose(a, b)
    rows = fitted.encode_users([u.id], {u.id: u.features})
    np.testing.assert_allclose(fitted.score_rows(rows)[0], a, rtol=1e-5, atol=1e-5)


def test_save_load_round_trip_identical(fitted, small_data, tmp_path):
    fitted.save(tmp_path / "artefact")
    loaded = HybridModel.load(tmp_path / "artefact")
    for u in small_data.users[:5]:
        assert np.array_equal(
            fitted.score_user(u.id, u.features), loaded.score_user(u.id, u.features)
        )
    assert np.array_equal(
        fitted.score_user(None, ["age:30-39"]), loaded.score_user(None, ["age:30-39"])
    )
    assert loaded.item_ids == fitted.item_ids and loaded.params == fitted.params


def test_one_thread_fixed_seed_is_reproducible(small_data):
    ds = build_dataset(
        small_data.interactions(), small_data.user_features(), small_data.item_features()
    )
    a = HybridModel(components=8, epochs=2, threads=1, seed=5).fit(ds)
    b = HybridModel(components=8, epochs=2, threads=1, seed=5).fit(ds)
    assert np.array_equal(a.item_embeddings, b.item_embeddings)


def test_cold_item_gets_representation_from_features(fitted):
    bias, emb = fitted.item_representation(["theme:tax", "life_event:work"])
    assert emb.shape == (fitted.item_embeddings.shape[1],) and np.isfinite(bias)


def test_model_beats_global_popularity(small_data):
    inter = small_data.interactions()
    train, test = split(inter, "time", 0.2)
    rep, _ = run_evaluation(
        train,
        test,
        small_data.user_features(),
        small_data.item_features(),
        model=HybridModel(components=16, epochs=8, threads=1, seed=1),
    )
    assert rep["model"]["ndcg_at_k"] > rep["baselines"]["global_popularity"]["ndcg_at_k"]
    assert rep["model"]["auc"] > rep["baselines"]["global_popularity"]["auc"]
    assert set(rep["model"]) == {"precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage"}
