"""The blend of the served model chosen on time-based validation folds of the training data
(``recommender.evaluate.blend_search``), for the synthetic benchmark.

Folds, both carved from the training period only: (A) its latest 20 %, trained on what came
before; (B) the test period's season one year earlier, trained on what came before it.
For each, the selected choice (LightFM + EASE) is refitted on the fold's training part and
the known users of the fold's validation part (at most ``max_users``) are scored; features
and life-cycle signals are taken as known on the fold's cut date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from recommender.blend import BlendParams, blend_scores
from recommender.dataset import FeatureTable, Interactions
from recommender.ease import partner_blend
from recommender.evaluate import (
    FeatureIndex,
    LifecycleIndex,
    Scorer,
    ground_truth,
    segment_popularity_scorer,
    split,
)
from recommender.evaluate.blend_search import SEARCH_GRID, BlendChoice, BlendInputs, search_blend
from recommender.model import HybridModel
from recommender.recency import recency_history, seasonal_popularity
from recommender.scales import normalize
from recommender.selection import Choice, SelectionConfig, fit_with_choice
from recommender.synthetic import EPISODE_KINDS, EPISODES, SyntheticData

YEAR = 365 * 86400


def day(ts: float) -> dt.date:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date()


def validation_folds(
    train: Interactions, cut: float, end: float
) -> dict[str, tuple[Interactions, Interactions, float]]:
    """(fold training part, fold validation part, fold cut) by fold name."""
    a_tr, a_val = split(train, "time", 0.2)
    ts = train.timestamps
    return {
        "A latest 20 % of training": (a_tr, a_val, float(a_tr.timestamps.max())),
        "B the test season a year earlier": (
            train.subset(ts <= cut - YEAR),
            train.subset((ts > cut - YEAR) & (ts <= end - YEAR)),
            cut - YEAR,
        ),
    }


def fold_inputs(
    data: SyntheticData,
    train: Interactions,
    val: Interactions,
    as_of: float,
    choice: Choice,
    cfg: SelectionConfig,
    max_users: int = 4000,
    grid: dict | None = None,
) -> BlendInputs:
    grid = grid or SEARCH_GRID
    codes = [i.code for i in data.items]
    uf, itf = data.user_features(day(as_of)), data.item_features()
    model = fit_with_choice(train, uf, itf, codes, choice, cfg)
    g = ground_truth(train, val, model.items)
    known = np.flatnonzero(model.users.encode(g.users) >= 0)
    pick = known[np.sort(np.random.default_rng(0).permutation(len(known))[:max_users])]
    users = g.users[pick]
    idx = model.users.encode(users)
    ease = {}
    for h in grid["half_life"]:
        hist = recency_history(train, model.users, model.items, as_of, h)
        ease[h] = model.ease.scores(hist[idx], weighted=True)
    fidx = FeatureIndex(uf)
    life = {}
    for hz in grid["horizon"]:
        table = data.lifecycle(day(as_of), horizon_days=hz)
        life[hz] = LifecycleIndex(table, fidx, itf, model.items, train=train).matrices(users)
    return BlendInputs(
        seen=g.train[pick].toarray() > 0,
        used=g.test[pick].toarray() > 0,
        lightfm=model.score_rows(model.encode_users(users.tolist(), uf)),
        ease=ease,
        life=life,
        popularity=segment_popularity_scorer(train, model.items, fidx, ("region:",))(users),
        seasonal={
            d: seasonal_popularity(train, model.items, as_of, d) for d in grid["season_days"]
        },
    )


def choose_blend(
    data: SyntheticData,
    train: Interactions,
    cut: float,
    end: float,
    choice: Choice,
    cfg: SelectionConfig,
    base: BlendParams,
    max_users: int = 4000,
) -> tuple[BlendChoice, BlendChoice]:
    """(the product's blend measured on the folds, the blend chosen on them)."""
    folds = [
        fold_inputs(data, tr, val, a, choice, cfg, max_users)
        for tr, val, a in validation_folds(train, cut, end).values()
    ]
    start = BlendChoice(base, choice.ease_weight, None, 120)
    measured = search_blend(folds, start, grid={})
    return measured, search_blend(folds, start)


def validated_scorer(
    model: HybridModel,
    served: Scorer,
    train: Interactions,
    user_features: FeatureTable,
    item_features: FeatureTable,
    lifecycle: FeatureTable,
    chosen: BlendChoice,
    as_of: float,
) -> Scorer:
    """The served ranking with the chosen blend: known users get the partner blend (EASE
    input weighted by the chosen half-life) with life-cycle signals, regional and seasonal
    popularity; users without history the served cold mix with the model's cold blend."""
    fidx = FeatureIndex(user_features)
    life = LifecycleIndex(lifecycle, fidx, item_features, model.items, train=train)
    region = segment_popularity_scorer(train, model.items, fidx, ("region:",))
    hist = recency_history(train, model.users, model.items, as_of, chosen.half_life)
    season = normalize(seasonal_popularity(train, model.items, as_of, chosen.season_days), "log")
    cold_blend = Choice.from_dict(model.selection["choice"]).cold_blend_weights
    cold_params = chosen.params if cold_blend is None else cold_blend.apply(chosen.params)

    def score(users: np.ndarray) -> np.ndarray:
        idx = model.users.encode(users)
        known = idx >= 0
        s = np.array(served(users), dtype=np.float32)
        if known.any():
            lfm = model.score_rows(model.encode_users(users[known].tolist(), user_features))
            ease = model.ease.scores(hist[idx[known]], weighted=True)
            s[known] = partner_blend(lfm, ease, chosen.ease_weight)
        cur, nxt = life.matrices(users)
        pop = region(users)
        out = blend_scores(s, cur, pop, chosen.params, nxt)
        if chosen.w_season:
            out[known] += np.float32(chosen.w_season) * season[None, :]
        if (~known).any():
            cold = ~known
            out[cold] = blend_scores(s[cold], cur[cold], pop[cold], cold_params, nxt[cold])
        return out

    return score


def test_event_kinds(data: SyntheticData, cut: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The test events (indices, dismissals left out) and what drove each: a need window
    that opens after the cut but was predictable (upcoming), one open and known at the cut,
    one open but not yet known, an unpredictable new window, or everyday use (no window)."""
    p, ep = data.population, data.episode
    if p is None or ep is None:
        return None
    test = np.flatnonzero((data.timestamps > cut) & (data.kinds != 5))
    a = (cut - dt.datetime.combine(p.today, dt.time(), tzinfo=dt.UTC).timestamp()) / 86400
    pred = np.array([EPISODES[kk][3] for kk in EPISODE_KINDS])[p.ep_kind]
    e = ep[test]
    safe = np.maximum(e, 0)
    new = p.ep_start[safe] > a
    kind = np.where(
        e < 0,
        "everyday use",
        np.where(
            new,
            np.where(pred[safe], "upcoming, predictable", "new, unpredictable"),
            np.where(pred[safe] | (p.ep_date[safe] <= a), "open and known", "open, not yet known"),
        ),
    )
    return test, kind


def found_by_kind(
    data: SyntheticData, cut: float, scorer: Scorer, g, item_ids: list[str], k: int = 10
) -> str:
    """Which test (user, service) pairs the ranking puts in the top k, by what drove the
    pair's first test event (``test_event_kinds``)."""
    kinds = test_event_kinds(data, cut)
    if kinds is None:
        return ""
    test, kind = kinds
    uids = np.array([u.id for u in data.users])[data.user_index[test]]
    iids = np.array([it.code for it in data.items])[data.item_index[test]]
    first: dict[tuple[str, str], str] = {}
    for key in zip(uids.tolist(), iids.tolist(), kind.tolist(), strict=True):
        first.setdefault(key[:2], key[2])
    totals: dict[str, list[int]] = {}
    for start in range(0, len(g.users), 1024):
        users = g.users[start : start + 1024]
        s = np.array(scorer(users), dtype=np.float64)
        s[g.train[start : start + 1024].toarray() > 0] = -np.inf
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        te = g.test[start : start + 1024].tocsr()
        for r, u in enumerate(users.tolist()):
            shown = set(top[r].tolist())
            for j in te[r].indices.tolist():
                kk = first.get((u, item_ids[j]), "everyday use")
                t = totals.setdefault(kk, [0, 0])
                t[0] += 1
                t[1] += j in shown
    n = sum(t[0] for t in totals.values())
    return "; ".join(
        f"{kk}: {t[0] / n:.0%} of test pairs, {t[1] / t[0]:.0%} of them in the top {k}"
        for kk, t in sorted(totals.items(), key=lambda x: -x[1][0])
    )
