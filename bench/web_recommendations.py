"""The recommender inside the web app: first run, training, and one page's recommendations.

    .venv/bin/python bench/web_recommendations.py                 # fresh SQLite under /tmp
    .venv/bin/python bench/web_recommendations.py --database-url postgresql+psycopg://…

Prints: the first-run set-up (migrate, catalog, demo accounts, the 600-person synthetic
population, duties, the first model), a second training run, and the latency of
``recommend_for_account`` (profile, household, consents, tags, duties, dismissals, the
current rule version, one dot product, blending and reasons) over the synthetic citizens.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="lifepage-bench-")
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"

    from sqlalchemy import select

    from webapp import create_app
    from webapp.bootstrap import bootstrap
    from webapp.core.db import db
    from webapp.demo.population import DOMAIN
    from webapp.models import Account
    from webapp.recommend import recommendations
    from webapp.recommend.training import train_and_maybe_activate

    t = time.perf_counter()
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
    summary = bootstrap(app)
    print(f"first run (create app, migrate, seed, train): {time.perf_counter() - t:.1f} s")
    print(f"  {summary}")

    t = time.perf_counter()
    row = train_and_maybe_activate(app)
    meta = row.metadata_
    print(
        f"training again: {time.perf_counter() - t:.1f} s ({meta['n_interactions']} interactions, "
        f"{meta['n_users']} users, {meta['n_items']} services) → {row.status}: {row.note}"
    )
    print(f"  model NDCG@10 {row.metrics['ndcg_at_k']:.4f}", end="")
    for name, m in row.baselines.items():
        print(f" | {name} {m['ndcg_at_k']:.4f}", end="")
    print(f" | blended {meta['blended'].get('ndcg_at_k', 0):.4f}")

    with app.app_context():
        session = db.session
        people = session.scalars(
            select(Account).where(
                Account.email.like(f"resident%@{DOMAIN}"), Account.role == "citizen"
            )
        ).all()
        recommendations.recommend_for_account(session, people[0])  # load model and caches
        times = []
        for n in range(args.requests):
            account = people[n % len(people)]
            t = time.perf_counter()
            recommendations.recommend_for_account(session, account, limit=10)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"recommend_for_account over {len(people)} citizens ({args.requests} requests, "
            f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}): "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
        )


if __name__ == "__main__":
    main()
