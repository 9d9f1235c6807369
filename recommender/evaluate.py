"""Offline evaluation: splits, ranking metrics, baselines and per-segment breakdown.

Metrics are computed over the users who have test interactions; each user's training
items are excluded from the ranking (and test pairs already seen in training are dropped,
as they could never be recommended). Held-out users of a user split are scored from their
features alone (cold start).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .blend import BlendParams, blend_scores, normalize
from .dataset import FeatureTable, IdMap, Interactions, build_dataset
from .model import HybridModel

METRICS = ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage")
Scorer = Callable[[np.ndarray], np.ndarray]  # user ids (batch) -> scores (batch × n_items)


# ---------------------------------------------------------------------- splits
def split_time(
    inter: Interactions, test_fraction: float = 0.2
) -> tuple[Interactions, Interactions]:
    """The latest ``test_fraction`` of events (by timestamp) form the test set."""
    if inter.timestamps is None:
        raise ValueError("a time split needs timestamps")
    cutoff = time_cutoff(inter, test_fraction)
    test = inter.timestamps > cutoff
    return inter.subset(~test), inter.subset(test)


def time_cutoff(inter: Interactions, test_fraction: float = 0.2) -> float:
    """The timestamp after which the latest ``test_fraction`` of events lie (the split point)."""
    if inter.timestamps is None:
        raise ValueError("a time split needs timestamps")
    _check_fraction(test_fraction)
    return float(np.quantile(inter.timestamps, 1.0 - test_fraction))


def split_random(
    inter: Interactions, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Interactions, Interactions]:
    _check_fraction(test_fraction)
    test = np.random.default_rng(seed).random(len(inter)) < test_fraction
    return inter.subset(~test), inter.subset(test)


def split_users(
    inter: Interactions, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Interactions, Interactions]:
    """All events of a random ``test_fraction`` of users are held out (cold-start users)."""
    _check_fraction(test_fraction)
    users = np.unique(inter.user_ids)
    held = users[np.random.default_rng(seed).random(len(users)) < test_fraction]
    test = np.isin(inter.user_ids, held)
    return inter.subset(~test), inter.subset(test)


def split(inter: Interactions, how: str, test_fraction: float = 0.2, seed: int = 0):
    if how == "time":
        return split_time(inter, test_fraction)
    if how == "random":
        return split_random(inter, test_fraction, seed)
    if how == "users":
        return split_users(inter, test_fraction, seed)
    raise ValueError(f"unknown split {how!r} (time, random or users)")


def _check_fraction(f: float) -> None:
    if not 0.0 < f < 1.0:
        raise ValueError("test fraction must be between 0 and 1")


# ---------------------------------------------------------------------- metrics
@dataclass
class Ground:
    users: np.ndarray  # evaluated user ids
    train: sp.csr_matrix  # evaluated users × items, training positives
    test: sp.csr_matrix  # evaluated users × items, test positives not in train


def ground_truth(train: Interactions, test: Interactions, items: IdMap) -> Ground:
    pos_test = test.positives()
    users = np.unique(pos_test.user_ids)
    umap = IdMap(users.tolist())

    def mat(inter: Interactions) -> sp.csr_matrix:
        p = inter.positives()
        r, c = umap.encode(p.user_ids), items.encode(p.item_ids)
        keep = (r >= 0) & (c >= 0)
        m = sp.csr_matrix(
            (np.ones(keep.sum(), np.float32), (r[keep], c[keep])), shape=(len(umap), len(items))
        )
        m.data[:] = 1.0
        m.sum_duplicates()
        m.data[:] = 1.0
        return m

    tr, te = mat(train), mat(test)
    dis = train.dismissals()
    if len(dis):
        # a dismissed service is never recommended again: out of the ranking like the positives
        tr = mat(Interactions(dis.user_ids, dis.item_ids, -dis.weights)) + tr
        tr.data[:] = 1.0
    te = te - te.multiply(tr)
    te.eliminate_zeros()
    has = np.asarray(te.sum(axis=1)).ravel() > 0
    return Ground(users[has], tr[has], te[has])


def rank_metrics(
    scores_fn: Scorer, ground: Ground, k: int = 10, batch: int = 1024
) -> dict[str, np.ndarray]:
    """Per-user precision/recall/NDCG@k and AUC, plus the set of recommended items."""
    n = len(ground.users)
    out = {m: np.zeros(n) for m in ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc")}
    n_items = ground.train.shape[1]
    shown = np.zeros(n_items, dtype=bool)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for start in range(0, n, batch):
        stop = min(start + batch, n)
        s = np.array(scores_fn(ground.users[start:stop]), dtype=np.float64, copy=True)
        tr = ground.train[start:stop].toarray() > 0
        te = ground.test[start:stop].toarray() > 0
        s[tr] = -np.inf
        kk = min(k, n_items)
        top = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), axis=1), 1)
        valid = np.isfinite(np.take_along_axis(s, top, 1))
        hits = np.take_along_axis(te, top, 1) & valid
        shown[top[valid]] = True
        npos = te.sum(axis=1)
        out["precision_at_k"][start:stop] = hits.sum(axis=1) / k
        out["recall_at_k"][start:stop] = hits.sum(axis=1) / npos
        dcg = (hits * discounts[:kk]).sum(axis=1)
        idcg = np.array([discounts[: min(p, kk)].sum() for p in npos])
        out["ndcg_at_k"][start:stop] = dcg / idcg
        # AUC over (test positive, negative) pairs, ties counting one half; the excluded
        # training items sort first (-inf) and are not negatives
        ntrain = tr.sum(axis=1)
        nneg = n_items - ntrain - npos
        srt = np.sort(s, axis=1)
        auc = np.full(stop - start, 0.5)
        for r in np.flatnonzero(nneg > 0):
            x = s[r, te[r]]
            below = np.searchsorted(srt[r], x, "left") - ntrain[r]
            ties = np.searchsorted(srt[r], x, "right") - ntrain[r] - below
            xs = np.sort(x)
            pos_below = np.searchsorted(xs, x, "left")
            pos_ties = np.searchsorted(xs, x, "right") - pos_below
            wins = (below - pos_below).sum() + 0.5 * (ties - pos_ties).sum()
            auc[r] = wins / (npos[r] * nneg[r])
        out["auc"][start:stop] = auc
    out["_shown"] = shown
    return out


def summarise(per_user: dict[str, np.ndarray], mask: np.ndarray | None = None) -> dict[str, float]:
    res = {}
    for m in ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc"):
        v = per_user[m] if mask is None else per_user[m][mask]
        res[m] = round(float(v.mean()), 5) if len(v) else 0.0
    res["coverage"] = round(float(per_user["_shown"].mean()), 5)
    return res


# ---------------------------------------------------------------------- baselines
class FeatureIndex:
    """User features by id, for segment keys and stage matching."""

    def __init__(self, table: FeatureTable | None):
        self.by_user: dict[str, list[str]] = table.as_mapping() if table is not None else {}

    def segment(self, user: str, prefixes: Sequence[str]) -> str:
        feats = self.by_user.get(user, [])
        return "|".join(next((f for f in feats if f.startswith(p)), "") for p in prefixes)


def item_popularity(train: Interactions, items: IdMap) -> np.ndarray:
    """Number of distinct users with a positive interaction, per item."""
    p = train.positives()
    c = items.encode(p.item_ids)
    key = np.unique(
        np.stack([np.unique(p.user_ids, return_inverse=True)[1].reshape(-1), c]), axis=1
    )
    key = key[:, key[1] >= 0]
    return np.bincount(key[1], minlength=len(items)).astype(np.float64)


def popularity_scorer(pop: np.ndarray) -> Scorer:
    return lambda users: np.broadcast_to(pop, (len(users), len(pop)))


def segment_popularity_scorer(
    train: Interactions,
    items: IdMap,
    features: FeatureIndex,
    prefixes: Sequence[str] = ("age:", "region:"),
) -> Scorer:
    """Popularity within the user's segment (e.g. age band × region), global popularity breaking ties."""
    glob = item_popularity(train, items)
    p = train.positives()
    seg_of_user = {u: features.segment(u, prefixes) for u in np.unique(p.user_ids).tolist()}
    segs = np.array([seg_of_user[u] for u in p.user_ids.tolist()])
    smap = IdMap(np.unique(segs).tolist())
    mat = sp.csr_matrix(
        (np.ones(len(segs)), (smap.encode(segs), items.encode(p.item_ids))),
        shape=(len(smap), len(items)),
    ).toarray()
    tie = glob / (glob.max() + 1.0) * 0.5

    def score(users: np.ndarray) -> np.ndarray:
        idx = smap.encode(np.array([features.segment(u, prefixes) for u in users.tolist()]))
        out = np.where(idx[:, None] >= 0, mat[np.maximum(idx, 0)], 0.0)
        return out + tie[None, :]

    return score


