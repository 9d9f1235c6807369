"""The evaluation report of the validated recommender, with peers and paired intervals.

``model`` is what the recommender serves: for users with history z(LightFM) + w·z(EASE),
for users without the validated cold mix; ``lightfm`` the selected LightFM alone. Peers:
item-kNN (cosine), EASE alone and LightFM with its library defaults (30 components,
learning rate 0.05, 30 epochs, identity features). Baselines: global, segment and feature
popularity and the life-cycle rules. ``ci`` is the paired 95 % interval of model minus the
best baseline (by precision@k) over the evaluated users; with ``repeats`` the splits are
redrawn with other seeds, figures are means with their spread, and the interval pools all
runs' per-user differences. ``cold_start`` names the cold mix and, when the selection
had life-cycle signals, the blend weights of users without history (``blend``), which the
``blended`` row uses for them (``blend_used``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .blend import BlendParams, blend_scores
from .cold import ColdBlend, ColdMix, cold_scores
from .cold_choice import LifecycleAt, cold_parts
from .dataset import FeatureTable, Interactions, build_dataset
from .ease import partner_blend
from .evaluate import (
    METRICS,
    FeatureIndex,
    LifecycleIndex,
    Scorer,
    ground_truth,
    item_popularity,
    lifecycle_scorer,
    model_scorer,
    popularity_scorer,
    rank_metrics,
    segment_popularity_scorer,
    split,
    summarise,
)
from .model import HybridModel
from .peers import (
    ease_scorer,
    feature_popularity_scorer,
    history_matrix,
    item_knn_scorer,
    paired_interval,
)
from .selection import Choice, SelectionConfig, fit_with_choice, select

PAIRED = ("precision_at_k", "ndcg_at_k")


def recommender_scorer(
    model: HybridModel,
    train: Interactions,
    user_features: FeatureTable | None,
    segment_prefixes: Sequence[str] = ("age:", "region:"),
) -> Scorer:
    """What is served: the EASE partner blend for known users, the cold mix for the others."""
    hist = history_matrix(train, model.users, model.items)
    choice = (model.selection or {}).get("choice", {})
    mix = ColdMix(tuple(choice.get("cold_weights", (1.0, 0.0, 0.0, 0.0))))
    parts = cold_parts(model, train, user_features, model.items, tuple(segment_prefixes))

    def score(users: np.ndarray) -> np.ndarray:
        idx = model.users.encode(users)
        known = idx >= 0
        out = np.zeros((len(users), len(model.items)), dtype=np.float32)
        if known.any():
            lfm = model.score_rows(model.encode_users(users[known].tolist(), user_features))
            ease = model.ease.scores(hist[idx[known]]) if model.ease is not None else None
            out[known] = partner_blend(lfm, ease, model.ease_weight)
        if (~known).any():
            out[~known] = cold_scores(mix, parts(users[~known]))
        return out

    return score


def _library_defaults(train: Interactions, items: list[str], threads: int, seed: int):
    users = sorted(np.unique(train.user_ids).tolist())
    model = HybridModel(components=30, learning_rate=0.05, epochs=30, threads=threads, seed=seed)
    return model.fit(build_dataset(train, None, None, users=users, items=items))


def full_report(
    train: Interactions,
    test: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    items: Sequence[str] | None = None,
    cfg: SelectionConfig | None = None,
    blend: BlendParams | None = None,
    lifecycle: FeatureTable | None = None,
    peers: bool = True,
    choice: Choice | None = None,
    lifecycle_at: LifecycleAt | None = None,
) -> tuple[dict[str, Any], HybridModel, dict[str, dict[str, np.ndarray]]]:
    """Select, refit, and measure the recommender, its peers and the baselines on ``test``.

    With ``choice`` (e.g. the weekly selection's) the selection is skipped and that choice
    is fitted on ``train``. ``lifecycle_at`` (signals as of a time) lets the selection
    choose the cold users' blend on users new at a cut date. Returns the report, the fitted model and the per-user metrics
    of every row."""
    cfg = cfg or SelectionConfig()
    k = cfg.k
    started = time.perf_counter()
    if items is None:
        items = np.union1d(np.unique(train.item_ids), np.unique(test.item_ids))
        if item_features is not None:
            items = np.union1d(items, np.unique(item_features.ids))
    items = [str(i) for i in items]
    selection = (
        None
        if choice
        else select(
            train, user_features, item_features, items, cfg, None, lifecycle_at or lifecycle, blend
        )
    )
    choice = choice or selection.choice
    t_fit = time.perf_counter()
    model = fit_with_choice(train, user_features, item_features, items, choice, cfg, selection)
    refit_seconds = round(time.perf_counter() - t_fit, 2)
    ground = ground_truth(train, test, model.items)
    prefixes = tuple(cfg.segment_prefixes)
    fidx = FeatureIndex(user_features)
    glob = item_popularity(train, model.items)
    life = LifecycleIndex(lifecycle, fidx, item_features, model.items, train=train)
    scorers: dict[str, dict[str, Scorer]] = {
        "": {
            "model": recommender_scorer(model, train, user_features, prefixes),
            "lightfm": model_scorer(model, user_features),
        },
        "baselines": {
            "global_popularity": popularity_scorer(glob),
            "segment_popularity": segment_popularity_scorer(train, model.items, fidx, prefixes),
            "lifecycle_rules": lifecycle_scorer(life, glob=glob),
            "feature_popularity": feature_popularity_scorer(train, model.items, user_features),
        },
    }
    if peers:
        scorers["peers"] = {
            "item_knn": item_knn_scorer(train, model.items),
            "ease": ease_scorer(train, model.items, model.ease),
            "lightfm_defaults": model_scorer(
                _library_defaults(train, items, cfg.threads, cfg.seed), None
            ),
        }
    if blend is not None:
        region = segment_popularity_scorer(train, model.items, fidx, ("region:",))
        served = scorers[""]["model"]
        cold_blend = choice.cold_blend_weights
        cold_params = blend if cold_blend is None else cold_blend.apply(blend)

        def blended(users: np.ndarray) -> np.ndarray:
            cur, nxt = life.matrices(users)
            s, pop = served(users), region(users)
            out = blend_scores(s, cur, pop, blend, nxt)
            cold = model.users.encode(users) < 0
            if cold.any() and cold_params != blend:  # users without history: their weights
                out[cold] = blend_scores(s[cold], cur[cold], pop[cold], cold_params, nxt[cold])
            return out

        scorers[""]["blended"] = blended
    per_user: dict[str, dict[str, np.ndarray]] = {}
    report: dict[str, Any] = {}
    for group, rows in scorers.items():
        for name, fn in rows.items():
            per_user[name] = rank_metrics(fn, ground, k)
            if group:
                report.setdefault(group, {})[name] = summarise(per_user[name])
            else:
                report[name] = summarise(per_user[name])
    report["ci"] = _intervals(per_user, report["baselines"])
    known = model.users.encode(ground.users) >= 0
    report["selection"] = {"choice": choice.as_dict(), "refit_seconds": refit_seconds}
    if selection is not None:
        report["selection"].update(
            validation_ndcg=selection.validation,
            curves=[
                {"feature_set": c.feature_set, "learning_rate": c.learning_rate, "points": c.points}
                for c in selection.curves
            ],
            ease_curve=selection.ease_curve,
            blend_curve=selection.blend_curve,
            seconds=selection.seconds,
        )
    mix = ColdMix(choice.cold_weights, selection.cold.validation if selection else {})
    report["cold_start"] = {**mix.describe(), "n_users": int((~known).sum())}
    cb = selection.cold_blend if selection is not None else choice.cold_blend_weights
    report["cold_start"]["blend"] = None if cb is None else cb.describe()
    if blend is not None:
        report["cold_start"]["blend_used"] = (cb or ColdBlend(*_weights(blend))).name
    report.update(
        n_users=int(len(ground.users)),
        n_items=len(model.items),
        n_train=len(train),
        n_test=len(test),
        seconds=round(time.perf_counter() - started, 3),
    )
    model.metrics = {"k": k, **report["model"]}
    return report, model, per_user


def _weights(p: BlendParams) -> tuple[float, float, float]:
    return (p.w_life, p.w_life_next, p.w_popularity)


def _best_baseline(baselines: dict[str, dict[str, float]]) -> str:
    return max(sorted(baselines), key=lambda b: baselines[b]["precision_at_k"])


def _intervals(per_user: dict[str, dict[str, np.ndarray]], baselines: dict) -> dict[str, Any]:
    best = _best_baseline(baselines)
    return {
        "baseline": best,
        **{
            m: paired_interval(per_user["model"][m] - per_user[best][m], best, m).as_dict()
            for m in PAIRED
        },
    }


def repeated_report(
    inter: Interactions,
    how: str,
    repeats: int,
    test_fraction: float = 0.2,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    cfg: SelectionConfig | None = None,
    peers: bool = True,
) -> dict[str, Any]:
    """``full_report`` over ``repeats`` splits (seeds ``cfg.seed``, +1, …): means, spread
    (standard deviation over runs) and the pooled paired interval."""
    cfg = cfg or SelectionConfig()
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    runs, pooled = [], {}
    for r in range(repeats):
        seed = cfg.seed + r
        train, test = split(inter, how, test_fraction, seed)
        rep, _, per_user = full_report(
            train, test, user_features, item_features, cfg=replace(cfg, seed=seed), peers=peers
        )
        runs.append(rep)
        best = rep["ci"]["baseline"]
        for m in PAIRED:
            pooled.setdefault(m, []).append(per_user["model"][m] - per_user[best][m])
    out: dict[str, Any] = dict(runs[0])
    spread: dict[str, Any] = {}
    for key in ("model", "lightfm", "blended"):
        if key in runs[0]:
            out[key], spread[key] = _mean_sd([r[key] for r in runs])
    for group in ("baselines", "peers"):
        if group in runs[0]:
            out[group], spread[group] = {}, {}
            for name in runs[0][group]:
                out[group][name], spread[group][name] = _mean_sd([r[group][name] for r in runs])
    best = _best_baseline(out["baselines"])
    out["ci"] = {
        "baseline": best,
        "baselines_per_run": [r["ci"]["baseline"] for r in runs],
        **{m: paired_interval(np.concatenate(pooled[m]), best, m).as_dict() for m in PAIRED},
    }
    out["spread"] = spread
    out["repeats"] = repeats
    out["runs"] = [
        {"seed": cfg.seed + i, "model": r["model"], "choice": r["selection"]["choice"]}
        for i, r in enumerate(runs)
    ]
    for key in ("n_users", "n_train", "n_test"):
        out[key] = int(round(np.mean([r[key] for r in runs])))
    out["seconds"] = round(sum(r["seconds"] for r in runs), 3)
    return out


def _mean_sd(rows: list[dict[str, float]]) -> tuple[dict[str, float], dict[str, float]]:
    mean = {m: round(float(np.mean([r[m] for r in rows])), 5) for m in METRICS}
    sd = {
        m: round(float(np.std([r[m] for r in rows], ddof=1)) if len(rows) > 1 else 0.0, 5)
        for m in METRICS
    }
    return mean, sd
