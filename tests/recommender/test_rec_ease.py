import numpy as np
import scipy.sparse as sp

from recommender.ease import EaseModel, partner_blend, together_reason


def test_ease_equals_closed_form_on_tiny_matrix():
    x = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 1, 0]], dtype=float)
    lam = 2.0
    p = np.linalg.inv(x.T @ x + lam * np.eye(4))
    b = np.eye(4) - p / np.diag(p)[None, :]  # Steck 2019, eq. 8
    model = EaseModel(lam).fit(sp.csr_matrix(x))
    np.testing.assert_allclose(model.weights, b, atol=1e-6)
    assert np.allclose(np.diag(model.weights), 0)
    np.testing.assert_allclose(model.scores(sp.csr_matrix(x)), x @ b, atol=1e-5)
    np.testing.assert_allclose(model.score_history([0, 1]), x[0] @ b, atol=1e-5)


def test_ease_limits_to_most_used_items_and_explains():
    x = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    model = EaseModel(1.0, max_items=2).fit(x)
    assert model.cols.tolist() == [0, 1]
    assert model.scores(x)[:, 2].tolist() == [0, 0, 0]
    assert model.because_of([0, 2], 1) == 0  # item 1 comes with item 0
    assert model.because_of([2], 1) is None and model.because_of([0], 2) is None
    text = together_reason({"zh_Hans": "出生登记", "en": "birth registration"})
    assert "出生登记" in text["zh_Hans"] and "birth registration" in text["en"]


def test_partner_blend_weight_zero_is_lightfm_order():
    lfm = np.array([[3.0, 1.0, 2.0]])
    ease = np.array([[0.0, 5.0, 0.0]])
    assert np.argsort(-partner_blend(lfm, ease, 0.0)[0]).tolist() == [0, 2, 1]
    assert np.argmax(partner_blend(lfm, ease, 4.0)[0]) == 1
