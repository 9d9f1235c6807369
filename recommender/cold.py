"""Cold users (no history): a validated mix of simple signals, never worse than the best of them.

Each part (the model's score from the user's features, segment popularity, popularity among
users sharing a feature, global popularity) is turned into a percentile rank per user; the
mix is a weighted sum of the ranks, the weights chosen on validation users held out whole.
Every part alone is a candidate, "segment popularity alone" first, so the chosen mix ranks
at least as well on validation as segment popularity, and says which it is.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .blend import normalize
from .peers import top_k_metrics

PARTS: tuple[str, ...] = ("segment", "model", "features", "global")
PART_WORDS = {
    "segment": "segment popularity",
    "model": "model from features",
    "features": "popularity among users sharing a feature",
    "global": "global popularity",
}
STEPS = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class ColdMix:
    """Weights per part (``PARTS`` order), a name in words and the validation NDCG of each
    candidate tried (by name)."""

    weights: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0)
    validation: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        used = [p for p, w in zip(PARTS, self.weights, strict=True) if w > 0]
        if len(used) == 1:
            return f"{PART_WORDS[used[0]]} alone"
        total = sum(self.weights)
        return " + ".join(
            f"{w / total:.2f} × {PART_WORDS[p]}"
            for p, w in zip(PARTS, self.weights, strict=True)
            if w > 0
        )

    def describe(self) -> dict[str, object]:
        return {
            "used": self.name,
            "weights": dict(zip(PARTS, self.weights, strict=True)),
            "validation_ndcg": self.validation,
        }


def candidates(parts: tuple[str, ...]) -> list[tuple[float, ...]]:
    """Weight vectors over ``PARTS`` using only the available ``parts``: each part alone
    (segment popularity first), then mixes on a grid, normalised, without duplicates."""
    avail = [p in parts for p in PARTS]
    out: list[tuple[float, ...]] = []
    for i, ok in enumerate(avail):
        if ok:
            out.append(tuple(1.0 if j == i else 0.0 for j in range(len(PARTS))))
    for combo in itertools.product(STEPS, repeat=len(PARTS)):
        if sum(combo) == 0 or any(w > 0 and not ok for w, ok in zip(combo, avail, strict=True)):
            continue
        total = sum(combo)
        w = tuple(round(c / total, 4) for c in combo)
        if w not in out:
            out.append(w)
    return out


def cold_scores(mix: ColdMix, parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """The mixed score (rows × items) from the parts' raw scores."""
    out = None
    for name, w in zip(PARTS, mix.weights, strict=True):
        if w > 0:
            term = np.float32(w) * normalize(parts[name], "rank")
            out = term if out is None else out + term
    if out is None:
        raise ValueError("an empty cold mix")
    return out


def choose_cold_mix(
    parts: Mapping[str, np.ndarray], train: sp.csr_matrix, test: sp.csr_matrix, k: int = 10
) -> ColdMix:
    """The candidate with the best validation NDCG@k (ties: the earlier, i.e. simpler one)."""
    avail = tuple(p for p in PARTS if p in parts)
    if "segment" not in avail:
        raise ValueError("segment popularity is needed as a candidate")
    ranks = {p: normalize(parts[p], "rank") for p in avail}
    best: tuple[float, ...] | None = None
    best_score = -1.0
    tried: dict[str, float] = {}
    for w in candidates(avail):
        s = sum(np.float32(x) * ranks[p] for p, x in zip(PARTS, w, strict=True) if x > 0)
        score = float(top_k_metrics(s, train, test, k)[1].mean())
        tried[ColdMix(w).name] = round(score, 5)
        if score > best_score + 1e-9:
            best, best_score = w, score
    assert best is not None
    return ColdMix(best, tried)
