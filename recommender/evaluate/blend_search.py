"""Choosing the blend for the served model on time-based validation folds.

The served score for users with history is ``z(LightFM) + w·z(EASE)``; the product blends
it with life-cycle signals and regional popularity (``blend.blend_scores``). The blend's
weights are chosen here on validation folds carved from the *training* data (e.g. the
latest part of the training period, and the coming season one year earlier), never on the
test period, together with the levers that need time: the EASE input weighted by recency
(``recency.recency_history``, half-life ``None`` allowed) and seasonal popularity (the
coming season a year earlier, weight 0 allowed). The search is coordinate-wise over a grid,
from a starting point, keeping a change only when the mean validation NDCG@k over the folds
rises; it is deterministic for fixed inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from recommender.blend import BlendParams, blend_scores
from recommender.ease import partner_blend
from recommender.scales import normalize


@dataclass(frozen=True)
class BlendInputs:
    """One validation fold, rows are its users: what may not be ranked (``seen``), what
    they used next (``used``), and the scores to blend."""

    seen: np.ndarray  # users × items, bool
    used: np.ndarray  # users × items, bool
    lightfm: np.ndarray
    ease: Mapping[float | None, np.ndarray]  # by half-life (None: plain history)
    life: Mapping[int, tuple[np.ndarray, np.ndarray]]  # by horizon: (current, next)
    popularity: np.ndarray  # users × items (regional)
    seasonal: Mapping[int, np.ndarray] = field(default_factory=dict)  # by days: items


@dataclass(frozen=True)
class BlendChoice:
    """The chosen blend: ``params`` plus the time levers and the partner weight."""

    params: BlendParams = BlendParams()
    ease_weight: float = 0.0
    half_life: float | None = None
    horizon: int = 120
    w_season: float = 0.0
    season_days: int = 60
    validation: float = 0.0
    path: tuple[tuple[str, float], ...] = ()

    def describe(self) -> dict[str, Any]:
        p = self.params
        return {
            "normalization": p.normalization,
            "w_life": p.w_life,
            "w_life_next": p.w_life_next,
            "w_popularity": p.w_popularity,
            "horizon": self.horizon,
            "ease_weight": self.ease_weight,
            "half_life": self.half_life,
            "w_season": self.w_season,
            "season_days": self.season_days,
        }


SEARCH_GRID: dict[str, tuple[Any, ...]] = {
    "normalization": ("minmax", "rank", "zscore"),
    "w_life": (0.0, 0.2, 0.35, 0.5, 0.75, 1.0),
    "w_life_next": (0.0, 0.1, 0.2, 0.35, 0.5, 0.75),
    "horizon": (120, 365),
    "w_popularity": (0.0, 0.1, 0.2, 0.4, 0.6),
    "half_life": (None, 7, 30, 120),
    "w_season": (0.0, 0.1, 0.2, 0.4),
    "season_days": (30, 60, 120),
}
# The partner weight is the model's own choice (selection.py) and stays fixed here unless a
# grid names "ease_weight": the blend defaults cannot carry it.
PARAM_KEYS = ("normalization", "w_life", "w_life_next", "w_popularity")


def _with(c: BlendChoice, key: str, value: Any) -> BlendChoice:
    if key in PARAM_KEYS:
        return replace(c, params=replace(c.params, **{key: value}))
    return replace(c, **{key: value})


def _get(c: BlendChoice, key: str) -> Any:
    return getattr(c.params, key) if key in PARAM_KEYS else getattr(c, key)


def fold_scores(f: BlendInputs, c: BlendChoice) -> np.ndarray:
    """The blended scores of a fold's users under ``c`` (as served, before rules)."""
    served = partner_blend(f.lightfm, f.ease.get(c.half_life), c.ease_weight)
    cur, nxt = f.life[c.horizon]
    out = blend_scores(served, cur, f.popularity, c.params, nxt)
    if c.w_season and c.season_days in f.seasonal:
        out = out + np.float32(c.w_season) * normalize(f.seasonal[c.season_days], "log")[None, :]
    return out


def ndcg(f: BlendInputs, scores: np.ndarray, k: int = 10) -> float:
    s = np.where(f.seen, -np.inf, scores)
    top = np.argpartition(-s, k - 1, axis=1)[:, :k]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), axis=1), 1)
    hits = np.take_along_axis(f.used, top, 1)
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    idcg = np.array([disc[: min(p, k)].sum() for p in f.used.sum(axis=1)])
    idcg[idcg == 0] = 1.0
    return float(((hits * disc).sum(axis=1) / idcg).mean())


def search_blend(
    folds: Sequence[BlendInputs],
    start: BlendChoice,
    grid: Mapping[str, Sequence[Any]] | None = None,
    k: int = 10,
    rounds: int = 3,
) -> BlendChoice:
    """Coordinate-wise search from ``start``: for each key of ``grid`` in turn, the value
    with the best mean NDCG@k over ``folds`` (a change must gain more than 1e-5), repeated
    until a round changes nothing. Keys whose inputs a fold lacks (a half-life without its
    EASE scores, a season length without its popularity) are skipped for that value."""
    grid = grid if grid is not None else SEARCH_GRID

    def value(c: BlendChoice) -> float:
        return round(float(np.mean([ndcg(f, fold_scores(f, c), k) for f in folds])), 5)

    best, best_v = start, value(start)
    path = [("start", best_v)]
    for _ in range(rounds):
        changed = False
        for key, values in grid.items():
            for v in values:
                if v == _get(best, key) or not _available(folds, key, v):
                    continue
                cand = _with(best, key, v)
                cv = value(cand)
                if cv > best_v + 1e-5:
                    best, best_v, changed = cand, cv, True
                    path.append((f"{key}={v}", cv))
        if not changed:
            break
    return replace(best, validation=best_v, path=tuple(path))


def _available(folds: Sequence[BlendInputs], key: str, v: Any) -> bool:
    if key == "half_life":
        return all(v in f.ease for f in folds)
    if key == "season_days":
        return all(v in f.seasonal for f in folds)
    if key == "horizon":
        return all(v in f.life for f in folds)
    return True
