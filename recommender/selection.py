"""Validation-driven training: the model chooses its own settings on the data it is given.

Part of the *training* interactions is held out: a share of the users whole (cold
validation) and a share of the remaining events (known-user validation). On the rest a
small grid is trained — feature sets (identity only; + item metadata; + item metadata at a
lower weight; + user and item metadata at a lower weight) × learning rates — each with
early stopping on validation NDCG@k, checked at increasing epoch counts and stopped after
``patience`` checks without gain. On the same split: EASE's λ, the weight of EASE in the
blend for known users (0 allowed), the cold-user mix and, given life-cycle signals, the
cold users' own blend weights (``cold_choice``). ``fit_with_choice`` then refits on
all training data with the choice; the choice, the validation curves and the time taken go
into the model artefact. At production size the selection runs on a user sample (weekly)
and nightly refits reuse its ``Choice``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .blend import BlendParams
from .cold import ColdBlend, ColdMix
from .cold_choice import LifecycleAt, choose_cold, new_at_cut
from .cold_tables import ColdTables
from .dataset import Dataset, FeatureTable, IdMap, Interactions, build_dataset
from .ease import EaseModel, closed_form, gram, partner_blend
from .evaluate import Ground, ground_truth
from .model import HybridModel
from .peers import history_matrix, rows_for, top_k_metrics


@dataclass(frozen=True)
class FeatureSet:
    """Which metadata is used and its weight next to the identity (None: not used)."""

    name: str
    user_weight: float | None = None
    item_weight: float | None = None


FEATURE_SETS: tuple[FeatureSet, ...] = (
    FeatureSet("identity"),
    FeatureSet("item_metadata", None, 1.0),
    FeatureSet("item_metadata_low", None, 0.2),
    FeatureSet("all_metadata_low", 0.2, 0.2),
)


@dataclass(frozen=True)
class SelectionConfig:
    feature_sets: tuple[FeatureSet, ...] = FEATURE_SETS
    learning_rates: tuple[float, ...] = (0.05, 0.1)
    checkpoints: tuple[int, ...] = (5, 10, 20, 30, 45, 60, 80, 100)
    patience: int = 2
    validation_fraction: float = 0.15
    cold_fraction: float = 0.1
    cold_cut_fraction: float = 0.2  # the new-at-the-cut fold of the cold blend (with time)
    k: int = 10
    components: int = 32
    loss: str = "warp"
    threads: int = 1
    seed: int = 42
    ease_lambdas: tuple[float, ...] = (50.0, 100.0, 250.0, 500.0, 1000.0)
    ease_weights: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
    ease_max_items: int = 4000
    max_validation_users: int = 5000
    segment_prefixes: tuple[str, ...] = ("age:", "region:")
    user_sample: int | None = None  # select on a random sample of this many users


@dataclass(frozen=True)
class Choice:
    """What a refit needs: the settings chosen on validation."""

    feature_set: FeatureSet = FEATURE_SETS[0]
    learning_rate: float = 0.05
    epochs: int = 30
    ease_lambda: float = 250.0
    ease_weight: float = 0.0
    cold_weights: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0)
    # (w_life, w_life_next, w_popularity) for users without history (cold.ColdBlend);
    # None: not chosen (no life-cycle signals at selection, or an older artefact), the
    # product's blend parameters apply to them as to everyone
    cold_blend: tuple[float, float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Choice:
        cb = d.get("cold_blend")
        return cls(
            FeatureSet(**d["feature_set"]),
            float(d["learning_rate"]),
            int(d["epochs"]),
            float(d["ease_lambda"]),
            float(d["ease_weight"]),
            tuple(float(x) for x in d["cold_weights"]),
            None if cb is None else tuple(float(x) for x in cb),
        )

    @property
    def cold_blend_weights(self) -> ColdBlend | None:
        return ColdBlend.from_weights(self.cold_blend)


@dataclass(frozen=True)
class Curve:
    feature_set: str
    learning_rate: float
    points: tuple[tuple[int, float], ...]  # (epochs, validation NDCG@k)
    best_epochs: int
    best_ndcg: float
    seconds: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Selection:
    choice: Choice
    curves: tuple[Curve, ...]
    cold: ColdMix
    validation: dict[str, float] = field(default_factory=dict)  # NDCG@k by candidate
    cold_blend: ColdBlend | None = None
    ease_curve: tuple[tuple[float, float], ...] = ()  # (λ, NDCG@k)
    blend_curve: tuple[tuple[float, float], ...] = ()  # (weight, NDCG@k)
    seconds: float = 0.0
    n_users: int = 0
    n_validation_users: int = 0
    n_cold_users: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON for the artefact and reports."""
        d = asdict(self)
        d["cold"] = self.cold.describe()
        d["cold_blend"] = None if self.cold_blend is None else self.cold_blend.describe()
        d["curves"] = [asdict(c) for c in self.curves]
        return d


