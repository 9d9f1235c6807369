"""Scorers to compare against: popularity, segment popularity, the life-cycle signal, the
model, and the model blended with both."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from recommender.blend import BlendParams, blend_scores
from recommender.dataset import FeatureTable, IdMap, Interactions
from recommender.evaluate.metrics import Scorer
from recommender.model import HybridModel


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
    """Popularity within the user's segment (e.g. age band × region), global popularity
    breaking ties; a user with none of the segment's features has no segment: global
    popularity alone."""
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
        keys = [features.segment(u, prefixes) for u in users.tolist()]
        idx = smap.encode(np.array(keys))
        idx[[not k.replace("|", "") for k in keys]] = -1  # no segment known: global popularity
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
