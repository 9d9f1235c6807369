import numpy as np
import scipy.sparse as sp

from recommender.cold import ColdMix, candidates, choose_cold_mix, cold_scores
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
