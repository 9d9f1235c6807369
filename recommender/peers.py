"""Reference peers and statistics for evaluation: item-kNN, feature popularity, fast
top-k metrics on dense score matrices and the paired confidence interval."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

from .dataset import FeatureTable, IdMap, Interactions

Scorer = Callable[[np.ndarray], np.ndarray]


def history_matrix(train: Interactions, users: IdMap, items: IdMap) -> sp.csr_matrix:
    """Binary users × items matrix of positive training interactions."""
    p = train.positives()
    r, c = users.encode(p.user_ids), items.encode(p.item_ids)
    keep = (r >= 0) & (c >= 0)
    m = sp.csr_matrix(
        (np.ones(int(keep.sum()), np.float32), (r[keep], c[keep])), shape=(len(users), len(items))
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def rows_for(users: np.ndarray, index: IdMap, history: sp.csr_matrix) -> sp.csr_matrix:
    """History rows of ``users`` (empty rows for users not in ``index``)."""
    idx = index.encode(users)
    out = history[np.maximum(idx, 0)].tocsr()
    if (idx < 0).any():
        out = sp.diags((idx >= 0).astype(np.float32)) @ out
    return sp.csr_matrix(out)


def item_knn_scorer(train: Interactions, items: IdMap) -> Scorer:
    """Item-kNN with cosine similarity over all co-used items (no neighbourhood cut)."""
    users = IdMap(np.unique(train.user_ids).tolist())
    x = history_matrix(train, users, items)
    norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel())
    norms[norms == 0] = 1.0
    xn = x @ sp.diags(1.0 / norms).astype(np.float32)
    sim = sp.csr_matrix(xn.T @ xn)
    sim.setdiag(0.0)
    sim.eliminate_zeros()
    return lambda us: np.asarray((rows_for(us, users, x) @ sim).toarray(), dtype=np.float32)


def ease_scorer(train: Interactions, items: IdMap, ease) -> Scorer:
    users = IdMap(np.unique(train.user_ids).tolist())
    x = history_matrix(train, users, items)
    return lambda us: ease.scores(rows_for(us, users, x))


def feature_popularity_scorer(
    train: Interactions, items: IdMap, user_features: FeatureTable | None
) -> Scorer:
    """Popularity among users sharing a feature with the user (for friend features: what
    the user's friends use), summed over the user's features; global popularity breaks ties."""
    users = IdMap(np.unique(train.user_ids).tolist())
    x = history_matrix(train, users, items)
    glob = np.asarray(x.sum(axis=0)).ravel()
    tie = glob / (glob.max() + 1.0) * 0.5
    if user_features is None or not len(user_features):
        return lambda us: np.broadcast_to(tie, (len(us), len(tie))).astype(np.float32)
    fmap = IdMap(np.unique(user_features.features).tolist())
    f_rows = users.encode(user_features.ids)
    f_cols = fmap.encode(user_features.features)
    keep = f_rows >= 0
    uf = sp.csr_matrix(
        (np.ones(int(keep.sum()), np.float32), (f_rows[keep], f_cols[keep])),
        shape=(len(users), len(fmap)),
    )
    counts = sp.csr_matrix(uf.T @ x)  # features × items
    by_user = user_features.as_mapping()

    def score(us: np.ndarray) -> np.ndarray:
        rows, cols = [], []
        for r, u in enumerate(us.tolist()):
            for f in by_user.get(u, ()):
                rows.append(r)
                cols.append(fmap.index[f])
        q = sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(us), len(fmap))
        )
        return np.asarray((q @ counts).toarray(), dtype=np.float32) + tie[None, :]

    return score


def top_k_metrics(
    scores: np.ndarray, train: sp.csr_matrix, test: sp.csr_matrix, k: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Per-user precision@k and NDCG@k (binary relevance), training items excluded."""
    s = np.array(scores, dtype=np.float32, copy=True)
    s[train.toarray() > 0] = -np.inf
    te = test.toarray() > 0
    kk = min(k, s.shape[1])
    top = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), axis=1), 1)
    hits = np.take_along_axis(te, top, 1) & np.isfinite(np.take_along_axis(s, top, 1))
    disc = 1.0 / np.log2(np.arange(2, kk + 2))
    npos = te.sum(axis=1)
    idcg = np.array([disc[: min(p, kk)].sum() for p in npos])
    idcg[idcg == 0] = 1.0
    return hits.sum(axis=1) / k, (hits * disc).sum(axis=1) / idcg


@dataclass(frozen=True)
class PairedInterval:
    """Mean per-user difference (model − other) of a metric, with a normal 95 % interval."""

    other: str
    metric: str
    mean_difference: float
    low: float
    high: float
    n_users: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def paired_interval(diff: np.ndarray, other: str, metric: str) -> PairedInterval:
    d = np.asarray(diff, dtype=np.float64)
    n = len(d)
    mean = float(d.mean()) if n else 0.0
    half = 1.96 * float(d.std(ddof=1)) / float(np.sqrt(n)) if n > 1 else float("inf")
    return PairedInterval(
        other, metric, round(mean, 5), round(mean - half, 5), round(mean + half, 5), n
    )