class LifecycleIndex:
    """Life-cycle signals per user, as service strengths (users × items), current and next.

    ``table`` rows are ``(user, "current:EVENT" | "next:EVENT", strength)``: what the
    life-cycle module knows on the reference date (events now, upcoming events). Without a
    table, the users' ``stage:X`` features serve as current signals of strength 1. A
    signalled event lifts its services (items with ``life_event:EVENT``); with ``train``,
    each service by how much the event's users used it (``0.2 + 0.8·count/max``: the
    event's bundle), as the catalog's bundles put their main services first.
    """

    def __init__(
        self,
        table: FeatureTable | None,
        features: FeatureIndex,
        item_features: FeatureTable | None,
        items: IdMap,
        train: Interactions | None = None,
    ):
        self.items = items
        if item_features is not None and len(item_features):
            ev = np.char.startswith(item_features.features, "life_event:")
        else:
            ev = np.zeros(0, bool)
        names = np.char.replace(item_features.features[ev], "life_event:", "") if ev.any() else []
        self.events = IdMap(np.unique(names).tolist() if len(names) else [])
        if ev.any():
            r, c = items.encode(item_features.ids[ev]), self.events.encode(names)
            keep = (r >= 0) & (c >= 0)
            member = sp.csr_matrix(
                (np.ones(int(keep.sum()), np.float32), (r[keep], c[keep])),
                shape=(len(items), len(self.events)),
            )
            member.data[:] = 1.0
        else:
            member = sp.csr_matrix((len(items), 0), dtype=np.float32)
        self.member = member
        # users × events, current and next
        if table is not None and len(table):
            ids, feats, w = table.ids, table.features, table.weights
        else:
            ids = np.array(
                [u for u, fs in features.by_user.items() for f in fs if f.startswith("stage:")]
            )
            feats = np.array(
                [
                    f.replace("stage:", "current:", 1)
                    for fs in features.by_user.values()
                    for f in fs
                    if f.startswith("stage:")
                ]
            )
            w = np.ones(len(ids), np.float32)
        self.users = IdMap(np.unique(ids).tolist() if len(ids) else [])
        self.phase: dict[str, sp.csr_matrix] = {}
        for phase in ("current:", "next:"):
            sel = np.char.startswith(feats.astype(str), phase) if len(feats) else np.zeros(0, bool)
            r = self.users.encode(ids[sel])
            c = self.events.encode([f[len(phase) :] for f in feats[sel].tolist()])
            keep = (r >= 0) & (c >= 0)
            m = sp.csr_matrix(
                (np.asarray(w)[sel][keep].astype(np.float32), (r[keep], c[keep])),
                shape=(len(self.users), len(self.events)),
            )
            m.sum_duplicates()
            m.data = np.minimum(m.data, 1.0)
            self.phase[phase] = m
        self.bundle = self._bundles(train) if train is not None else member

    def _bundles(self, train: Interactions) -> sp.csr_matrix:
        if not len(self.events) or not len(self.users):
            return self.member
        p = train.positives()
        r, c = self.users.encode(p.user_ids), self.items.encode(p.item_ids)
        keep = (r >= 0) & (c >= 0)
        pairs = np.unique(np.stack([r[keep], c[keep]]), axis=1)
        ui = sp.csr_matrix(
            (np.ones(pairs.shape[1], np.float32), (pairs[0], pairs[1])),
            shape=(len(self.users), len(self.items)),
        )
        had = self.phase["current:"].copy()
        had.data[:] = 1.0
        counts = (ui.T @ had).toarray()  # items × events: users of the event who used the item
        member = self.member.toarray() > 0
        counts = np.where(member, counts, 0.0)
        top = counts.max(axis=0, keepdims=True)
        top[top <= 0] = 1.0
        return sp.csr_matrix(np.where(member, 0.2 + 0.8 * counts / top, 0.0).astype(np.float32))

    def matrices(self, users: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(current, next) strengths (0–1) of every item for ``users``; 0 where no signal."""
        idx = self.users.encode(users)
        known = idx >= 0
        out = []
        for phase in ("current:", "next:"):
            m = np.zeros((len(users), len(self.items)), np.float32)
            if known.any() and len(self.events):
                rows = self.phase[phase][idx[known]]
                m[known] = np.minimum((rows @ self.bundle.T).toarray(), 1.0)
            out.append(m)
        return out[0], out[1]


def lifecycle_scorer(
    life: LifecycleIndex | FeatureIndex,
    item_features: FeatureTable | None = None,
    items: IdMap | None = None,
    glob: np.ndarray | None = None,
) -> Scorer:
    """'Life-cycle rules only': services of current life events, then of upcoming ones
    (by strength), then popularity."""
    if isinstance(life, FeatureIndex):
        if items is None or glob is None:
            raise ValueError("items and glob are needed with a FeatureIndex")
        life = LifecycleIndex(None, life, item_features, items)
    if glob is None:
        raise ValueError("glob (item popularity) is needed")
    tie = glob / (glob.max() + 1.0) * 0.25

    def score(users: np.ndarray) -> np.ndarray:
        cur, nxt = life.matrices(users)
        return cur + 0.5 * nxt + tie[None, :]

    return score


def model_scorer(model: HybridModel, user_features: FeatureTable | None) -> Scorer:
    return lambda users: model.score_rows(model.encode_users(users.tolist(), user_features))


def blended_scorer(
    model: HybridModel,
    user_features: FeatureTable | None,
    features: FeatureIndex,
    item_features: FeatureTable | None,
    region_pop: Scorer,
    params: BlendParams,
    lifecycle: LifecycleIndex | None = None,
) -> Scorer:
    """The serving blend without admin rules: model + life-cycle signals + regional popularity."""
    life_index = lifecycle or LifecycleIndex(None, features, item_features, model.items)

    def score(users: np.ndarray) -> np.ndarray:
        m = model.score_rows(model.encode_users(users.tolist(), user_features))
        cur, nxt = life_index.matrices(users)
        return blend_scores(m, cur, region_pop(users), params, nxt)

    return score


# ---------------------------------------------------------------------- entry point
def run_evaluation(
    train: Interactions,
    test: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    items: Sequence[str] | None = None,
    k: int = 10,
    model: HybridModel | None = None,
    baselines: bool = True,
    blend: BlendParams | None = None,
    segment_prefixes: Sequence[str] = ("age:", "region:"),
    breakdown_prefix: str | None = None,
    lifecycle: FeatureTable | None = None,
    fit: bool = True,
) -> tuple[dict[str, Any], HybridModel]:
    """Fit ``model`` (default ``HybridModel()``) on ``train`` and measure it and the baselines on ``test``.

    ``user_features`` and ``lifecycle`` (rows ``user, current:EVENT|next:EVENT, strength``)
    describe the users as known when the test period starts; the blend and the
    life-cycle baseline use ``lifecycle`` (default: the ``stage:`` features as current
    events). With ``fit=False`` an already fitted ``model`` is evaluated as it is.
    Returns the report (``{"model", "baselines", "blended"?, "segments"?, "n_users",
    "n_items", "n_train", "n_test", "seconds"}``) and the fitted model.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    started = time.perf_counter()
    if items is None:
        items = np.union1d(np.unique(train.item_ids), np.unique(test.item_ids)).tolist()
        if item_features is not None:
            items = np.union1d(items, np.unique(item_features.ids)).tolist()
    train_users = np.unique(train.user_ids).tolist()
    if user_features is not None and len(user_features):
        # known users: those with training data; held-out users stay cold
        keep = np.isin(user_features.ids, np.asarray(train_users))
        train_uf = FeatureTable(
            user_features.ids[keep], user_features.features[keep], user_features.weights[keep]
        )
    else:
        train_uf = None
    model = model or HybridModel()
    if fit:
        model.fit(build_dataset(train, train_uf, item_features, users=train_users, items=items))
    ground = ground_truth(train, test, model.items)
    report: dict[str, Any] = {}
    per_model = rank_metrics(model_scorer(model, user_features), ground, k)
    report["model"] = summarise(per_model)
    fidx = FeatureIndex(user_features)
    life = LifecycleIndex(lifecycle, fidx, item_features, model.items, train=train)
    if baselines:
        glob = item_popularity(train, model.items)
        report["baselines"] = {
            "global_popularity": summarise(rank_metrics(popularity_scorer(glob), ground, k)),
            "segment_popularity": summarise(
                rank_metrics(
                    segment_popularity_scorer(train, model.items, fidx, segment_prefixes), ground, k
                )
            ),
            "lifecycle_rules": summarise(
                rank_metrics(lifecycle_scorer(life, glob=glob), ground, k)
            ),
        }
    if blend is not None:
        region_pop = segment_popularity_scorer(train, model.items, fidx, ("region:",))
        report["blended"] = summarise(
            rank_metrics(
                blended_scorer(model, user_features, fidx, item_features, region_pop, blend, life),
                ground,
                k,
            )
        )
    if breakdown_prefix:
        labels = np.array(
            [fidx.segment(u, (breakdown_prefix,)) or "(none)" for u in ground.users.tolist()]
        )
        report["segments"] = {
            lab: {**summarise(per_model, labels == lab), "n_users": int((labels == lab).sum())}
            for lab in np.unique(labels).tolist()
        }
    report.update(
        n_users=int(len(ground.users)),
        n_items=len(model.items),
        n_train=len(train),
        n_test=len(test),
        seconds=round(time.perf_counter() - started, 3),
    )
    model.metrics = {"k": k, **report["model"]}
    return report, model


# ---------------------------------------------------------------------- tuning
BLEND_GRID: dict[str, tuple[Any, ...]] = {
    "normalization": ("minmax", "rank", "zscore"),
    "w_life": (0.0, 0.2, 0.35, 0.5, 0.75),
    "w_life_next": (0.0, 0.1, 0.2, 0.35, 0.5),
    "w_popularity": (0.0, 0.1, 0.2, 0.4),
    "pop_normalization": ("minmax", "log"),
}


def tune_blend(
    model: HybridModel,
    train: Interactions,
    validation: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    lifecycle: FeatureTable | Mapping[str, FeatureTable] | None = None,
    k: int = 10,
    metric: str = "ndcg_at_k",
    grid: dict[str, Sequence[Any]] | None = None,
    max_users: int = 5000,
    seed: int = 0,
    segment_prefixes: Sequence[str] = ("age:", "region:"),
) -> tuple[BlendParams, list[dict[str, Any]]]:
    """Grid-search the blend weights on a validation split (never the test split).

    ``model`` is fitted on ``train``; ``validation`` holds the later (or held-out users')
    interactions; features and ``lifecycle`` describe the users as known when the
    validation period starts. Up to ``max_users`` validation users are sampled. Returns the
    best ``BlendParams`` (by ``metric``: ``ndcg_at_k`` or ``precision_at_k``) and every
    grid point with its precision and NDCG, best first; the raw model and the segment
    popularity are listed as ``{"baseline": ...}`` rows. ``lifecycle`` may map labels to
    alternative signal tables (e.g. horizons of upcoming events): each is tried, and every
    result names its ``lifecycle`` label.
    """
    grid = {**BLEND_GRID, **(grid or {})}
    ground = ground_truth(train, validation, model.items)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.permutation(len(ground.users))[:max_users])
    users = ground.users[pick]
    tr = ground.train[pick].toarray() > 0
    te = ground.test[pick].toarray() > 0
    fidx = FeatureIndex(user_features)
    tables = lifecycle if isinstance(lifecycle, Mapping) else {"": lifecycle}
    signals = {
        label: LifecycleIndex(table, fidx, item_features, model.items, train=train).matrices(users)
        for label, table in tables.items()
    }
    raw = model_scorer(model, user_features)(users)
    pop = segment_popularity_scorer(train, model.items, fidx, ("region:",))(users)
    seg = segment_popularity_scorer(train, model.items, fidx, segment_prefixes)(users)
    npos = te.sum(axis=1)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    idcg = np.array([discounts[: min(p, k)].sum() for p in npos])

    def measure(s: np.ndarray) -> dict[str, float]:
        s = np.where(tr, -np.inf, s)
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), axis=1), 1)
        hits = np.take_along_axis(te, top, 1)
        return {
            "precision_at_k": round(float((hits.sum(axis=1) / k).mean()), 5),
            "ndcg_at_k": round(float(((hits * discounts).sum(axis=1) / idcg).mean()), 5),
        }

    results: list[dict[str, Any]] = [
        {"baseline": "model", **measure(raw)},
        {"baseline": "segment_popularity", **measure(seg)},
    ]
    norm_model = {h: normalize(raw, h) for h in grid["normalization"]}
    norm_pop = {h: normalize(pop, h) for h in grid["pop_normalization"]}
    combos = [
        (label, h, ph, wl, wn)
        for label in signals
        for h in grid["normalization"]
        for ph in grid["pop_normalization"]
        for wl in grid["w_life"]
        for wn in grid["w_life_next"]
    ]
    for label, h, ph, wl, wn in combos:
        cur, nxt = signals[label]
        if wn == 0 and label != next(iter(signals)):
            continue  # the upcoming-event table does not matter without its weight
        base = norm_model[h] + wl * cur + wn * nxt
        for wp in grid["w_popularity"]:
            if wp == 0 and ph != grid["pop_normalization"][0]:
                continue
            s = base + wp * norm_pop[ph] if wp else base
            params = {
                "normalization": h,
                "pop_normalization": ph,
                "w_life": wl,
                "w_life_next": wn,
                "w_popularity": wp,
            }
            results.append({"params": params, "lifecycle": label, **measure(s)})
    tuned = [r for r in results if "params" in r]
    tuned.sort(key=lambda r: -r[metric])
    best = BlendParams(w_model=1.0, **tuned[0]["params"])
    return best, results[:2] + tuned
