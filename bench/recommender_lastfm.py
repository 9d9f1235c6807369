"""The recommender benchmark on real data: the HetRec 2011 Last.fm 2k set (see
``bench/recommender.py``)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from bench.recommender_synthetic import TEST_FRACTION
from recommender.dataset import FeatureTable, Interactions
from recommender.evaluate import split
from recommender.report import full_report, repeated_report
from recommender.selection import (
    SelectionConfig,
)


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
