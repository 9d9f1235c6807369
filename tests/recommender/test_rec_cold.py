import numpy as np
import scipy.sparse as sp

from recommender.blend import BlendParams, blend_scores
from recommender.cold import (
    ColdBlend,
    ColdMix,
    candidates,
    choose_cold_blend,
    choose_cold_mix,
    cold_scores,
)
from recommender.peers import top_k_metrics


def test_cold_mix_never_below_segment_popularity_on_validation():
    rng = np.random.default_rng(0)
    n_users, n_items = 200, 50
    truth = rng.random((n_users, n_items))
    test = sp.csr_matrix((truth > 0.85).astype(np.float32))
    train = sp.csr_matrix((n_users, n_items), dtype=np.float32)
    for noise in (0.3, 3.0):  # segment popularity good, or poor
        parts = {
            "segment": truth + noise * rng.random((n_users, n_items)),
            "model": truth + 1.0 * rng.random((n_users, n_items)),
            "global": np.broadcast_to(rng.random(n_items), (n_users, n_items)),
        }
        mix = choose_cold_mix(parts, train, test, k=10)
        seg = top_k_metrics(parts["segment"], train, test, 10)[1].mean()
        got = top_k_metrics(cold_scores(mix, parts), train, test, 10)[1].mean()
        assert got >= seg - 1e-9
        assert mix.validation["segment popularity alone"] == round(float(seg), 5)


def test_segment_alone_is_first_candidate_and_named():
    assert candidates(("segment", "model"))[0] == (1.0, 0.0, 0.0, 0.0)
    assert ColdMix().name == "segment popularity alone"
    assert "model from features" in ColdMix((0.5, 0.5, 0.0, 0.0)).name


def test_cold_blend_never_below_the_cold_mix_on_validation():
    rng = np.random.default_rng(1)
    n_users, n_items = 300, 60
    truth = rng.random((n_users, n_items))
    test = sp.csr_matrix((truth > 0.85).astype(np.float32))
    train = sp.csr_matrix((n_users, n_items), dtype=np.float32)
    mix = truth + 0.8 * rng.random((n_users, n_items))
    pop = np.broadcast_to(rng.random(n_items), (n_users, n_items))
    for life_noise in (0.2, 50.0):  # life-cycle signals that help, or pure noise
        cur = np.clip(truth + life_noise * rng.standard_normal((n_users, n_items)), 0, 1)
        nxt = rng.random((n_users, n_items))
        chosen = choose_cold_blend(mix, cur, nxt, pop, train, test, BlendParams())
        alone = top_k_metrics(mix, train, test, 10)[1].mean()
        p = chosen.apply(BlendParams())
        got = top_k_metrics(blend_scores(mix, cur, pop, p, nxt), train, test, 10)[1].mean()
        assert got >= alone - 1e-9
        assert chosen.validation["the cold mix alone"] == round(float(alone), 5)
        again = choose_cold_blend(mix, cur, nxt, pop, train, test, BlendParams())
        assert again == chosen and again.validation == chosen.validation  # deterministic
    assert ColdBlend().name == "the cold mix alone"


def test_cold_blend_replaces_only_the_life_and_popularity_weights():
    base = BlendParams(w_life=0.35, w_life_next=0.35, w_popularity=0.4, w_duty=1.0)
    p = ColdBlend(0.1, 0.0, 0.2).apply(base)
    assert (p.w_life, p.w_life_next, p.w_popularity) == (0.1, 0.0, 0.2)
    assert p.w_duty == 1.0 and p.normalization == base.normalization
    assert ColdBlend.from_weights(None) is None
    assert ColdBlend.from_weights([0.1, 0.0, 0.2]) == ColdBlend(0.1, 0.0, 0.2)
