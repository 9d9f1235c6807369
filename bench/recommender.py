"""Recommender benchmark: quality, blend tuning, training cost and serving latency.

    .venv/bin/python bench/recommender.py                  # quality, training, serving
    .venv/bin/python bench/recommender.py --small          # quick run on small data
    .venv/bin/python bench/recommender.py --tune           # tune the blend on validation splits
    .venv/bin/python bench/recommender.py --quality-users 50000 --skip-training
    .venv/bin/python bench/recommender.py --lastfm ../shared/data/lastfm-2k --repeats 3
    .venv/bin/python bench/recommender.py --lastfm ../shared/data/lastfm-2k --lastfm-csv /tmp/lastfm

Real data: the HetRec 2011 Last.fm 2k set (read from its directory, never copied into the
repository; non-commercial use). Interactions = listened artists, item features = the tags
users gave an artist (weight: number of assignments), user features = friends. A random
split and a user split (repeated over seeds); ``--lastfm-csv`` writes the CSV files that
``python -m recommender evaluate`` reads.

Synthetic data from ``recommender.synthetic`` (needs driven by dated life events).
Time split: features and life-cycle signals as known on the split date; user split:
held-out users scored from their features alone, signals as of the data's last day.
Results are recorded in bench/README.md ("Recommender").
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
from recommender.dataset import FeatureTable, Interactions, build_dataset  # noqa: E402
from recommender.ease import partner_blend  # noqa: E402
from recommender.evaluate import split, time_cutoff, tune_blend  # noqa: E402
from recommender.model import HybridModel  # noqa: E402
from recommender.report import full_report, repeated_report  # noqa: E402
from recommender.rules import Rule, Segment, Targets  # noqa: E402
from recommender.selection import (  # noqa: E402
    FEATURE_SETS,
    Choice,
    SelectionConfig,
    fit_with_choice,
    select,
)
from recommender.synthetic import (  # noqa: E402
    CITIZEN_THEMES,
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


# ---------------------------------------------------------------------- serving
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
            targets=Targets(
                themes=(CITIZEN_THEMES[k % len(CITIZEN_THEMES)],) if k % 4 != 2 else (),
                services=(items[int(rng.integers(0, n_items))].code,) if k % 4 == 2 else (),
            ),
            segment=Segment(age_min=18 + k),
        )
        for k in range(20)
    ]
    pop = rng.random(n_items)
    users = model.users.ids
    idx = np.array([model.items.get(c) for c in catalog.codes])  # once, as the web app's view
    lat: list[float] = []
    cpu: list[float] = []
    today = dt.date(2026, 1, 1)
    for r in range(requests):
        uid = users[int(rng.integers(0, len(users)))] if r % 5 else None
        signals = {
            items[int(rng.integers(0, n_items))].code: LifecycleSignal(
                0.9, {"zh_Hans": "孩子出生", "en": "your child was born"}, "household"
            )
            for _ in range(5)
        }
        signals.update(
            {
                items[int(rng.integers(0, n_items))].code: LifecycleSignal(
                    0.6,
                    {"zh_Hans": "孩子将满 6 岁", "en": "your child turns 6 soon"},
                    "household",
                    timing="next",
                )
                for _ in range(5)
            }
        )
        ctx = UserContext(
            user_id=uid,
            age=int(rng.integers(18, 80)),
            gender="female",
            region_code="440100",
            life_stages_current=("childbirth", "work"),
            life_stages_next=("education",),
            child_ages=(0, 5),
            employment="employed",
            lifecycle_signals=signals,
            dismissed={items[3].code},
        )
        t, c = time.perf_counter(), time.thread_time()
        scores = model.score_items(ctx.user_id, ctx.feature_keys(), catalog.codes)
        if uid is not None and model.ease is not None:
            used = rng.choice(n_items, 12, replace=False)
            ease = model.ease.score_history(used)[idx]
            scores = partner_blend(scores, ease, model.ease_weight or 1.0)
        recs = recommend(ctx, catalog, today, scores, rules, BlendParams(), pop, pop, limit=10)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        assert recs and all(rec.reasons for rec in recs)
    lat_arr, cpu_arr = np.array(lat[10:]), np.array(cpu[10:])
    print(
        f"serving: one user over {n_items} services with {len(rules)} rules and reasons, {requests} requests: "
        f"wall p50 {np.percentile(lat_arr, 50):.2f} ms, p95 {np.percentile(lat_arr, 95):.2f} ms; "
        f"CPU (thread time) p50 {np.percentile(cpu_arr, 50):.2f} ms, p95 {np.percentile(cpu_arr, 95):.2f} ms"
    )


# ---------------------------------------------------------------------- real data
def load_lastfm(path: str) -> tuple[Interactions, FeatureTable, FeatureTable]:
    base = Path(path)
    ua = np.loadtxt(base / "user_artists.dat", skiprows=1, dtype=np.int64)
    inter = Interactions(ua[:, 0].astype(str), ua[:, 1].astype(str), np.ones(len(ua)))
    ta = np.loadtxt(base / "user_taggedartists.dat", skiprows=1, dtype=np.int64)
    pairs, counts = np.unique(ta[:, [1, 2]], axis=0, return_counts=True)
    tags = np.char.add("tag:", pairs[:, 1].astype(str))
    itf = FeatureTable(pairs[:, 0].astype(str), tags, counts)
    fr = np.loadtxt(base / "user_friends.dat", skiprows=1, dtype=np.int64)
    uf = FeatureTable(fr[:, 0].astype(str), np.char.add("friend:", fr[:, 1].astype(str)))
    return inter, uf, itf


def write_csvs(out: str, inter: Interactions, uf: FeatureTable, itf: FeatureTable) -> None:
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    np.savetxt(d / "interactions.csv", np.stack([inter.user_ids, inter.item_ids], 1), "%s",
               ",", header="user_id,item_id", comments="")  # fmt: skip
    np.savetxt(d / "user_features.csv", np.stack([uf.ids, uf.features], 1), "%s", ",",
               header="id,feature", comments="")  # fmt: skip
    rows = np.stack([itf.ids, itf.features, itf.weights.astype(int).astype(str)], 1)
    np.savetxt(d / "item_features.csv", rows, "%s", ",", header="id,feature,weight", comments="")
    print(f"wrote {d}/interactions.csv, user_features.csv, item_features.csv")


def print_rows(rep: dict, spread: bool = False) -> None:
    rows = {"model (served)": rep["model"], "LightFM (selected)": rep["lightfm"]}
    rows.update({f"peer: {k}": v for k, v in rep["peers"].items()})
    rows.update({f"baseline: {k}": v for k, v in rep["baselines"].items()})
    sd = rep.get("spread", {})
    sds = {"model (served)": sd.get("model"), "LightFM (selected)": sd.get("lightfm")}
    sds.update({f"peer: {k}": v for k, v in sd.get("peers", {}).items()})
    sds.update({f"baseline: {k}": v for k, v in sd.get("baselines", {}).items()})
    print("    | ranking | P@10 | R@10 | NDCG@10 | AUC | coverage |")
    print("    | --- | --- | --- | --- | --- | --- |")
    for name, v in rows.items():
        cells = []
        for m in ("precision_at_k", "recall_at_k", "ndcg_at_k", "auc", "coverage"):
            s = sds.get(name)
            cells.append(f"{v[m]:.4f}" + (f" ± {s[m]:.4f}" if spread and s else ""))
        print(f"    | {name} | " + " | ".join(cells) + " |")
    ci = rep["ci"]
    for m in ("precision_at_k", "ndcg_at_k"):
        c = ci[m]
        print(f"    model − {ci['baseline']} {m}: {c['mean_difference']:+.4f} "
              f"(95 % CI {c['low']:+.4f} … {c['high']:+.4f}, {c['n_users']} user rows)")  # fmt: skip
    sel = rep["selection"]
    print(f"    chosen: {sel['choice']}; validation NDCG {sel['validation_ndcg']}; selection "
          f"{sel['seconds']} s, refit {sel['refit_seconds']} s; cold users: {rep['cold_start']['used']}")  # fmt: skip
    lf, df = rep["model"]["precision_at_k"], rep["peers"]["lightfm_defaults"]["precision_at_k"]
    print(f"    model / LightFM defaults P@10: {lf / df:.3f}×")


def lastfm(args: argparse.Namespace) -> None:
    inter, uf, itf = load_lastfm(args.lastfm)
    if args.lastfm_csv:
        write_csvs(args.lastfm_csv, inter, uf, itf)
        return
    cfg = SelectionConfig(threads=args.threads, segment_prefixes=("friend:",), seed=42)
    print(f"Last.fm: {len(np.unique(inter.user_ids))} users, {len(np.unique(inter.item_ids))} "
          f"artists, {len(inter)} interactions, {len(itf)} artist-tag rows, {len(uf)} friend rows; "
          f"load average {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")  # fmt: skip
    if "random" in args.lastfm_splits:
        t = time.perf_counter()
        train, test = split(inter, "random", TEST_FRACTION, 42)
        rep, _, _ = full_report(train, test, uf, itf, cfg=cfg)
        print(f"  random split ({rep['n_users']} users evaluated, {time.perf_counter() - t:.0f} s)")
        print_rows(rep)
    if "users" in args.lastfm_splits:
        t = time.perf_counter()
        rep = repeated_report(inter, "users", args.repeats, TEST_FRACTION, uf, itf, cfg)
        print(f"  user split, {args.repeats} seeds (~{rep['n_users']} users each, "
              f"{time.perf_counter() - t:.0f} s)")  # fmt: skip
        print_rows(rep, spread=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="quick run on small data")
    ap.add_argument("--tune", action="store_true", help="tune the blend on validation splits")
    ap.add_argument("--quality-users", type=int, default=100_000)
    ap.add_argument("--tune-users", type=int, default=4000, help="validation users sampled")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--skip-training", action="store_true")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--components", type=int)
    ap.add_argument("--learning-rate", type=float)
    ap.add_argument("--loss")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--select-sample", type=int, default=5000, help="users the selection samples")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--training-users", type=int, default=100_000)
    ap.add_argument("--lastfm", help="directory of the HetRec 2011 Last.fm 2k data")
    ap.add_argument("--lastfm-csv", help="write the Last.fm data as CSV files here and stop")
    ap.add_argument("--lastfm-splits", default="random,users")
    ap.add_argument("--repeats", type=int, default=3, help="seeds for the Last.fm user split")
    ap.add_argument(
        "--serving-only",
        action="store_true",
        help="serving latency only: a model with EASE fitted on 5,000 users (the per-request "
        "cost depends on the catalog size, not the number of users)",
    )
    args = ap.parse_args()
    if args.serving_only:
        data = make_data(5000, 2000, 100_000)
        codes = [i.code for i in data.items]
        choice = Choice(FEATURE_SETS[3], 0.05, 5, 250.0, 0.5)
        model = fit_with_choice(
            data.interactions(), data.user_features(), data.item_features(), codes, choice,
            SelectionConfig(threads=args.threads),
        )  # fmt: skip
        print(f"  load average: {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")
        serving(model, 2000, 2000)
        return
    if args.lastfm:
        lastfm(args)
        return
    if args.small:
        n_q, n_items, n_t, reqs = 3000, 500, 5000, 300
    else:
        n_q, n_items, n_t, reqs = args.quality_users, 2000, args.training_users, 2000
    if args.tune:
        tune(args, n_q if args.small else min(n_q, 20_000), n_items, 20 * n_q)
        return
    if not args.skip_quality:
        quality(args, n_q, n_items, 20 * n_q)
    if not args.skip_training:
        model = training(args, n_t, n_items, 20 * n_t)
        serving(model, n_items, reqs)


if __name__ == "__main__":
    main()
