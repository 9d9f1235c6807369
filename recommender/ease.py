"""EASE: a closed-form item-item model for users with history (Steck 2019).

With ``X`` the users × items interaction matrix and ``G = XᵀX + λI``, ``P = G⁻¹``, the item
weights are ``B = I − P·diag(1/diag(P))`` (so ``diag(B) = 0``) and a user's scores are
``x_u B``. One parameter, λ, chosen on validation. The matrix is dense items × items, so
only the ``max_items`` most used items are modelled (all of a 2,000-service catalog); the
others score 0. It is blended with the LightFM score as ``z(lightfm) + w·z(ease)``, ``w``
chosen on validation (0 allowed), and gives reasons of its own kind: "often done together
with X you used".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .blend import normalize


def gram(x: sp.spmatrix, max_items: int) -> tuple[np.ndarray, np.ndarray]:
    """The modelled columns (most used first, at most ``max_items``, ascending order) and
    their Gram matrix ``XᵀX`` (float64)."""
    x = sp.csr_matrix(x, dtype=np.float64)
    x.data[:] = 1.0
    counts = np.asarray(x.sum(axis=0)).ravel()
    order = np.argsort(-counts, kind="stable")
    cols = np.sort(order[: int(max_items)][counts[order[: int(max_items)]] > 0])
    xs = x[:, cols]
    return cols, (xs.T @ xs).toarray()


def closed_form(g: np.ndarray, lam: float) -> np.ndarray:
    """``B`` for the Gram matrix ``g`` and regularisation ``lam`` (diagonal zero)."""
    p = np.linalg.inv(g + float(lam) * np.eye(len(g)))
    b = -p / np.diag(p)[None, :]
    np.fill_diagonal(b, 0.0)
    return b


class EaseModel:
    """EASE item weights over ``n_items`` items (the LightFM model's item order)."""

    def __init__(self, lam: float = 250.0, max_items: int = 4000):
        if not lam > 0:
            raise ValueError("lambda must be positive")
        self.lam = float(lam)
        self.max_items = int(max_items)
        self.cols = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros((0, 0), dtype=np.float32)
        self.n_items = 0

    def fit(self, x: sp.spmatrix) -> EaseModel:
        """Fit on a users × items matrix of positives (any non-zero counts as used)."""
        cols, g = gram(x, self.max_items)
        return self.set_weights(cols, closed_form(g, self.lam), x.shape[1])

    def set_weights(self, cols: np.ndarray, b: np.ndarray, n_items: int) -> EaseModel:
        self.cols = np.asarray(cols, dtype=np.int64)
        self.weights = np.ascontiguousarray(b, dtype=np.float32)
        self.n_items = int(n_items)
        return self

    def scores(self, history: sp.spmatrix, weighted: bool = False) -> np.ndarray:
        """Scores (rows × n_items) for users given as rows of a history matrix: binary
        (any non-zero counts as used), or with ``weighted`` its values as they are (e.g.
        recency weights, ``recency.recency_history``)."""
        h = sp.csr_matrix(history, dtype=np.float32)[:, self.cols]
        if not weighted:
            h.data[:] = 1.0
        out = np.zeros((h.shape[0], self.n_items), dtype=np.float32)
        out[:, self.cols] = np.asarray(h @ self.weights)
        return out

    def score_history(self, items: Sequence[int]) -> np.ndarray:
        """Scores of all items for one user who used the item indices ``items``."""
        used = np.unique(np.asarray(items, dtype=np.int64))
        pos = np.searchsorted(self.cols, used)
        ok = pos < len(self.cols)
        ok[ok] = self.cols[pos[ok]] == used[ok]
        out = np.zeros(self.n_items, dtype=np.float32)
        if ok.any():
            out[self.cols] = self.weights[pos[ok]].sum(axis=0)
        return out

    def because_of(self, items: Sequence[int], item: int) -> int | None:
        """The used item (index) that contributes most to ``item``'s score, if any does."""
        where = np.searchsorted(self.cols, item)
        if where >= len(self.cols) or self.cols[where] != item:
            return None
        used = [i for i in items if i != item]
        rows = np.searchsorted(self.cols, used) if used else np.zeros(0, np.int64)
        ok = [
            (u, r)
            for u, r in zip(used, rows, strict=True)
            if r < len(self.cols) and self.cols[r] == u
        ]
        if not ok:
            return None
        contrib = [float(self.weights[r, where]) for _, r in ok]
        best = int(np.argmax(contrib))
        return int(ok[best][0]) if contrib[best] > 0 else None

    # artefact
    def describe(self) -> dict[str, Any]:
        return {"lambda": self.lam, "max_items": self.max_items, "n_items": self.n_items}

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"ease_cols": self.cols, "ease_weights": self.weights}

    @classmethod
    def from_arrays(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> EaseModel:
        model = cls(float(meta["lambda"]), int(meta["max_items"]))
        return model.set_weights(arrays["ease_cols"], arrays["ease_weights"], int(meta["n_items"]))


def partner_blend(lightfm: np.ndarray, ease: np.ndarray | None, weight: float) -> np.ndarray:
    """``z(lightfm) + weight · z(ease)`` per row (z-scores over each row's items)."""
    out = normalize(lightfm, "zscore")
    if ease is not None and weight:
        out = out + np.float32(weight) * normalize(ease, "zscore")
    return out


def together_reason(title: Mapping[str, str]) -> dict[str, str]:
    """Words for an EASE reason: the recommended service is often done together with the
    service ``title`` (by language) the person used."""
    zh = title.get("zh_Hans") or title.get("en") or ""
    en = title.get("en") or zh
    return {
        "zh_Hans": f"常与您办过的「{zh}」一起办理",
        "en": f"often done together with {en}, which you used",
    }
