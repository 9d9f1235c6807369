"""The LightFM hybrid model, scored with a cached numpy dot product.

Users and items are represented by the weighted sum of their feature embeddings (identity
feature plus metadata features; see ``dataset.feature_matrix`` for the weights). A user unknown at training time (or an item added
to the catalog later) gets a representation from its metadata features alone. Scoring one
user over all items is ``item_bias + item_emb @ user_emb`` with the item side cached after
``fit``/``load`` — no ``predict_rank``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .dataset import (
    ITEM_IDENTITY_PREFIX,
    USER_IDENTITY_PREFIX,
    Dataset,
    FeatureTable,
    IdMap,
    feature_matrix,
)

ARRAYS = (
    "user_embeddings",
    "user_biases",
    "item_feature_embeddings",
    "item_feature_biases",
    "item_embeddings",
    "item_biases",
)
ARTEFACT_FORMAT = "lifepage-recommender"
ARTEFACT_VERSION = 1


def row_weights(has_identity: bool, n_meta: int, metadata_weight: float | None) -> np.ndarray:
    """Weights of one row: identity (if any) first, then ``n_meta`` metadata features."""
    n = int(has_identity) + n_meta
    if metadata_weight is None:
        return np.full(n, 1.0 / max(n, 1), dtype=np.float32)
    meta = np.full(n_meta, float(metadata_weight) / max(n_meta, 1), dtype=np.float32)
    return np.concatenate([np.ones(int(has_identity), np.float32), meta])


class ArtefactError(ValueError):
    """The artefact is missing, of another format or of an unsupported version."""


class HybridModel:
    """A LightFM hybrid (collaborative + content) model with cached item representations."""

    def __init__(
        self,
        components: int = 32,
        loss: str = "warp",
        epochs: int = 12,
        learning_rate: float = 0.1,
        item_alpha: float = 1e-6,
        user_alpha: float = 1e-6,
        threads: int = 1,
        seed: int = 42,
        max_sampled: int = 10,
    ):
        if loss not in ("warp", "bpr", "logistic", "warp-kos"):
            raise ValueError(f"unknown loss {loss!r}")
        self.params: dict[str, Any] = {
            "components": int(components),
            "loss": loss,
            "epochs": int(epochs),
            "learning_rate": float(learning_rate),
            "item_alpha": float(item_alpha),
            "user_alpha": float(user_alpha),
            "threads": int(threads),
            "seed": int(seed),
            "max_sampled": int(max_sampled),
        }
        self._requested_epochs = int(epochs)
        self.metadata: dict[str, Any] = {}
        self.metrics: dict[str, Any] = {}
        self.selection: dict[str, Any] | None = None  # the validated choice (selection.py)
        self.ease: Any = None  # an ``ease.EaseModel`` partner for known users, if any
        self.ease_weight = 0.0
        self.cold_tables: Any = None  # a ``cold_tables.ColdTables`` for users without history
        self.user_metadata_weight: float | None = None
        self.item_metadata_weight: float | None = None
        self._fitted = False

    # ------------------------------------------------------------------ training
    def fit(self, dataset: Dataset, metadata: Mapping[str, Any] | None = None) -> HybridModel:
        from lightfm import LightFM  # imported lazily: serving only needs numpy

        p = self.params
        self._lfm = LightFM(
            no_components=p["components"],
            loss=p["loss"],
            learning_rate=p["learning_rate"],
            item_alpha=p["item_alpha"],
            user_alpha=p["user_alpha"],
            max_sampled=p["max_sampled"],
            random_state=np.random.RandomState(p["seed"]),
        )
        self._seconds = 0.0
        self.params["epochs"] = 0
        return self.fit_more(dataset, self._requested_epochs, metadata)

    def fit_more(
        self, dataset: Dataset, epochs: int, metadata: Mapping[str, Any] | None = None
    ) -> HybridModel:
        """Train ``epochs`` more epochs on the same ``dataset`` (early stopping checks)."""
        lfm = self._lfm
        p = self.params
        started = time.perf_counter()
        sample_weight = None if p["loss"] == "warp-kos" else dataset.weights
        lfm.fit_partial(
            dataset.interactions,
            user_features=dataset.user_features,
            item_features=dataset.item_features,
            sample_weight=sample_weight,
            epochs=int(epochs),
            num_threads=p["threads"],
        )
        self._seconds += time.perf_counter() - started
        p["epochs"] += int(epochs)
        self.users = dataset.users
        self.items = dataset.items
        self.user_vocab = dataset.user_vocab
        self.item_vocab = dataset.item_vocab
        self.user_identity = dataset.user_identity
        self.item_identity = dataset.item_identity
        self.user_metadata_weight = dataset.user_metadata_weight
        self.item_metadata_weight = dataset.item_metadata_weight
        self.user_embeddings = lfm.user_embeddings.astype(np.float32)
        self.user_biases = lfm.user_biases.astype(np.float32)
        self.item_feature_embeddings = lfm.item_embeddings.astype(np.float32)
        self.item_feature_biases = lfm.item_biases.astype(np.float32)
        biases, embeddings = lfm.get_item_representations(dataset.item_features)
        self.item_biases = biases.astype(np.float32)
        self.item_embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        self.metadata = {
            **self.metadata,
            "trained_seconds": round(self._seconds, 3),
            "n_users": dataset.n_users,
            "n_items": dataset.n_items,
            "n_interactions": int(dataset.interactions.nnz),
            **dict(metadata or {}),
        }
        self._fitted = True
        return self

    def snapshot(self) -> HybridModel:
        """A copy for serving (arrays copied, no trainer): e.g. the best early-stopping point."""
        self._check()
        other = copy.copy(self)
        other.__dict__.pop("_lfm", None)
        other.params = dict(self.params)
        other.metadata = dict(self.metadata)
        for name in ARRAYS:
            setattr(other, name, getattr(self, name).copy())
        return other

    def _check(self) -> None:
        if not self._fitted:
            raise RuntimeError("the model is not fitted; call fit() or load()")

    # ------------------------------------------------------------------ items
    @property
    def item_ids(self) -> list[str]:
        self._check()
        return self.items.ids

    def item_representation(self, features: Sequence[str]) -> tuple[float, np.ndarray]:
        """Bias and embedding of an item from its metadata features alone (a cold item)."""
        self._check()
        cols = [self.item_vocab.get(f) for f in dict.fromkeys(features)]
        cols = [c for c in cols if c >= 0]
        if not cols:
            return 0.0, np.zeros(self.item_embeddings.shape[1], dtype=np.float32)
        w = row_weights(False, len(cols), self.item_metadata_weight)
        return (
            float(self.item_feature_biases[cols] @ w),
            w @ self.item_feature_embeddings[cols],
        )

    def add_items(self, features_by_code: Mapping[str, Sequence[str]]) -> None:
        """Give catalog items unknown at training time a representation from their features."""
        self._check()
        new = [c for c in features_by_code if c not in self.items]
        if not new:
            return
        reps = [self.item_representation(features_by_code[c]) for c in new]
        self.items = IdMap(self.items.ids + new)
        self.item_biases = np.concatenate(
            [self.item_biases, np.array([b for b, _ in reps], np.float32)]
        )
        self.item_embeddings = np.ascontiguousarray(
            np.vstack([self.item_embeddings, np.stack([e for _, e in reps])]), dtype=np.float32
        )

    # ------------------------------------------------------------------ users
    def encode_users(
        self,
        user_ids: Sequence[str | None],
        features: FeatureTable | Mapping[str, Sequence[str]] | None,
    ) -> sp.csr_matrix:
        """User feature rows (identity of known users + their known metadata features)."""
        self._check()
        keys = np.array([("" if u is None else str(u)) for u in user_ids], dtype=str)
        if isinstance(features, Mapping):
            features = FeatureTable.from_mapping(
                {k: features.get(k, ()) for k in set(keys.tolist())}
            )
        elif features is None:
            features = FeatureTable.empty()
        uniq, inverse = np.unique(keys, return_inverse=True)
        umap = IdMap(uniq.tolist())
        rows = umap.encode(features.ids) if len(features) else np.zeros(0, np.int64)
        cols = self.user_vocab.encode(features.features) if len(features) else np.zeros(0, np.int64)
        ident = None
        if self.user_identity and len(uniq):
            ident = self.users.encode(uniq)  # identity columns come first in the vocabulary
        mat = feature_matrix(
            len(uniq),
            rows,
            cols,
            features.weights,
            len(self.user_vocab),
            identity=False,
            metadata_weight=self.user_metadata_weight,
            identity_cols=ident,
        )
        return mat[inverse.reshape(-1)]

    def score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores (n_rows × n_items) for encoded user rows."""
        u = rows @ self.user_embeddings
        b = rows @ self.user_biases
        return (u @ self.item_embeddings.T + self.item_biases[None, :] + b[:, None]).astype(
            np.float32
        )

    def score_user(self, user_id: str | None, features: Sequence[str] = ()) -> np.ndarray:
        """Scores of all items (in ``item_ids`` order) for one user; unknown users use features only."""
        self._check()
        ident = -1
        if self.user_identity and user_id is not None:
            ident = self.users.get(str(user_id))
        meta = [c for c in (self.user_vocab.get(f) for f in dict.fromkeys(features)) if c >= 0]
        if ident < 0 and not meta:
            return self.item_biases.copy()
        cols = ([ident] if ident >= 0 else []) + meta
        w = row_weights(ident >= 0, len(meta), self.user_metadata_weight)
        u = w @ self.user_embeddings[cols]
        b = float(self.user_biases[cols] @ w)
        return self.item_embeddings @ u + self.item_biases + np.float32(b)

    def score_items(
        self, user_id: str | None, features: Sequence[str], codes: Sequence[str]
    ) -> np.ndarray:
        """Scores aligned with ``codes``; codes the model does not know get NaN."""
        scores = self.score_user(user_id, features)
        idx = np.array([self.items.get(c) for c in codes], dtype=np.int64)
        out = np.full(len(codes), np.nan, dtype=np.float32)
        out[idx >= 0] = scores[idx[idx >= 0]]
        return out

    # ------------------------------------------------------------------ artefact
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write a versioned artefact directory (``model.npz`` + ``meta.json``) atomically."""
        self._check()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
        n_uid = len(self.users) if self.user_identity else 0
        n_iid = len(self.items) if self.item_identity else 0
        arrays = {name: getattr(self, name) for name in ARRAYS}
        if self.ease is not None:
            arrays.update(self.ease.to_arrays())
        if self.cold_tables is not None:
            arrays.update(self.cold_tables.to_arrays())
        np.savez(tmp / "model.npz", **arrays)
        meta = {
            "format": ARTEFACT_FORMAT,
            "format_version": ARTEFACT_VERSION,
            "params": self.params,
            "user_identity": self.user_identity,
            "item_identity": self.item_identity,
            "users": self.users.ids,
            "items": self.items.ids,
            "user_features": self.user_vocab.ids[n_uid:],
            "item_features": self.item_vocab.ids[n_iid:],
            "n_item_identity": n_iid,
            "user_metadata_weight": self.user_metadata_weight,
            "item_metadata_weight": self.item_metadata_weight,
            "selection": self.selection,
            "ease": None if self.ease is None else self.ease.describe(),
            "ease_weight": self.ease_weight,
            "cold_tables": None if self.cold_tables is None else self.cold_tables.describe(),
            "training": self.metadata,
            "metrics": self.metrics,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> HybridModel:
        base = Path(path)
        try:
            meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
            arrays = np.load(base / "model.npz")
        except (OSError, ValueError) as exc:
            raise ArtefactError(f"cannot read model artefact at {base}: {exc}") from exc
        if meta.get("format") != ARTEFACT_FORMAT or meta.get("format_version") != ARTEFACT_VERSION:
            raise ArtefactError(f"unsupported artefact format at {base}")
        p = meta["params"]
        model = cls(**p)
        model.user_identity = bool(meta["user_identity"])
        model.item_identity = bool(meta["item_identity"])
        model.users = IdMap(meta["users"])
        model.items = IdMap(meta["items"])
        uid = [USER_IDENTITY_PREFIX + u for u in meta["users"]] if model.user_identity else []
        n_iid = int(meta["n_item_identity"])
        iid = [ITEM_IDENTITY_PREFIX + i for i in meta["items"][:n_iid]]
        model.user_vocab = IdMap(uid + meta["user_features"])
        model.item_vocab = IdMap(iid + meta["item_features"])
        with arrays:
            for name in ARRAYS:
                setattr(model, name, arrays[name])
            if meta.get("ease"):
                from .ease import EaseModel

                model.ease = EaseModel.from_arrays(meta["ease"], arrays)
            if meta.get("cold_tables"):
                from .cold_tables import ColdTables

                model.cold_tables = ColdTables.from_arrays(meta["cold_tables"], arrays)
        model.user_metadata_weight = meta.get("user_metadata_weight")
        model.item_metadata_weight = meta.get("item_metadata_weight")
        model.selection = meta.get("selection")
        model.ease_weight = float(meta.get("ease_weight", 0.0))
        model.metadata = meta.get("training", {})
        model.metrics = meta.get("metrics", {})
        model._fitted = True
        return model
