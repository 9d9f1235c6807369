"""The recommender benchmark on synthetic data (``recommender.synthetic``): quality against
the baselines, blend tuning on validation splits, and training cost (see
``bench/recommender.py``)."""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from recommender.blend import BlendParams
from recommender.dataset import FeatureTable, Interactions, build_dataset
from recommender.evaluate import split, time_cutoff, tune_blend
from recommender.model import HybridModel
from recommender.report import full_report
from recommender.selection import (
    SelectionConfig,
    fit_with_choice,
    select,
)
from recommender.synthetic import (
    EPISODE_KINDS,
    EPISODES,
    SyntheticData,
    synthetic_data,
    synthetic_items,
)

TEST_FRACTION = 0.2
HORIZONS = (120, 365)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def day(ts: float) -> dt.date:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date()


def make_data(n_users: int, n_items: int, n_inter: int) -> SyntheticData:
    items = synthetic_items(n_items, seed=1)
    return synthetic_data(items, n_users=n_users, n_interactions=n_inter, seed=2)


def model_for(args: argparse.Namespace) -> HybridModel:
    kw = {"threads": args.threads, "seed": 7}
    for name in ("epochs", "components", "learning_rate", "loss"):
        if getattr(args, name) is not None:
            kw[name] = getattr(args, name)
    return HybridModel(**kw)


def restrict(table: FeatureTable, users: np.ndarray) -> FeatureTable:
    keep = np.isin(table.ids, users)
    return FeatureTable(table.ids[keep], table.features[keep], table.weights[keep])


def fit(model: HybridModel, train: Interactions, data: SyntheticData, uf: FeatureTable):
    users = np.unique(train.user_ids)
    ds = build_dataset(
        train,
        restrict(uf, users),
        data.item_features(),
        users=users.tolist(),
        items=[i.code for i in data.items],
    )
    return model.fit(ds)


def test_composition(data: SyntheticData, cut: float) -> str:
    """How much of the test period is need-driven, and how much was predictable at the cut."""
    p, ep = data.population, data.episode
    if p is None or ep is None:
        return ""
    test = (data.timestamps > cut) & (data.kinds != 5)
    e = ep[test]
    a = (cut - dt.datetime.combine(p.today, dt.time(), tzinfo=dt.UTC).timestamp()) / 86400
    pred = np.array([EPISODES[k][3] for k in EPISODE_KINDS])
    inside = e >= 0
    ee = e[inside]
    new = p.ep_start[ee] > a
    known_now = ~new & (pred[p.ep_kind[ee]] | (p.ep_date[ee] <= a))
    upcoming = new & pred[p.ep_kind[ee]]
    return (
        f"test events: {inside.mean():.0%} inside a need window; of all test events "
        f"{(upcoming.sum() / len(e)):.0%} in windows opening after the cut but predictable "
        f"(upcoming), {(known_now.sum() / len(e)):.0%} in windows open and known at the cut, "
        f"{((new & ~pred[p.ep_kind[ee]]).sum() / len(e)):.0%} in unpredictable new windows"
    )


# ---------------------------------------------------------------------- quality
def quality(args: argparse.Namespace, n_users: int, n_items: int, n_inter: int) -> None:
    data = make_data(n_users, n_items, n_inter)
    inter, itf = data.interactions(), data.item_features()
    codes = [i.code for i in data.items]
    blend = BlendParams()
    print(f"quality: {n_users} users × {n_items} items × {len(inter)} interactions, k=10")
    print(f"  blend (defaults): {blend}")
    for how in ("time", "users"):
        train, test = split(inter, how, TEST_FRACTION, seed=3)
        as_of = None
        if how == "time":
            cut = time_cutoff(inter, TEST_FRACTION)
            as_of = day(cut)
            print(f"  time split at {as_of}; {test_composition(data, cut)}")
        uf, lc = data.user_features(as_of), data.lifecycle(as_of)
        rep, _, _ = full_report(
            train, test, uf, itf, items=codes, cfg=sel_config(args), blend=blend, lifecycle=lc,
            peers=not args.no_peers,
        )  # fmt: skip
        rows = {"blended": rep["blended"], "model (served)": rep["model"]}
        rows["LightFM (selected)"] = rep["lightfm"]
        rows.update({f"peer {k}".replace("_", " "): v for k, v in rep.get("peers", {}).items()})
        rows.update({k.replace("_", " "): v for k, v in rep["baselines"].items()})
        print(f"  {how} split ({rep['n_users']} users evaluated, {rep['seconds']} s)")
        print(f"    {'':24} {'P@10':>8} {'R@10':>8} {'NDCG@10':>8} {'AUC':>8} {'cover':>8}")
        for name, v in rows.items():
            print(
                f"    {name:24} {v['precision_at_k']:8.4f} {v['recall_at_k']:8.4f} {v['ndcg_at_k']:8.4f}"
                f" {v['auc']:8.4f} {v['coverage']:8.4f}"
            )
        seg = rep["baselines"]["segment_popularity"]
        b = rep["blended"]
        sel = rep["selection"]
        print(
            f"    blended / segment popularity: NDCG {b['ndcg_at_k'] / seg['ndcg_at_k']:.2f}×, "
            f"P {b['precision_at_k'] / seg['precision_at_k']:.2f}×; blended / served model: "
            f"NDCG {b['ndcg_at_k'] / rep['model']['ndcg_at_k']:.2f}×"
        )
        print(
            f"    chosen {sel['choice']} (selection {sel['seconds']} s on a sample, refit "
            f"{sel['refit_seconds']} s); cold users: {rep['cold_start']['used']}; ci {rep['ci']}"
        )


