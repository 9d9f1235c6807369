"""Training data: weighted interactions, long-format features and id mappings.

Interaction kinds carry weights: ``view`` 1 < ``pin`` 2 < ``apply`` 3 < ``complete`` 4.
``impression`` carries 0 and is ignored for training. ``dismiss`` is an explicit negative:
the pair is dropped from the positives and the item is never recommended to that user.
Several events of one (user, item) pair collapse into their strongest weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

INTERACTION_WEIGHTS: dict[str, float] = {
    "impression": 0.0,
    "view": 1.0,
    "pin": 2.0,
    "apply": 3.0,
    "complete": 4.0,
    "dismiss": -1.0,
}
KINDS: tuple[str, ...] = tuple(INTERACTION_WEIGHTS)
USER_IDENTITY_PREFIX = "user:"
ITEM_IDENTITY_PREFIX = "item:"


class IdMap:
    """An ordered vocabulary: id ↔ dense index."""

    def __init__(self, ids: Iterable[str]):
        self.ids: list[str] = [str(i) for i in ids]
        self.index: dict[str, int] = {v: i for i, v in enumerate(self.ids)}
        if len(self.index) != len(self.ids):
            raise ValueError("duplicate ids in vocabulary")

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def get(self, key: str, default: int = -1) -> int:
        return self.index.get(key, default)

    def encode(self, values: Sequence[str] | np.ndarray) -> np.ndarray:
        """Indices of ``values`` (-1 for unknown), vectorised over repeated values."""
        arr = np.asarray(values)
        if arr.size == 0:
            return np.zeros(0, dtype=np.int64)
        uniq, inverse = np.unique(arr.astype(str), return_inverse=True)
        codes = np.fromiter((self.index.get(v, -1) for v in uniq.tolist()), np.int64, len(uniq))
        return codes[inverse.reshape(-1)]


@dataclass
class Interactions:
    """Interactions in long format (one row per event)."""

    user_ids: np.ndarray
    item_ids: np.ndarray
    weights: np.ndarray
    timestamps: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.user_ids = np.asarray(self.user_ids).astype(str)
        self.item_ids = np.asarray(self.item_ids).astype(str)
        self.weights = np.asarray(self.weights, dtype=np.float32)
        if self.timestamps is not None:
            self.timestamps = np.asarray(self.timestamps, dtype=np.float64)
        n = len(self.user_ids)
        if len(self.item_ids) != n or len(self.weights) != n:
            raise ValueError("user_ids, item_ids and weights must have the same length")
        if self.timestamps is not None and len(self.timestamps) != n:
            raise ValueError("timestamps must have the same length as user_ids")

    @classmethod
    def from_kinds(
        cls,
        user_ids: Sequence[str] | np.ndarray,
        item_ids: Sequence[str] | np.ndarray,
        kinds: Sequence[str] | np.ndarray,
        timestamps: Sequence[float] | np.ndarray | None = None,
    ) -> Interactions:
        """Interactions from event kinds (``view``, ``pin``, ``apply``, ``complete``, ``dismiss``…)."""
        kinds_arr = np.asarray(kinds).astype(str)
        uniq, inverse = np.unique(kinds_arr, return_inverse=True)
        unknown = [k for k in uniq.tolist() if k not in INTERACTION_WEIGHTS]
        if unknown:
            raise ValueError(f"unknown interaction kind(s): {', '.join(unknown)}")
        table = np.array([INTERACTION_WEIGHTS[k] for k in uniq.tolist()], dtype=np.float32)
        return cls(user_ids, item_ids, table[inverse.reshape(-1)], timestamps)

    def __len__(self) -> int:
        return len(self.user_ids)

    def subset(self, mask: np.ndarray) -> Interactions:
        ts = None if self.timestamps is None else self.timestamps[mask]
        return Interactions(self.user_ids[mask], self.item_ids[mask], self.weights[mask], ts)

    def positives(self) -> Interactions:
        return self.subset(self.weights > 0)

    def dismissals(self) -> Interactions:
        return self.subset(self.weights < 0)


@dataclass
class FeatureTable:
    """Features in long format: one row per (id, feature, weight)."""

    ids: np.ndarray
    features: np.ndarray
    weights: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.ids = np.asarray(self.ids).astype(str)
        self.features = np.asarray(self.features).astype(str)
        if self.weights is None:
            self.weights = np.ones(len(self.ids), dtype=np.float32)
        self.weights = np.asarray(self.weights, dtype=np.float32)
        if not (len(self.ids) == len(self.features) == len(self.weights)):
            raise ValueError("feature table columns must have the same length")

    @classmethod
    def from_mapping(cls, mapping: dict[str, Iterable[str]]) -> FeatureTable:
        ids, feats = [], []
        for key, values in mapping.items():
            for f in values:
                ids.append(key)
                feats.append(f)
        return cls(np.array(ids, dtype=str), np.array(feats, dtype=str))

    @classmethod
    def empty(cls) -> FeatureTable:
        return cls(np.zeros(0, dtype=str), np.zeros(0, dtype=str))

    def __len__(self) -> int:
        return len(self.ids)

    def as_mapping(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for i, f in zip(self.ids.tolist(), self.features.tolist(), strict=True):
            out.setdefault(i, []).append(f)
        return out


def feature_matrix(
    n_rows: int,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    n_cols: int,
    identity: bool,
    metadata_weight: float | None = None,
    identity_cols: np.ndarray | None = None,
) -> sp.csr_matrix:
    """A feature matrix of metadata entries ``(rows, cols, weights)`` plus identities.

    With ``identity`` column ``i`` of row ``i`` is the row's identity; else
    ``identity_cols`` may give each row's identity column (-1: none, e.g. a user unknown at
    training time). ``metadata_weight`` None: the whole row (identity and metadata) is
    normalised to sum 1, so the identity of a row with n metadata features weighs 1/(1+n).
    A number w: the identity weighs 1 and the row's metadata features share the weight w
    (in proportion to their own weights), so for w < 1 identity dominates however many
    metadata features a row has.
    """
    keep = (rows >= 0) & (cols >= 0)
    rows, cols = rows[keep].astype(np.int64), cols[keep].astype(np.int64)
    weights = weights[keep].astype(np.float64)
    if metadata_weight is not None and len(rows):
        sums = np.bincount(rows, weights=weights, minlength=n_rows)
        sums[sums == 0] = 1.0
        weights = weights * float(metadata_weight) / sums[rows]
    if identity:
        identity_cols = np.arange(n_rows)
    if identity_cols is not None:
        has = np.flatnonzero(np.asarray(identity_cols) >= 0)
        rows = np.concatenate([has, rows])
        cols = np.concatenate([np.asarray(identity_cols)[has], cols])
        weights = np.concatenate([np.ones(len(has)), weights])
    mat = sp.csr_matrix(
        (weights.astype(np.float32), (rows, cols)), shape=(n_rows, n_cols), dtype=np.float32
    )
    mat.sum_duplicates()
    if metadata_weight is not None:
        return mat
    sums = np.asarray(mat.sum(axis=1)).ravel()
    sums[sums == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / sums).astype(np.float32) @ mat, dtype=np.float32)


@dataclass
class Dataset:
    """Everything LightFM needs, with the mappings to turn indices back into ids."""

    users: IdMap
    items: IdMap
    user_vocab: IdMap  # feature names; identity features first when user_identity
    item_vocab: IdMap
    interactions: sp.coo_matrix  # binary, n_users × n_items
    weights: sp.coo_matrix  # same pattern, interaction weights
    user_features: sp.csr_matrix
    item_features: sp.csr_matrix
    user_identity: bool = True
    item_identity: bool = True
    dismissed: sp.csr_matrix | None = None
    user_metadata_weight: float | None = None  # see feature_matrix; None: row-normalised
    item_metadata_weight: float | None = None

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_items(self) -> int:
        return len(self.items)


def _vocab(prefix: str, ids: list[str], features: np.ndarray, identity: bool) -> IdMap:
    names = sorted(set(np.unique(features).tolist())) if len(features) else []
    head = [prefix + i for i in ids] if identity else []
    return IdMap(head + names)


def _aggregate(u: np.ndarray, i: np.ndarray, w: np.ndarray, n_items: int):
    """Strongest weight per (user, item) pair; pairs with any dismissal are removed."""
    key = u.astype(np.int64) * n_items + i.astype(np.int64)
    dismissed_keys = np.unique(key[w < 0])
    pos = w > 0
    key, w = key[pos], w[pos]
    if len(dismissed_keys):
        keep = ~np.isin(key, dismissed_keys)
        key, w = key[keep], w[keep]
    order = np.lexsort((w, key))
    key, w = key[order], w[order]
    last = np.ones(len(key), dtype=bool)
    if len(key):
        last[:-1] = key[1:] != key[:-1]
    key, w = key[last], w[last]
    return key // n_items, key % n_items, w, dismissed_keys


def build_dataset(
    interactions: Interactions,
    user_features: FeatureTable | None = None,
    item_features: FeatureTable | None = None,
    users: Sequence[str] | None = None,
    items: Sequence[str] | None = None,
    user_identity: bool = True,
    item_identity: bool = True,
    user_metadata_weight: float | None = None,
    item_metadata_weight: float | None = None,
) -> Dataset:
    """Build the interaction, weight and feature matrices.

    ``users``/``items`` fix the vocabularies (e.g. the whole catalog, so that services
    nobody used yet still get a representation from their features); by default they are
    the ids seen in the interactions and feature tables. Interactions with ids outside a
    given vocabulary are dropped. ``user_metadata_weight``/``item_metadata_weight``: the
    weight metadata features share next to the identity (see ``feature_matrix``).
    """
    user_features = user_features if user_features is not None else FeatureTable.empty()
    item_features = item_features if item_features is not None else FeatureTable.empty()
    if users is None:
        users = np.union1d(np.unique(interactions.user_ids), np.unique(user_features.ids)).tolist()
    if items is None:
        items = np.union1d(np.unique(interactions.item_ids), np.unique(item_features.ids)).tolist()
    umap, imap = IdMap(users), IdMap(items)
    u = umap.encode(interactions.user_ids)
    i = imap.encode(interactions.item_ids)
    known = (u >= 0) & (i >= 0)
    rows, cols, w, dismissed_keys = _aggregate(
        u[known], i[known], interactions.weights[known], len(imap)
    )
    shape = (len(umap), len(imap))
    inter = sp.coo_matrix((np.ones(len(w), dtype=np.float32), (rows, cols)), shape=shape)
    weights = sp.coo_matrix((w.astype(np.float32), (rows, cols)), shape=shape)
    dismissed = sp.csr_matrix(
        (
            np.ones(len(dismissed_keys), dtype=np.float32),
            (dismissed_keys // len(imap), dismissed_keys % len(imap)),
        ),
        shape=shape,
    )

    uf_keep = (
        np.isin(user_features.ids, np.asarray(umap.ids))
        if len(user_features)
        else np.zeros(0, bool)
    )
    if_keep = (
        np.isin(item_features.ids, np.asarray(imap.ids))
        if len(item_features)
        else np.zeros(0, bool)
    )
    uvocab = _vocab(USER_IDENTITY_PREFIX, umap.ids, user_features.features[uf_keep], user_identity)
    ivocab = _vocab(ITEM_IDENTITY_PREFIX, imap.ids, item_features.features[if_keep], item_identity)
    ufm = feature_matrix(
        len(umap),
        umap.encode(user_features.ids),
        uvocab.encode(user_features.features),
        user_features.weights,
        len(uvocab),
        user_identity,
        user_metadata_weight,
    )
    ifm = feature_matrix(
        len(imap),
        imap.encode(item_features.ids),
        ivocab.encode(item_features.features),
        item_features.weights,
        len(ivocab),
        item_identity,
        item_metadata_weight,
    )
    return Dataset(
        users=umap,
        items=imap,
        user_vocab=uvocab,
        item_vocab=ivocab,
        interactions=inter,
        weights=weights,
        user_features=ufm,
        item_features=ifm,
        user_identity=user_identity,
        item_identity=item_identity,
        dismissed=dismissed,
        user_metadata_weight=user_metadata_weight,
        item_metadata_weight=item_metadata_weight,
    )
