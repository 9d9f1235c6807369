"""Ranking metrics over the users who have test interactions (each user's training items
excluded from the ranking)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.dataset import IdMap, Interactions

METRICS = ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage")
Scorer = Callable[[np.ndarray], np.ndarray]  # user ids (batch) -> scores (batch × n_items)


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
