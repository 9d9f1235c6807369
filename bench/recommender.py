"""Recommender benchmark: quality, blend tuning, training cost and serving latency.

    .venv/bin/python bench/recommender.py                  # quality, training, serving
    .venv/bin/python bench/recommender.py --small          # quick run on small data
    .venv/bin/python bench/recommender.py --tune           # choose the blend for the served model on validation folds
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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.recommender_lastfm import lastfm  # noqa: E402
from bench.recommender_serving import serving  # noqa: E402
from bench.recommender_synthetic import make_data, quality, training, tune  # noqa: E402
from recommender.selection import (  # noqa: E402
    FEATURE_SETS,
    Choice,
    SelectionConfig,
    fit_with_choice,
)


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