def dataset_for(
    train: Interactions,
    user_features: FeatureTable | None,
    item_features: FeatureTable | None,
    users: list[str],
    items: list[str],
    fs: FeatureSet,
) -> Dataset:
    return build_dataset(
        train,
        user_features if fs.user_weight is not None else None,
        item_features if fs.item_weight is not None else None,
        users=users,
        items=items,
        user_metadata_weight=fs.user_weight,
        item_metadata_weight=fs.item_weight,
    )


def _restrict(table: FeatureTable | None, users: np.ndarray) -> FeatureTable | None:
    if table is None or not len(table):
        return None
    keep = np.isin(table.ids, users)
    return FeatureTable(table.ids[keep], table.features[keep], table.weights[keep])


@dataclass
class _Split:
    fit: Interactions
    known: Ground
    cold: Ground
    users: list[str]


def _split(train: Interactions, items: IdMap, cfg: SelectionConfig) -> _Split:
    rng = np.random.default_rng(cfg.seed)
    all_users = np.unique(train.user_ids)
    cold_users = all_users[rng.random(len(all_users)) < cfg.cold_fraction]
    is_cold = np.isin(train.user_ids, cold_users)
    held = ~is_cold & (rng.random(len(train)) < cfg.validation_fraction)
    fit = train.subset(~is_cold & ~held)
    known = ground_truth(fit, train.subset(held), items)
    cold = ground_truth(fit, train.subset(is_cold), items)
    fit_users = set(np.unique(fit.user_ids).tolist())
    keep = np.array([u in fit_users for u in known.users.tolist()], dtype=bool)
    known = Ground(known.users[keep], known.train[keep], known.test[keep])
    known, cold = (
        _sample(known, cfg.max_validation_users, rng),
        _sample(cold, cfg.max_validation_users, rng),
    )
    return _Split(fit, known, cold, sorted(fit_users))


def _sample(g: Ground, n: int, rng: np.random.Generator) -> Ground:
    if len(g.users) <= n:
        return g
    pick = np.sort(rng.permutation(len(g.users))[:n])
    return Ground(g.users[pick], g.train[pick], g.test[pick])


def _ndcg(scores: np.ndarray, g: Ground, k: int) -> float:
    return round(float(top_k_metrics(scores, g.train, g.test, k)[1].mean()), 5)


def _curve(
    ds: Dataset, uf: FeatureTable | None, g: Ground, fs: FeatureSet, lr: float, cfg: SelectionConfig
) -> tuple[Curve, HybridModel]:
    started = time.perf_counter()
    model = HybridModel(
        components=cfg.components,
        loss=cfg.loss,
        epochs=cfg.checkpoints[0],
        learning_rate=lr,
        threads=cfg.threads,
        seed=cfg.seed,
    ).fit(ds)
    done, best, best_ep, since = cfg.checkpoints[0], -1.0, cfg.checkpoints[0], 0
    best_model = model
    points: list[tuple[int, float]] = []
    for c in cfg.checkpoints:
        if c > done:
            model.fit_more(ds, c - done)
            done = c
        v = _ndcg(model.score_rows(model.encode_users(g.users.tolist(), uf)), g, cfg.k)
        points.append((c, v))
        if v > best + 1e-6:
            best, best_ep, since = v, c, 0
            best_model = model.snapshot()
        else:
            since += 1
            if since >= cfg.patience:
                break
    seconds = round(time.perf_counter() - started, 2)
    return Curve(fs.name, lr, tuple(points), best_ep, best, seconds), best_model