def sel_config(args: argparse.Namespace) -> SelectionConfig:
    return SelectionConfig(threads=args.threads, seed=7, user_sample=args.select_sample)


# ---------------------------------------------------------------------- tuning
def tune(args: argparse.Namespace, n_users: int, n_items: int, n_inter: int) -> None:
    """Tune the blend on validation splits carved from the training data only.

    Folds: (A) the latest 20 % of the training period; (B) the test period's season one
    year earlier, trained on what came before it (seasonal needs differ by season); (C)
    20 % of the training users held out (cold start). A grid point's score is its mean
    gain over the raw model (NDCG@10 on A and B, precision@10 on C).
    """
    data = make_data(n_users, n_items, n_inter)
    inter = data.interactions()
    train, test = split(inter, "time", TEST_FRACTION, seed=3)
    cut = time_cutoff(inter, TEST_FRACTION)
    end = float(inter.timestamps.max())
    year = 365 * 86400
    ts = train.timestamps
    folds = {
        "A latest": (*split(train, "time", TEST_FRACTION), "ndcg_at_k"),
        "B season a year earlier": (
            train.subset(ts <= cut - year),
            train.subset((ts > cut - year) & (ts <= end - year)),
            "ndcg_at_k",
        ),
    }
    utrain, _ = split(inter, "users", TEST_FRACTION, seed=3)
    folds["C cold users"] = (*split(utrain, "users", TEST_FRACTION, seed=4), "precision_at_k")
    scores: dict[tuple, list[float]] = {}
    per_fold: dict[tuple, list[float]] = {}
    for name, (tr, val, metric) in folds.items():
        as_of = None if name.startswith("C") else day(float(tr.timestamps.max()))
        uf = data.user_features(as_of)
        t = time.perf_counter()
        model = fit(model_for(args), tr, data, uf)
        tables = {str(h): data.lifecycle(as_of, horizon_days=h) for h in HORIZONS}
        _, res = tune_blend(
            model,
            tr,
            val,
            uf,
            data.item_features(),
            tables,
            metric=metric,
            max_users=args.tune_users,
        )
        raw, seg = res[0][metric], res[1][metric]
        print(
            f"  fold {name} (as of {as_of or 'the last day'}; {time.perf_counter() - t:.0f} s): "
            f"raw model {metric} {raw:.4f}, segment popularity {seg:.4f}, best {res[2][metric]:.4f} "
            f"with {res[2]['params']} horizon {res[2]['lifecycle']}"
        )
        for r in res[2:]:
            key = (r["lifecycle"], tuple(sorted(r["params"].items())))
            scores.setdefault(key, []).append(r[metric] / raw)
            per_fold.setdefault(key, []).append(r[metric])
    n = len(folds)
    ranked = sorted(
        (k for k, v in scores.items() if len(v) == n), key=lambda k: -np.mean(scores[k])
    )
    print("  best grid points by mean gain over the raw model (A, B, C values):")
    for key in ranked[:10]:
        vals = ", ".join(f"{v:.4f}" for v in per_fold[key])
        print(f"    {np.mean(scores[key]):.4f}× horizon {key[0]} {dict(key[1])}: {vals}")


# ---------------------------------------------------------------------- training
def training(args: argparse.Namespace, n_users: int, n_items: int, n_inter: int) -> HybridModel:
    t0 = time.perf_counter()
    data = make_data(n_users, n_items, n_inter)
    inter, uf, itf = data.interactions(), data.user_features(), data.item_features()
    t1 = time.perf_counter()
    before = peak_mb()
    cfg = sel_config(args)
    codes = [i.code for i in data.items]
    c0 = cpu_seconds()
    sel = select(inter, uf, itf, codes, cfg)
    t_sel, c_sel = time.perf_counter() - t1, cpu_seconds() - c0
    print(
        f"training: {n_users} users × {n_items} items × {len(inter)} interactions; "
        f"load average before {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}"
    )
    print(
        f"  weekly selection on {sel.n_users} sampled users: {t_sel:.1f} s wall, {c_sel:.1f} s CPU; "
        f"chose {sel.choice}"
    )
    t2, c2 = time.perf_counter(), cpu_seconds()
    model = fit_with_choice(inter, uf, itf, codes, sel.choice, cfg, sel)
    t3, c3 = time.perf_counter(), cpu_seconds()
    print(
        f"  nightly refit with that choice (dataset + LightFM {sel.choice.epochs} epochs + EASE "
        f"{model.metadata['ease_seconds']} s): {t3 - t2:.1f} s wall, {c3 - c2:.1f} s CPU "
        f"(CPU / {args.threads} threads = {(c3 - c2) / args.threads:.1f} s); peak RSS "
        f"{peak_mb():.0f} MB (before {before:.0f} MB); generating the data took {t1 - t0:.1f} s"
    )
    print(f"  load average now: {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        t4 = time.perf_counter()
        model.save(Path(tmp) / "m")
        loaded = HybridModel.load(Path(tmp) / "m")
        print(f"  save + load artefact {time.perf_counter() - t4:.1f} s")
    return loaded
