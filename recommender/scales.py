"""Putting scores on a common scale, per row (users): min-max, percentile rank, z-score
and log-scaled min-max (``BlendParams.normalization``/``pop_normalization``)."""

from __future__ import annotations

import numpy as np

NORMALIZATIONS = ("minmax", "rank", "zscore", "log")


def normalize(scores: np.ndarray, how: str = "minmax") -> np.ndarray:
    """Per row over finite values: ``minmax`` to [0, 1], ``rank`` to percentile ranks in
    [0, 1], ``zscore`` to standard scores, ``log`` min-max of log(1 + max(x, 0)).
    NaN (and constant rows) become 0."""
    if how == "rank":
        return _rank(scores)
    if how == "zscore":
        return _zscore(scores)
    if how == "log":
        scores = np.log1p(np.maximum(np.asarray(scores, dtype=np.float32), 0.0))
    s = np.asarray(scores, dtype=np.float32)
    two_d = s.ndim == 2
    s = s if two_d else s[None, :]
    finite = np.isfinite(s)
    lo = np.where(finite, s, np.inf).min(axis=1, keepdims=True)
    hi = np.where(finite, s, -np.inf).max(axis=1, keepdims=True)
    span = hi - lo
    span[~np.isfinite(span) | (span <= 0)] = np.inf
    out = np.where(finite, (s - np.where(np.isfinite(lo), lo, 0)) / span, 0.0).astype(np.float32)
    return out if two_d else out[0]


def _rows(scores: np.ndarray) -> tuple[np.ndarray, bool]:
    s = np.asarray(scores, dtype=np.float32)
    return (s, True) if s.ndim == 2 else (s[None, :], False)


def _rank(scores: np.ndarray) -> np.ndarray:
    s, two_d = _rows(scores)
    finite = np.isfinite(s)
    filled = np.where(finite, s, -np.inf)
    order = np.argsort(filled, axis=1, kind="stable")
    ranks = np.empty(s.shape, dtype=np.float32)
    np.put_along_axis(ranks, order, np.arange(s.shape[1], dtype=np.float32)[None, :], axis=1)
    n_nan = (~finite).sum(axis=1, keepdims=True)
    span = np.maximum(s.shape[1] - n_nan - 1, 1).astype(np.float32)
    out = np.where(finite, (ranks - n_nan) / span, 0.0).astype(np.float32)
    return out if two_d else out[0]


def _zscore(scores: np.ndarray) -> np.ndarray:
    s, two_d = _rows(scores)
    finite = np.isfinite(s)
    n = np.maximum(finite.sum(axis=1, keepdims=True), 1)
    mean = np.where(finite, s, 0.0).sum(axis=1, keepdims=True) / n
    var = np.where(finite, (s - mean) ** 2, 0.0).sum(axis=1, keepdims=True) / n
    sd = np.sqrt(var)
    sd[sd <= 0] = np.inf
    out = np.where(finite, (s - mean) / sd, 0.0).astype(np.float32)
    return out if two_d else out[0]
