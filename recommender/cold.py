"""Cold users (no history): a validated mix of simple signals, never worse than the best of them.

Each part (the model's score from the user's features, segment popularity, popularity among
users sharing a feature, global popularity) is turned into a percentile rank per user; the
mix is a weighted sum of the ranks, the weights chosen on validation users held out whole.
Every part alone is a candidate, "segment popularity alone" first, so the chosen mix ranks
at least as well on validation as segment popularity, and says which it is.

The product blends life-cycle signals and popularity on top of the served score; for users
without history ``ColdBlend`` holds weights of their own, chosen on cold validation users
(new at a cut date when the interactions carry time: ``cold_choice.new_at_cut``) with
"no blend" (the cold mix alone) as the first candidate, so the page of a new user is never
below the cold mix on validation.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from .blend import BlendParams, blend_scores, normalize
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


# ---------------------------------------------------------------------- the cold blend
COLD_BLEND_GRID: dict[str, tuple[float, ...]] = {
    "w_life": (0.0, 0.1, 0.2, 0.35, 0.5),
    "w_life_next": (0.0, 0.1, 0.2, 0.35),
    "w_popularity": (0.0, 0.1, 0.2, 0.4),
}


@dataclass(frozen=True)
class ColdBlend:
    """The blend weights for users without history (no interactions in the model): the
    life-cycle and popularity weights put on top of the cold mix, chosen on the cold
    validation users; all zero is the cold mix alone (a candidate, tried first). They replace
    ``BlendParams``' ``w_life``, ``w_life_next`` and ``w_popularity`` for those users; the
    other parameters (normalisations, duties, diversity) stay the product's."""

    w_life: float = 0.0
    w_life_next: float = 0.0
    w_popularity: float = 0.0
    validation: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def weights(self) -> tuple[float, float, float]:
        return (self.w_life, self.w_life_next, self.w_popularity)

    @property
    def name(self) -> str:
        if not any(self.weights):
            return "the cold mix alone"
        return (
            f"the cold mix + {self.w_life:g} × current life events + {self.w_life_next:g} × "
            f"upcoming events + {self.w_popularity:g} × regional popularity"
        )

    def apply(self, params: BlendParams) -> BlendParams:
        return replace(
            params,
            w_life=self.w_life,
            w_life_next=self.w_life_next,
            w_popularity=self.w_popularity,
        )

    def describe(self) -> dict[str, object]:
        return {
            "used": self.name,
            "w_life": self.w_life,
            "w_life_next": self.w_life_next,
            "w_popularity": self.w_popularity,
            "validation_ndcg": self.validation,
        }

    @classmethod
    def from_weights(cls, weights) -> ColdBlend | None:
        """From stored ``(w_life, w_life_next, w_popularity)``; None stays None (a model
        chosen before cold users had weights of their own: the product's apply)."""
        if weights is None:
            return None
        return cls(*(float(w) for w in weights))


def choose_cold_blend(
    mix: np.ndarray,
    life: np.ndarray,
    life_next: np.ndarray,
    popularity: np.ndarray,
    train: sp.csr_matrix,
    test: sp.csr_matrix,
    params: BlendParams,
    k: int = 10,
    grid: Mapping[str, tuple[float, ...]] | None = None,
) -> ColdBlend:
    """The cold-user weights with the best validation NDCG@k: the cold mix's scores
    (``mix``) blended as served (``blend_scores`` with ``params``' normalisations) with
    the life-cycle signals and regional popularity. "No blend" is tried first and only a
    strictly better candidate replaces it, so the choice is never below the cold mix on
    validation; ties keep the earlier (smaller) weights."""
    g = {**COLD_BLEND_GRID, **(grid or {})}
    best, best_score, tried = (0.0, 0.0, 0.0), -1.0, {}
    combos = [(0.0, 0.0, 0.0)] + [
        c for c in itertools.product(g["w_life"], g["w_life_next"], g["w_popularity"]) if any(c)
    ]
    for wl, wn, wp in combos:
        p = replace(params, w_model=1.0, w_life=wl, w_life_next=wn, w_popularity=wp)
        s = blend_scores(mix, life, popularity, p, life_next)
        score = float(top_k_metrics(s, train, test, k)[1].mean())
        tried[ColdBlend(wl, wn, wp).name] = round(score, 5)
        if score > best_score + 1e-9:
            best, best_score = (wl, wn, wp), score
    return ColdBlend(*best, validation={"chosen": round(best_score, 5), **_top(tried)})


def _top(tried: dict[str, float], n: int = 5) -> dict[str, float]:
    """The cold mix alone and the ``n`` best candidates (for the report)."""
    alone = ColdBlend().name
    best = sorted(tried.items(), key=lambda kv: -kv[1])[:n]
    return {alone: tried[alone], **dict(best)}
