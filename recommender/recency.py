"""Time in the ranking: recency-weighted history and seasonal popularity.

In a time split (and in production) a user's latest interactions reveal an open need: a
person who has just started on a life event's bundle will use more of it. ``recency_history``
weighs each used item by ``0.5 ** (age / half_life)`` (age: days since the user last used
it, as of a date) instead of 1, as the input of EASE; ``half_life=None`` is the plain binary
history (data without timestamps, e.g. Last.fm, always uses it). Government services are
seasonal (income-tax reconciliation Mar–Jun, residents' medical insurance Sep–Dec):
``seasonal_popularity`` counts the users of each item in the same season a year earlier
(the ``horizon_days`` after the as-of date, one year back), ``recent_popularity`` those of
the last days before it. Both are blend inputs whose weights are chosen on validation.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .dataset import IdMap, Interactions

DAY = 86400.0
YEAR_DAYS = 365.0


def recency_history(
    train: Interactions,
    users: IdMap,
    items: IdMap,
    as_of: float | None = None,
    half_life_days: float | None = None,
) -> sp.csr_matrix:
    """Users × items matrix of positive interactions: 1 each (``half_life_days`` None, or no
    timestamps), else ``0.5 ** (days since the last use before as_of / half_life_days)``
    (uses after ``as_of`` are left out; ``as_of`` defaults to the latest timestamp)."""
    p = train.positives()
    r, c = users.encode(p.user_ids), items.encode(p.item_ids)
    keep = (r >= 0) & (c >= 0)
    shape = (len(users), len(items))
    if half_life_days is None or p.timestamps is None:
        m = sp.csr_matrix((np.ones(int(keep.sum()), np.float32), (r[keep], c[keep])), shape=shape)
        m.sum_duplicates()
        m.data[:] = 1.0
        return m
    if not half_life_days > 0:
        raise ValueError("the half-life must be positive (or None)")
    ts = p.timestamps
    ref = float(ts.max()) if as_of is None else float(as_of)
    keep &= ts <= ref
    r, c, ts = r[keep], c[keep], ts[keep]
    # the latest use of each (user, item): sort by time, keep the last per pair
    order = np.lexsort((ts, c, r))
    r, c, ts = r[order], c[order], ts[order]
    last = np.ones(len(r), bool)
    last[:-1] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    age = np.maximum(ref - ts[last], 0.0) / DAY
    w = np.power(0.5, age / float(half_life_days)).astype(np.float32)
    return sp.csr_matrix((w, (r[last], c[last])), shape=shape)


def window_popularity(train: Interactions, items: IdMap, start: float, end: float) -> np.ndarray:
    """Distinct users with a positive interaction in ``(start, end]`` (unix seconds), per item."""
    p = train.positives()
    out = np.zeros(len(items), np.float64)
    if p.timestamps is None or not len(p):
        return out
    inside = (p.timestamps > start) & (p.timestamps <= end)
    c = items.encode(p.item_ids[inside])
    u = np.unique(p.user_ids[inside], return_inverse=True)[1].reshape(-1)
    ok = c >= 0
    pairs = np.unique(np.stack([u[ok], c[ok]]), axis=1)
    return np.bincount(pairs[1], minlength=len(items)).astype(np.float64)


def seasonal_popularity(
    train: Interactions, items: IdMap, as_of: float, horizon_days: float, years_back: int = 1
) -> np.ndarray:
    """Users per item in the ``horizon_days`` after ``as_of``, ``years_back`` years earlier
    (the coming season as it was last year)."""
    start = float(as_of) - years_back * YEAR_DAYS * DAY
    return window_popularity(train, items, start, start + horizon_days * DAY)


def recent_popularity(train: Interactions, items: IdMap, as_of: float, days: float) -> np.ndarray:
    """Users per item in the ``days`` before ``as_of``."""
    return window_popularity(train, items, float(as_of) - days * DAY, float(as_of))
