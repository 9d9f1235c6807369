"""What serving needs to score a person without history with the validated cold mix.

The cold mix (``cold.py``) ranks by segment popularity, the model's score from the user's
features, popularity among users sharing a feature and global popularity. The evaluation
computes the popularity parts from the training interactions; serving has none of them, so
``fit_with_choice`` keeps their counts with the model (segments × items, features × items,
per-item totals), and the evaluation and serving compute the parts from them alike
(``cold_choice.cold_parts`` for users of the training data, ``ColdTables.parts`` from one
person's features at serving).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .cold import ColdMix, cold_scores
from .dataset import FeatureTable, IdMap, Interactions
from .evaluate import item_popularity
from .peers import history_matrix


def segment_key(features: Sequence[str], prefixes: Sequence[str]) -> str:
    """The segment of a user with ``features`` (as ``FeatureIndex.segment``)."""
    return "|".join(next((f for f in features if f.startswith(p)), "") for p in prefixes)


def _tie(counts: np.ndarray) -> np.ndarray:
    return counts / (counts.max() + 1.0) * 0.5 if len(counts) else counts


@dataclass
class ColdTables:
    prefixes: tuple[str, ...]
    segments: IdMap
    segment_counts: sp.csr_matrix  # segments × items: positive events
    features: IdMap
    feature_counts: sp.csr_matrix  # features × items: users sharing the feature who used it
    users_per_item: np.ndarray  # distinct users with a positive interaction, per item
    used_per_item: np.ndarray  # the same from the binary history (feature popularity's ties)

    @classmethod
    def build(
        cls,
        train: Interactions,
        items: IdMap,
        user_features: FeatureTable | None,
        prefixes: Sequence[str],
    ) -> ColdTables:
        by_user = user_features.as_mapping() if user_features is not None else {}
        p = train.positives()
        segs = np.array([segment_key(by_user.get(u, []), prefixes) for u in p.user_ids.tolist()])
        smap = IdMap(np.unique(segs).tolist())
        cols = items.encode(p.item_ids)
        keep = cols >= 0
        seg_counts = sp.csr_matrix(
            (np.ones(int(keep.sum()), np.float32), (smap.encode(segs[keep]), cols[keep])),
            shape=(len(smap), len(items)),
        )
        users = IdMap(np.unique(train.user_ids).tolist())
        x = history_matrix(train, users, items)
        if user_features is not None and len(user_features):
            fmap = IdMap(np.unique(user_features.features).tolist())
            rows = users.encode(user_features.ids)
            ok = rows >= 0
            uf = sp.csr_matrix(
                (
                    np.ones(int(ok.sum()), np.float32),
                    (rows[ok], fmap.encode(user_features.features[ok])),
                ),
                shape=(len(users), len(fmap)),
            )
            feat_counts = sp.csr_matrix(uf.T @ x)
        else:
            fmap, feat_counts = IdMap([]), sp.csr_matrix((0, len(items)), dtype=np.float32)
        return cls(
            tuple(prefixes),
            smap,
            seg_counts,
            fmap,
            feat_counts,
            item_popularity(train, items),
            np.asarray(x.sum(axis=0), dtype=np.float64).ravel(),
        )

    def parts_for(
        self, features: Sequence[Sequence[str]], model_rows: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The cold mix's parts (users × items) for users with these ``features`` (one
        list per user) and the model's scores from them (``model_rows``)."""
        n, n_items = len(features), len(self.users_per_item)
        keys = [segment_key(f, self.prefixes) for f in features]
        sidx = np.array(
            [self.segments.get(k) if k.replace("|", "") else -1 for k in keys], dtype=np.int64
        )  # no segment fact known: no segment (global popularity alone)
        seg = np.zeros((n, n_items))
        known = sidx >= 0
        if known.any():
            seg[known] = self.segment_counts[sidx[known]].toarray()
        rows, cols = [], []
        for r, feats in enumerate(features):
            for c in (self.features.get(f) for f in feats):
                if c >= 0:
                    rows.append(r)
                    cols.append(c)
        q = sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(n, len(self.features))
        )
        feat = np.asarray((q @ self.feature_counts).toarray(), dtype=np.float32)
        return {
            "segment": seg + _tie(self.users_per_item)[None, :],
            "model": np.asarray(model_rows, dtype=np.float32),
            "features": feat + _tie(self.used_per_item).astype(np.float32)[None, :],
            "global": np.broadcast_to(self.users_per_item, (n, n_items)),
        }

    def parts(self, features: Sequence[str], model_row: np.ndarray) -> dict[str, np.ndarray]:
        """The cold mix's parts (1 × items each) for one user with ``features``."""
        return self.parts_for([features], np.asarray(model_row)[None, :])

    def score(self, mix: ColdMix, features: Sequence[str], model_row: np.ndarray) -> np.ndarray:
        """The cold mix's score of every item for one user without history."""
        return cold_scores(mix, self.parts(features, model_row))[0]

    # ------------------------------------------------------------------ artefact
    def describe(self) -> dict[str, Any]:
        return {
            "prefixes": list(self.prefixes),
            "segments": list(self.segments.ids),
            "features": list(self.features.ids),
        }

    def to_arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "cold_users_per_item": self.users_per_item,
            "cold_used_per_item": self.used_per_item,
        }
        for name, m in (("seg", self.segment_counts), ("feat", self.feature_counts)):
            m = sp.csr_matrix(m)
            out.update({
                f"cold_{name}_data": m.data, f"cold_{name}_indices": m.indices,
                f"cold_{name}_indptr": m.indptr, f"cold_{name}_shape": np.array(m.shape),
            })  # fmt: skip
        return out

    @classmethod
    def from_arrays(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> ColdTables:
        def mat(name: str) -> sp.csr_matrix:
            return sp.csr_matrix(
                (
                    arrays[f"cold_{name}_data"],
                    arrays[f"cold_{name}_indices"],
                    arrays[f"cold_{name}_indptr"],
                ),
                shape=tuple(int(x) for x in arrays[f"cold_{name}_shape"]),
            )

        return cls(
            tuple(meta["prefixes"]),
            IdMap(list(meta["segments"])),
            mat("seg"),
            IdMap(list(meta["features"])),
            mat("feat"),
            np.asarray(arrays["cold_users_per_item"]),
            np.asarray(arrays["cold_used_per_item"]),
        )
