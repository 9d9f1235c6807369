"""The recommender benchmark on synthetic data (``recommender.synthetic``): quality against
the baselines, blend tuning on validation splits, and training cost (see
``bench/recommender.py``)."""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.recommender_blend import (
    choose_blend,
    day,
    found_by_kind,
    test_event_kinds,
    validated_scorer,
)
from bench.recommender_cold import new_at_cut_rows
from recommender.blend import BlendParams
from recommender.evaluate import (
    ground_truth,
    rank_metrics,
    split,
    summarise,
    time_cutoff,
)
from recommender.model import HybridModel
from recommender.report import full_report, recommender_scorer
from recommender.selection import (
    Choice,
    SelectionConfig,
    fit_with_choice,
    select,
)
from recommender.synthetic import (
    SyntheticData,
    synthetic_data,
    synthetic_items,
)

TEST_FRACTION = 0.2


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_data(n_users: int, n_items: int, n_inter: int) -> SyntheticData:
    items = synthetic_items(n_items, seed=1)
    return synthetic_data(items, n_users=n_users, n_interactions=n_inter, seed=2)


def test_composition(data: SyntheticData, cut: float) -> str:
    """How much of the test period is need-driven, and how much was predictable at the cut."""
    kinds = test_event_kinds(data, cut)
    if kinds is None:
        return ""
    _, kind = kinds
    names, counts = np.unique(kind, return_counts=True)
    share = dict(zip(names.tolist(), (counts / len(kind)).tolist(), strict=True))
    return "test events: " + ", ".join(f"{v:.0%} {k}" for k, v in sorted(share.items()))


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
        rep, model, _ = full_report(
            train, test, uf, itf, items=codes, cfg=sel_config(args), blend=blend, lifecycle=lc,
            peers=not args.no_peers, lifecycle_at=lambda ts, _users: data.lifecycle(day(ts)),
        )  # fmt: skip
        rows = {"blended": rep["blended"]}
        if how == "time":
            rows["blended, validated blend"] = validated_blend(args, data, model, train, test, cut)
        rows["model (served)"] = rep["model"]
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
            f"{sel['refit_seconds']} s); cold users: {rep['cold_start']['used']}, their "
            f"blend: {rep['cold_start'].get('blend_used')}; ci {rep['ci']}"
        )
        if rep["cold_start"].get("blend"):
            print(f"    cold blend validation: {rep['cold_start']['blend']['validation_ndcg']}")
        if "blended, validated blend" in rows:
            v = rows["blended, validated blend"]
            print(
                f"    validated blend / segment popularity: NDCG "
                f"{v['ndcg_at_k'] / seg['ndcg_at_k']:.2f}×, P {v['precision_at_k'] / seg['precision_at_k']:.2f}×"
            )
        if how == "time":
            print("  people new at the cut (the time split's test users, none of their use known)")
            choice = Choice.from_dict(model.selection["choice"])
            rows = new_at_cut_rows(model, choice, train, test, uf, itf, lc, blend)
            for name, v in rows.items():
                print(
                    f"    {name:48} P@10 {v['precision_at_k']:.4f} NDCG@10 {v['ndcg_at_k']:.4f}"
                    f" AUC {v['auc']:.4f} cover {v['coverage']:.4f}"
                )


def validated_blend(args, data, model, train, test, cut) -> dict[str, float]:
    """The blend chosen on folds A and B of the training data, measured on the test split."""
    t = time.perf_counter()
    end = float(max(train.timestamps.max(), test.timestamps.max()))
    choice = Choice.from_dict(model.selection["choice"])
    measured, chosen = choose_blend(
        data, train, cut, end, choice, sel_config(args), BlendParams(), args.tune_users
    )
    print(
        f"    blend chosen on validation folds A+B ({time.perf_counter() - t:.0f} s): product "
        f"defaults {measured.validation:.4f}, chosen {chosen.validation:.4f} with "
        f"{chosen.describe()}"
    )
    print(f"    search path: {', '.join(f'{s} {v:.4f}' for s, v in chosen.path)}")
    as_of = day(cut)
    uf, itf = data.user_features(as_of), data.item_features()
    served = recommender_scorer(model, train, uf)
    lc = data.lifecycle(as_of, horizon_days=chosen.horizon)
    scorer = validated_scorer(model, served, train, uf, itf, lc, chosen, cut)
    g = ground_truth(train, test, model.items)
    print(
        f"    found by kind (validated blend): {found_by_kind(data, cut, scorer, g, model.items.ids)}"
    )
    return summarise(rank_metrics(scorer, g, 10))


def sel_config(args: argparse.Namespace) -> SelectionConfig:
    return SelectionConfig(threads=args.threads, seed=7, user_sample=args.select_sample)


# ---------------------------------------------------------------------- tuning
def tune(args: argparse.Namespace, n_users: int, n_items: int, n_inter: int) -> None:
    """Choose the blend for the served model on validation folds of the training data only:
    (A) the latest 20 % of the training period, (B) the test period's season one year
    earlier (``bench/recommender_blend.py``). The served model's settings are selected once
    on the training data (``select``) and refitted on each fold; the search starts from the
    ``BlendParams`` defaults and keeps a change only when the mean validation NDCG@10 over
    both folds rises. Users without history have their own weights (the selection's cold
    blend, chosen on its cold validation users), reported by ``quality``."""
    data = make_data(n_users, n_items, n_inter)
    inter = data.interactions()
    codes = [i.code for i in data.items]
    train, _ = split(inter, "time", TEST_FRACTION, seed=3)
    cut = time_cutoff(inter, TEST_FRACTION)
    end = float(inter.timestamps.max())
    t = time.perf_counter()
    uf, itf = data.user_features(day(cut)), data.item_features()
    sel = select(
        train, uf, itf, codes, sel_config(args),
        lifecycle=lambda ts, _users: data.lifecycle(day(ts)),
    )  # fmt: skip
    print(f"  selection on the training data ({time.perf_counter() - t:.0f} s): {sel.choice}")
    t = time.perf_counter()
    measured, chosen = choose_blend(
        data, train, cut, end, sel.choice, sel_config(args), BlendParams(), args.tune_users
    )
    print(
        f"  folds A+B ({time.perf_counter() - t:.0f} s): defaults {measured.validation:.4f}, "
        f"chosen {chosen.validation:.4f} with {chosen.describe()}"
    )
    print(f"  search path: {', '.join(f'{s} {v:.4f}' for s, v in chosen.path)}")


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
    sel = select(inter, uf, itf, codes, cfg, lifecycle=lambda ts, _u: data.lifecycle(day(ts)))
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
