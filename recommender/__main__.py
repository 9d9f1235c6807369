"""``python -m recommender train|evaluate`` on CSV files with a header row."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .dataset import FeatureTable, Interactions, build_dataset
from .evaluate import METRICS, run_evaluation, split
from .model import HybridModel
from .report import full_report, repeated_report
from .selection import SelectionConfig, fit_with_choice, select


class InputError(Exception):
    """Bad input: reported as a clear message with exit code 2."""


def _rows(path: str, required: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            rows = [r for r in reader if r and any(x.strip() for x in r)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read CSV ({exc})") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{path}: header must contain {', '.join(required)} (missing {', '.join(missing)})"
        )
    for n, r in enumerate(rows, start=2):
        if len(r) != len(header):
            raise InputError(f"{path}: line {n} has {len(r)} fields, expected {len(header)}")
    return header, rows


def _column(header: list[str], rows: list[list[str]], name: str, path: str, numeric: bool):
    if name not in header:
        return None
    j = header.index(name)
    values = [r[j].strip() for r in rows]
    if not numeric:
        return np.array(values, dtype=str)
    try:
        return np.array([float(v) for v in values], dtype=np.float64)
    except ValueError as exc:
        raise InputError(f"{path}: column {name} must be numeric ({exc})") from exc


def read_interactions(path: str) -> Interactions:
    header, rows = _rows(path, ("user_id", "item_id"))
    if not rows:
        raise InputError(f"{path}: no interactions")
    w = _column(header, rows, "weight", path, True)
    ts = _column(header, rows, "timestamp", path, True)
    users = _column(header, rows, "user_id", path, False)
    items = _column(header, rows, "item_id", path, False)
    return Interactions(users, items, np.ones(len(rows)) if w is None else w, ts)


def read_features(path: str | None) -> FeatureTable | None:
    if path is None:
        return None
    header, rows = _rows(path, ("id", "feature"))
    w = _column(header, rows, "weight", path, True)
    return FeatureTable(
        _column(header, rows, "id", path, False), _column(header, rows, "feature", path, False), w
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m recommender", description="Train or evaluate the recommender."
    )
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("train", "evaluate"):
        p = sub.add_parser(name)
        p.add_argument(
            "--interactions", required=True, help="CSV: user_id,item_id[,weight][,timestamp]"
        )
        p.add_argument("--user-features", help="CSV: id,feature[,weight]")
        p.add_argument("--item-features", help="CSV: id,feature[,weight]")
        p.add_argument("--test-interactions", help="CSV like --interactions; else --split is used")
        p.add_argument("--split", choices=("time", "random", "users"))
        p.add_argument("--test-fraction", type=float, default=0.2)
        p.add_argument("--k", type=int, default=10)
        p.add_argument("--loss", default="warp", choices=("warp", "bpr", "logistic", "warp-kos"))
        p.add_argument(
            "--epochs", type=int, help="fixed epochs (with --learning-rate: no selection)"
        )
        p.add_argument("--components", type=int, default=32)
        p.add_argument("--learning-rate", type=float, help="fixed learning rate (no selection)")
        p.add_argument(
            "--max-epochs", type=int, default=100, help="largest epoch count the selection tries"
        )
        p.add_argument(
            "--segment-prefixes",
            default="age:,region:",
            help="user feature prefixes forming a segment (comma-separated)",
        )
        p.add_argument("--repeats", type=int, default=1, help="repeat user splits over seeds")
        p.add_argument("--threads", type=int, default=1)
        p.add_argument("--seed", type=int, default=42)
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        if name == "train":
            p.add_argument("--out", required=True, help="artefact directory to write")
    return ap


def _table(report: dict) -> str:
    rows = [(k, report[k]) for k in ("model", "lightfm", "blended") if k in report]
    rows += [(f"peer: {k}", v) for k, v in report.get("peers", {}).items()]
    rows += [(f"baseline: {k}", v) for k, v in report.get("baselines", {}).items()]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  " + "  ".join(f"{m:>14}" for m in METRICS)]
    lines += [
        f"{name:{width}}  " + "  ".join(f"{vals[m]:>14.4f}" for m in METRICS) for name, vals in rows
    ]
    ci = report.get("ci")
    if ci:
        for m in ("precision_at_k", "ndcg_at_k"):
            c = ci[m]
            lines.append(
                f"model − {ci['baseline']} {m}: {c['mean_difference']:+.4f} "
                f"(95 % CI {c['low']:+.4f} … {c['high']:+.4f}, {c['n_users']} users)"
            )
    if "selection" in report:
        lines.append(f"chosen: {report['selection']['choice']}")
    if "cold_start" in report:
        lines.append(f"cold users: {report['cold_start']['used']}")
        if report["cold_start"].get("blend"):
            lines.append(f"cold users' blend: {report['cold_start']['blend']['used']}")
    if "repeats" in report:
        lines.append(f"mean over {report['repeats']} splits")
    lines.append(
        f"users evaluated {report['n_users']}, items {report['n_items']}, train {report['n_train']}, "
        f"test {report['n_test']}, {report['seconds']} s"
    )
    return "\n".join(lines)


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for name in ("epochs", "components", "threads", "k", "max_epochs", "repeats"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be at least 1")
    if args.learning_rate is not None and not args.learning_rate > 0:
        raise InputError("--learning-rate must be positive")
    inter = read_interactions(args.interactions)
    uf, itf = read_features(args.user_features), read_features(args.item_features)
    fixed = args.epochs is not None or args.learning_rate is not None
    cfg = SelectionConfig(
        checkpoints=tuple(c for c in SelectionConfig().checkpoints if c < args.max_epochs)
        + (args.max_epochs,),
        k=args.k,
        components=args.components,
        loss=args.loss,
        threads=args.threads,
        seed=args.seed,
        segment_prefixes=tuple(p for p in args.segment_prefixes.split(",") if p),
    )
    if args.repeats > 1:
        if args.command != "evaluate" or not args.split or fixed:
            raise InputError("--repeats needs evaluate with --split and no fixed settings")
        try:
            report = repeated_report(
                inter, args.split, args.repeats, args.test_fraction, uf, itf, cfg
            )
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else _table(report))
        return 0
    if args.test_interactions:
        train, test = inter, read_interactions(args.test_interactions)
    elif args.split:
        try:
            train, test = split(inter, args.split, args.test_fraction, args.seed)
        except ValueError as exc:
            raise InputError(str(exc)) from exc
    elif args.command == "evaluate":
        raise InputError("evaluate needs --test-interactions or --split")
    else:
        train, test = inter, None
    if len(train.positives()) == 0:
        raise InputError("no positive training interactions")
    report = None
    if fixed:
        model = HybridModel(
            components=args.components,
            loss=args.loss,
            epochs=args.epochs or 30,
            learning_rate=args.learning_rate or 0.05,
            threads=args.threads,
            seed=args.seed,
        )
        if test is not None:
            report, model = run_evaluation(
                train, test, uf, itf, k=args.k, model=model,
                segment_prefixes=cfg.segment_prefixes,
            )  # fmt: skip
        else:
            model.fit(build_dataset(train, uf, itf))
    elif test is not None:
        report, model, _ = full_report(train, test, uf, itf, cfg=cfg)
    else:
        items = sorted(set(train.item_ids.tolist()) | set(() if itf is None else itf.ids.tolist()))
        chosen = select(train, uf, itf, items, cfg)
        model = fit_with_choice(train, uf, itf, items, chosen.choice, cfg, chosen)
    if args.command == "train":
        model.save(args.out)
    if report is not None:
        print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else _table(report))
    elif args.json:
        print(json.dumps({"trained": model.metadata, "out": args.out}, ensure_ascii=False))
    else:
        print(
            f"trained on {model.metadata['n_interactions']} interactions; artefact written to {args.out}"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
