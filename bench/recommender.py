"""Recommender benchmark: quality, training cost and serving latency on synthetic data.

    .venv/bin/python bench/recommender.py            # full size (minutes)
    .venv/bin/python bench/recommender.py --small    # quick run

Figures are printed; results are recorded in bench/README.md ("Recommender").
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recommender.blend import BlendParams, Catalog, recommend  # noqa: E402
from recommender.context import LifecycleSignal, UserContext  # noqa: E402
from recommender.dataset import build_dataset  # noqa: E402
from recommender.evaluate import run_evaluation, split  # noqa: E402
from recommender.model import HybridModel  # noqa: E402
from recommender.rules import Rule  # noqa: E402
from recommender.synthetic import CITIZEN_THEMES, synthetic_data, synthetic_items  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(
    n_users: int, n_items: int, n_inter: int, epochs: int, threads: int, blend: BlendParams
) -> None:
    items = synthetic_items(n_items, seed=1)
    data = synthetic_data(items, n_users=n_users, n_interactions=n_inter, seed=2)
    inter, uf, itf = data.interactions(), data.user_features(), data.item_features()
    codes = [i.code for i in items]
    print(f"quality: {n_users} users × {n_items} items × {len(inter)} interactions, k=10")
    for how in ("time", "users"):
        train, test = split(inter, how, 0.2, seed=3)
        model = HybridModel(epochs=epochs, threads=threads, seed=7)
        rep, _ = run_evaluation(train, test, uf, itf, items=codes, model=model, blend=blend)
        rows = {"blended": rep["blended"], "raw model": rep["model"]}
        rows.update({k.replace("_", " "): v for k, v in rep["baselines"].items()})
        print(f"  {how} split ({rep['n_users']} users evaluated, {rep['seconds']} s)")
        print(f"    {'':20} {'P@10':>8} {'R@10':>8} {'NDCG@10':>8} {'AUC':>8} {'cover':>8}")
        for name, v in rows.items():
            print(
                f"    {name:20} {v['precision_at_k']:8.4f} {v['recall_at_k']:8.4f} {v['ndcg_at_k']:8.4f}"
                f" {v['auc']:8.4f} {v['coverage']:8.4f}"
            )


def training(n_users: int, n_items: int, n_inter: int, epochs: int, threads: int) -> HybridModel:
    t0 = time.perf_counter()
    items = synthetic_items(n_items, seed=1)
    data = synthetic_data(items, n_users=n_users, n_interactions=n_inter, seed=2)
    inter, uf, itf = data.interactions(), data.user_features(), data.item_features()
    t1 = time.perf_counter()
    before = peak_mb()
    ds = build_dataset(inter, uf, itf, items=[i.code for i in items])
    t2 = time.perf_counter()
    model = HybridModel(epochs=epochs, threads=threads, seed=7).fit(ds)
    t3 = time.perf_counter()
    print(
        f"training: {n_users} users × {n_items} items × {len(inter)} interactions "
        f"({ds.interactions.nnz} distinct pairs), {epochs} epochs, {threads} threads"
    )
    print(f"  generate data {t1 - t0:.1f} s, build dataset {t2 - t1:.1f} s, fit {t3 - t2:.1f} s")
    print(
        f"  dataset + fit {t3 - t1:.1f} s; peak RSS {peak_mb():.0f} MB (before dataset {before:.0f} MB)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t4 = time.perf_counter()
        model.save(Path(tmp) / "m")
        loaded = HybridModel.load(Path(tmp) / "m")
        print(f"  save + load artefact {time.perf_counter() - t4:.1f} s")
    return loaded


def serving(model: HybridModel, n_items: int, requests: int) -> None:
    items = synthetic_items(n_items, seed=1)
    catalog = Catalog(items)
    model.add_items({})
    rng = np.random.default_rng(0)
    rules = [
        Rule(
            id=str(k),
            name=f"rule {k}",
            action=("boost", "bury", "pin", "hide")[k % 4],
            weight=0.3,
            position=2 if k % 4 == 2 else None,
            targets=__import__("recommender.rules", fromlist=["Targets"]).Targets(
                themes=(CITIZEN_THEMES[k % len(CITIZEN_THEMES)],) if k % 4 != 2 else (),
                services=(items[int(rng.integers(0, n_items))].code,) if k % 4 == 2 else (),
            ),
            segment=__import__("recommender.rules", fromlist=["Segment"]).Segment(age_min=18 + k),
        )
        for k in range(20)
    ]
    pop = rng.random(n_items)
    users = model.users.ids
    lat = []
    today = dt.date(2026, 1, 1)
    for r in range(requests):
        uid = users[int(rng.integers(0, len(users)))] if r % 5 else None
        ctx = UserContext(
            user_id=uid,
            age=int(rng.integers(18, 80)),
            gender="female",
            region_code="440100",
            life_stages_current=("childbirth", "work"),
            child_ages=(0,),
            employment="employed",
            lifecycle_signals={
                items[int(rng.integers(0, n_items))].code: LifecycleSignal(
                    0.9, {"zh_Hans": "孩子出生", "en": "your child was born"}, "household"
                )
                for _ in range(5)
            },
            dismissed={items[3].code},
        )
        t = time.perf_counter()
        scores = model.score_items(ctx.user_id, ctx.feature_keys(), catalog.codes)
        recs = recommend(ctx, catalog, today, scores, rules, BlendParams(), pop, pop, limit=10)
        lat.append((time.perf_counter() - t) * 1000)
        assert recs and all(rec.reasons for rec in recs)
    lat_arr = np.array(lat[10:])
    print(
        f"serving: one user over {n_items} services with {len(rules)} rules and reasons, {requests} requests: "
        f"p50 {np.percentile(lat_arr, 50):.2f} ms, p95 {np.percentile(lat_arr, 95):.2f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="quick run on small data")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    blend = BlendParams(w_model=1.0, w_life=0.15, w_popularity=0.1)
    if args.small:
        quality(3000, 500, 60000, args.epochs, args.threads, blend)
        model = training(5000, 500, 100000, args.epochs, args.threads)
        serving(model, 500, 300)
    else:
        quality(20000, 2000, 400000, args.epochs, args.threads, blend)
        model = training(100000, 2000, 2000000, args.epochs, args.threads)
        serving(model, 2000, 2000)


if __name__ == "__main__":
    main()