def select(
    train: Interactions,
    user_features: FeatureTable | None,
    item_features: FeatureTable | None,
    items: list[str],
    cfg: SelectionConfig | None = None,
    user_sample: int | None = None,
    lifecycle: FeatureTable | LifecycleAt | None = None,
    blend: BlendParams | None = None,
) -> Selection:
    """Choose the settings on a validation split of ``train`` (optionally of a random
    sample of ``user_sample`` users). With ``lifecycle`` (the users' ``current:EVENT`` /
    ``next:EVENT`` signals) the blend weights of users without history are chosen too, with
    ``blend``'s normalisations: given as a function of time and users, on the cold users
    new at a cut date (their later use, their signals as of the cut); given as a table, on
    the cold users held out whole."""
    cfg = cfg or SelectionConfig()
    started = time.perf_counter()
    user_sample = user_sample if user_sample is not None else cfg.user_sample
    if user_sample is not None:
        users = np.unique(train.user_ids)
        if len(users) > user_sample:
            rng = np.random.default_rng(cfg.seed + 1)
            train = train.subset(np.isin(train.user_ids, rng.choice(users, user_sample, False)))
    imap = IdMap(items)
    sp_ = _split(train, imap, cfg)
    uf_fit = _restrict(user_features, np.asarray(sp_.users))
    curves: list[Curve] = []
    best: tuple[float, Curve, HybridModel] | None = None
    for fs in cfg.feature_sets:
        if fs.user_weight is not None and uf_fit is None:
            continue
        if fs.item_weight is not None and (item_features is None or not len(item_features)):
            continue
        ds = dataset_for(sp_.fit, uf_fit, item_features, sp_.users, items, fs)
        for lr in cfg.learning_rates:
            curve, model = _curve(ds, user_features, sp_.known, fs, lr, cfg)
            curves.append(curve)
            if best is None or curve.best_ndcg > best[0] + 1e-6:
                best = (curve.best_ndcg, curve, model)
    assert best is not None
    _, bc, model = best
    fs = next(f for f in cfg.feature_sets if f.name == bc.feature_set)
    # EASE λ and its blend weight, on the same known-user validation
    uidx = IdMap(sp_.users)
    x = history_matrix(sp_.fit, uidx, imap)
    hist = rows_for(sp_.known.users, uidx, x)
    cols, g = gram(x, cfg.ease_max_items)
    ease_curve, best_lam, best_b, best_v = [], cfg.ease_lambdas[0], None, -1.0
    for lam in cfg.ease_lambdas:
        e = EaseModel(lam, cfg.ease_max_items).set_weights(cols, closed_form(g, lam), len(items))
        v = _ndcg(e.scores(hist), sp_.known, cfg.k)
        ease_curve.append((lam, v))
        if v > best_v + 1e-6:
            best_lam, best_b, best_v = lam, e, v
    lfm = model.score_rows(model.encode_users(sp_.known.users.tolist(), user_features))
    ease_s = best_b.scores(hist)
    blend_curve, best_w, best_bv = [], 0.0, -1.0
    for w in cfg.ease_weights:
        v = _ndcg(partner_blend(lfm, ease_s, w), sp_.known, cfg.k)
        blend_curve.append((w, v))
        if v > best_bv + 1e-6:
            best_w, best_bv = w, v
    fold, signals = None, lifecycle
    if callable(lifecycle):
        at_cut = new_at_cut(train, sp_.cold.users, imap, cfg.cold_cut_fraction)
        fold, signals = (
            (at_cut[0], lifecycle(at_cut[1], at_cut[0].users)) if at_cut else (None, None)
        )
    cold, cold_blend = choose_cold(
        model, sp_.fit, sp_.cold, user_features, item_features, imap, cfg.segment_prefixes,
        cfg.k, signals, blend, fold,
    )  # fmt: skip
    choice = Choice(
        fs, bc.learning_rate, bc.best_epochs, best_lam, best_w, cold.weights,
        None if cold_blend is None else cold_blend.weights,
    )  # fmt: skip
    return Selection(
        choice=choice,
        curves=tuple(curves),
        cold=cold,
        cold_blend=cold_blend,
        validation={"lightfm": bc.best_ndcg, "ease": best_v, "blend": best_bv},
        ease_curve=tuple(ease_curve),
        blend_curve=tuple(blend_curve),
        seconds=round(time.perf_counter() - started, 2),
        n_users=len(np.unique(train.user_ids)),
        n_validation_users=len(sp_.known.users),
        n_cold_users=len(sp_.cold.users),
    )


def fit_with_choice(
    train: Interactions,
    user_features: FeatureTable | None,
    item_features: FeatureTable | None,
    items: list[str],
    choice: Choice,
    cfg: SelectionConfig | None = None,
    selection: Selection | None = None,
) -> HybridModel:
    """Refit on all of ``train`` with ``choice``: LightFM, then EASE for known users."""
    cfg = cfg or SelectionConfig()
    users = sorted(np.unique(train.user_ids).tolist())
    ds = dataset_for(
        train, _restrict(user_features, np.asarray(users)), item_features, users, items,
        choice.feature_set,
    )  # fmt: skip
    model = HybridModel(
        components=cfg.components,
        loss=cfg.loss,
        epochs=choice.epochs,
        learning_rate=choice.learning_rate,
        threads=cfg.threads,
        seed=cfg.seed,
    ).fit(ds)
    started = time.perf_counter()
    x = history_matrix(train, model.users, model.items)
    model.ease = EaseModel(choice.ease_lambda, cfg.ease_max_items).fit(x)
    model.ease_weight = choice.ease_weight
    model.metadata["ease_seconds"] = round(time.perf_counter() - started, 3)
    model.cold_tables = ColdTables.build(train, model.items, user_features, cfg.segment_prefixes)
    model.selection = {
        "choice": choice.as_dict(),
        **({} if selection is None else {"selection": selection.as_dict()}),
    }
    return model
